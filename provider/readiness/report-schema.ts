// The published JSON schema of `entra-kerberos-readiness --json` (readiness-report.schema.json,
// shipped in the package as pulumi-entra-kerberos/readiness-report.schema.json), and a check of a
// report against it with the package's own validator (the schema keeps to its subset).
import { validateJson, type SchemaError } from "../components/json-schema";
import schema from "./readiness-report.schema.json";

export { schema as readinessReportSchema };

export function readinessReportErrors(report: unknown): SchemaError[] {
    return validateJson(report, schema, "report");
}
