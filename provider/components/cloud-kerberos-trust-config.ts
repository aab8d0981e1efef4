// The root program's stack config `cloudKerberosTrust`, checked before any resource is registered:
// first against the JSON schema shipped beside this file (the same file editors and pipelines can
// use), then the rules a schema cannot say (one Kerberos server per domain, unique names). Every
// problem is reported at once, each naming the config path a user edits.
import { ProviderError } from "../core/errors";
import type { CloudKerberosTrustSpec } from "./cloud-kerberos-trust-types";
import { validateJson, type SchemaError } from "./json-schema";
import schema from "./cloud-kerberos-trust.schema.json";

export const CONFIG_KEY = "cloudKerberosTrust";
export { schema as cloudKerberosTrustSchema };

/** Every problem with a `cloudKerberosTrust` value; [] when it is valid. */
export function cloudKerberosTrustConfigErrors(value: unknown, root = CONFIG_KEY): SchemaError[] {
    const errors = validateJson(value, schema, root);
    if (errors.length > 0) return errors; // the cross-checks below assume the shape is right
    return crossChecks(value as CloudKerberosTrustSpec, root);
}

/**
 * The config as the component's arguments, or a ProviderError (code CONFIG_INVALID) whose message
 * lists every problem, one per line, path first.
 */
export function parseCloudKerberosTrustConfig(value: unknown, root = CONFIG_KEY): CloudKerberosTrustSpec {
    const errors = cloudKerberosTrustConfigErrors(value, root);
    if (errors.length > 0) {
        const lines = errors.map((e) => `  ${e.path}: ${e.message}`);
        throw new ProviderError("CONFIG_INVALID",
            `stack config ${root} is not valid (${errors.length} problem${errors.length === 1 ? "" : "s"}; schema: provider/components/cloud-kerberos-trust.schema.json):\n${lines.join("\n")}`,
            { input: errors[0].path });
    }
    return withSharedCaCertificate(value as CloudKerberosTrustSpec);
}

/**
 * The spec with its top-level `caCertificate` given to every connection that names none of its own
 * (graph, each directory, each lab publisher; a PowerShell publisher has no TLS connection of ours),
 * so a config trusts one CA with one entry. The component's arguments take no top-level CA: in a
 * program one variable does the same.
 */
function withSharedCaCertificate({ caCertificate, ...spec }: CloudKerberosTrustSpec): CloudKerberosTrustSpec {
    if (!caCertificate) return spec;
    const trusting = <T extends { caCertificate?: string }>(conn: T): T => ({ ...conn, caCertificate: conn.caCertificate ?? caCertificate });
    return {
        ...spec,
        graph: trusting(spec.graph),
        forests: spec.forests.map((forest) => ({
            ...forest,
            domains: forest.domains.map((d) => ({
                ...d,
                directory: trusting(d.directory),
                publisher: d.publisher.type === "lab" ? trusting(d.publisher) : d.publisher,
            })),
        })),
    };
}

function crossChecks(spec: CloudKerberosTrustSpec, root: string): SchemaError[] {
    const errors: SchemaError[] = [];
    const forestAt = new Map<string, number>();
    const domainAt = new Map<string, string>();
    spec.forests.forEach((forest, fi) => {
        const fpath = `${root}.forests[${fi}]`;
        const fkey = forest.name.toLowerCase();
        if (forestAt.has(fkey)) errors.push({ path: `${fpath}.name`, message: `forest "${forest.name}" is already declared at ${root}.forests[${forestAt.get(fkey)}]` });
        else forestAt.set(fkey, fi);
        forest.domains.forEach((d, di) => {
            const dpath = `${fpath}.domains[${di}].domain`;
            const dkey = d.domain.toLowerCase().replace(/\.$/, "");
            // One AzureADKerberosServer per AD domain: a second one would fight the first over the same objects.
            if (domainAt.has(dkey)) errors.push({ path: dpath, message: `domain ${d.domain} is already declared at ${domainAt.get(dkey)}; a domain has exactly one Kerberos server` });
            else domainAt.set(dkey, dpath);
        });
    });
    const exclusionAt = new Map<string, number>();
    (spec.conditionalAccessExclusions ?? []).forEach((e, i) => {
        const name = (e.name ?? e.policy).toLowerCase();
        if (exclusionAt.has(name)) {
            errors.push({ path: `${root}.conditionalAccessExclusions[${i}]${e.name ? ".name" : ".policy"}`, message: `an exclusion named "${e.name ?? e.policy}" is already declared at ${root}.conditionalAccessExclusions[${exclusionAt.get(name)}]; give one of them a distinct name` });
        } else exclusionAt.set(name, i);
    });
    return errors;
}
