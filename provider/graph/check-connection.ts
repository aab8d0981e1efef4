// `check`-time validation of a GraphConnection input (API.md), without any I/O: the shape of each
// credential type, secrets given as references (a value would land in Pulumi state), URLs the
// client factory will accept. Failures name the input path ("graph.credential.clientSecret").
import { isSecretRef } from "../core/secrets";
import { resolveEndpoints } from "./endpoints";

export interface ConnectionFailure {
    property: string;
    reason: string;
}

/** What Pulumi sends during preview for a value that is not known yet (an output of another resource). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

const isUnknown = (v: unknown) => v === UNKNOWN_VALUE;
const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);

export function checkGraphConnection(g: unknown, path = "graph"): ConnectionFailure[] {
    const out: ConnectionFailure[] = [];
    const fail = (property: string, reason: string) => out.push({ property, reason });
    if (isUnknown(g)) return out;
    if (!isObject(g)) {
        fail(path, `${path} is required: { tenantId, credential, graphEndpoint?, authorityHost?, caCertificate? }`);
        return out;
    }
    for (const k of Object.keys(g)) {
        if (!["tenantId", "credential", "graphEndpoint", "authorityHost", "caCertificate"].includes(k)) {
            fail(`${path}.${k}`, `${path}.${k} is not a connection setting (tenantId, credential, graphEndpoint, authorityHost, caCertificate)`);
        }
    }
    if (!isUnknown(g.tenantId) && (typeof g.tenantId !== "string" || g.tenantId.trim() === "")) {
        fail(`${path}.tenantId`, `${path}.tenantId is required: the tenant GUID or its initial domain (contoso.onmicrosoft.com)`);
    }
    checkCredential(g.credential, `${path}.credential`, fail);
    for (const k of ["graphEndpoint", "authorityHost"] as const) {
        const v = g[k];
        if (v === undefined || isUnknown(v)) continue;
        if (typeof v !== "string") { fail(`${path}.${k}`, `${path}.${k} must be an https URL`); continue; }
        try {
            resolveEndpoints({ tenantId: "x", credential: { type: "default" }, [k]: v });
        } catch (e) {
            fail(`${path}.${k}`, (e as Error).message.replace(/^graph\./, `${path}.`));
        }
    }
    const ca = g.caCertificate;
    if (ca !== undefined && !isUnknown(ca) && (typeof ca !== "string" || !/-----BEGIN CERTIFICATE-----/.test(ca))) {
        fail(`${path}.caCertificate`, `${path}.caCertificate must be PEM text (-----BEGIN CERTIFICATE-----...)`);
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
        if ((spec.clientId === "required" && missing) || (!missing && !(typeof c.clientId === "string" && GUID.test(c.clientId)))) {
            fail(`${path}.clientId`, `${path}.clientId must be the app's client id (a GUID)`);
        }
    }
    if (c.type === "workloadIdentity" && c.tokenFilePath !== undefined && !isUnknown(c.tokenFilePath) && typeof c.tokenFilePath !== "string") {
        fail(`${path}.tokenFilePath`, `${path}.tokenFilePath must be a file path`);
    }
    if (spec.secret) {
        const v = c[spec.secret];
        const p = `${path}.${spec.secret}`;
        if (isUnknown(v)) return;
        if (v === undefined) fail(p, `${p} is required: a reference { env: "NAME" } or { config: "key" }`);
        else if (!isSecretRef(v)) {
            fail(p, typeof v === "string"
                ? `${p} must be a reference { env: "NAME" } or { config: "key" }, never the secret itself (a value would be stored in Pulumi state)`
                : `${p} must be exactly one of { env: "NAME" } or { config: "key" } with a non-empty name`);
        }
    }
}
