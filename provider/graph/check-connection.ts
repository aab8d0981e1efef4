// `check`-time validation of a GraphConnection input (docs/resources/), without any I/O: the shape of each
// credential type, secrets given as references (a value would land in Pulumi state), URLs the
// client factory will accept. Failures name the input path ("graph.credential.clientSecret").
import { isUnknown } from "../core/unknown";
import { brokenGuidReason, characterProblem, isDnsName, isGuid, looksLikeBrokenGuid, pemCertificateProblem, secretRefProblem, unknownFields, URL_RULES, urlProblem } from "../core/grammar";

export interface ConnectionFailure {
    property: string;
    reason: string;
}

/** Per credential type: which fields it takes, and which of them are secrets or client ids. */
const CREDENTIALS: Record<string, { fields: string[]; clientId?: "required" | "optional"; secret?: string }> = {
    default: { fields: [] },
    azureCli: { fields: [] },
    managedIdentity: { fields: ["clientId"], clientId: "optional" },
    workloadIdentity: { fields: ["clientId", "tokenFilePath"], clientId: "required" },
    githubOidc: { fields: ["clientId"], clientId: "required" },
    clientSecret: { fields: ["clientId", "clientSecret"], clientId: "required", secret: "clientSecret" },
    clientCertificate: { fields: ["clientId", "certificatePem"], clientId: "required", secret: "certificatePem" },
};

const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);

export function checkGraphConnection(g: unknown, path = "graph"): ConnectionFailure[] {
    const out: ConnectionFailure[] = [];
    const fail = (property: string, reason: string) => out.push({ property, reason });
    if (isUnknown(g)) return out;
    if (!isObject(g)) {
        fail(path, `${path} is required: { tenantId, credential, graphEndpoint?, authorityHost?, caCertificate? }`);
        return out;
    }
    out.push(...unknownFields(path, g, ["tenantId", "credential", "graphEndpoint", "authorityHost", "caCertificate"], "a connection setting"));
    if (!isUnknown(g.tenantId)) {
        const t = g.tenantId, p = `${path}.tenantId`;
        if (typeof t === "string" && looksLikeBrokenGuid(t)) fail(p, brokenGuidReason(p, t));
        else if (!(isGuid(t) || (typeof t === "string" && isDnsName(t)))) {
            fail(p, `${p} is required: the tenant GUID or its initial domain (contoso.onmicrosoft.com)`);
        }
    }
    checkCredential(g.credential, `${path}.credential`, fail);
    for (const k of ["graphEndpoint", "authorityHost"] as const) {
        const v = g[k];
        if (v === undefined || isUnknown(v)) continue;
        const problem = urlProblem(`${path}.${k}`, v, URL_RULES.httpsOrigin);
        if (problem) fail(`${path}.${k}`, problem);
    }
    const ca = g.caCertificate;
    if (ca !== undefined && !isUnknown(ca)) {
        const problem = pemCertificateProblem(`${path}.caCertificate`, ca);
        if (problem) fail(`${path}.caCertificate`, problem);
    }
    return out;
}

function checkCredential(c: unknown, path: string, fail: (p: string, r: string) => void): void {
    if (isUnknown(c)) return;
    const types = Object.keys(CREDENTIALS).join(", ");
    if (!isObject(c) || typeof c.type !== "string" || !(c.type in CREDENTIALS)) {
        fail(`${path}.type`, `${path}.type must be one of ${types}`);
        return;
    }
    const spec = CREDENTIALS[c.type];
    for (const k of Object.keys(c)) {
        if (k !== "type" && !spec.fields.includes(k)) {
            fail(`${path}.${k}`, `${path}.${k} does not apply to credential type "${c.type}" (it takes ${spec.fields.length ? spec.fields.join(", ") : "no other fields"})`);
        }
    }
    if (spec.clientId && !isUnknown(c.clientId)) {
        const missing = c.clientId === undefined;
        if ((spec.clientId === "required" && missing) || (!missing && !isGuid(c.clientId))) {
            fail(`${path}.clientId`, `${path}.clientId must be the app's client id (a GUID)`);
        }
    }
    if (c.type === "workloadIdentity" && c.tokenFilePath !== undefined && !isUnknown(c.tokenFilePath)
        && (typeof c.tokenFilePath !== "string" || c.tokenFilePath === "" || characterProblem(c.tokenFilePath))) {
        fail(`${path}.tokenFilePath`, `${path}.tokenFilePath must be a file path (no control or invisible characters)`);
    }
    if (spec.secret) {
        const v = c[spec.secret];
        const p = `${path}.${spec.secret}`;
        if (isUnknown(v)) return;
        const problem = secretRefProblem(p, v, true);
        if (problem) fail(p, problem);
    }
}
