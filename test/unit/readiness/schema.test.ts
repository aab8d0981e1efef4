// The published schema of `--json`: within the package validator's subset, listing exactly the
// finding kinds the code has, and refusing what a consumer could not rely on.
import { assertSupportedSchema } from "../../../provider/components/json-schema";
import { FINDING_SEVERITY } from "../../../provider/readiness/findings";
import { readinessReportErrors, readinessReportSchema } from "../../../provider/readiness/report-schema";

const report = () => ({
    schemaVersion: 1, generatedAt: "2026-12-03T10:00:00.000Z", tenantId: "t", verdict: "blocking", counts: { blocking: 1, warning: 0, info: 0 },
    domains: [{ forest: "corp", domain: "corp.example", domainControllers: [{ hostName: "dc1", operatingSystem: "Samba", capability: "not-windows" }], kerberosServer: { exists: false, complete: false, problems: [] } }],
    pilotGroups: [{ group: "Pilot", id: "g", users: 1, usersWithFindings: 1 }],
    findings: [{ kind: "user-not-synchronised", severity: "blocking", object: "bob@contoso.com", pilotGroup: "Pilot", facts: { userId: "u" } }],
});

test("the schema uses only keywords the validator checks, and lists every finding kind", () => {
    expect(() => assertSupportedSchema(readinessReportSchema)).not.toThrow();
    expect(readinessReportSchema.$defs.finding.properties.kind.enum).toEqual(Object.keys(FINDING_SEVERITY));
});

test("a report of the documented shape passes; wrong kinds, verdicts, nulls and extra keys fail, named by path", () => {
    expect(readinessReportErrors(report())).toEqual([]);
    const bad: any = report();
    bad.verdict = "maybe";
    bad.findings[0].kind = "user-unknown";
    bad.domains[0].readFrom = null;
    bad.pilotGroups[0].extra = 1;
    expect(readinessReportErrors(bad).map((e) => e.path)).toEqual(["report.verdict", "report.domains[0].readFrom", "report.pilotGroups[0].extra", "report.findings[0].kind"]);
});
