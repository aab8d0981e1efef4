// The lab adapter of the KerberosPublisherPort: HTTPS POSTs to the lab publisher
// (lab/publisher/http.ts) at <endpoint>/set|get|remove. Like the module's -CloudCredential, the lab
// publisher needs the tenant's credential: a bearer token from the resource's graph credential.
// TLS is verified (against publisher.caCertificate when given), every call has a timeout, and every
// failure is a ProviderError that never carries the domain password or the token.
// Connections are kept alive and shared per endpoint by the whole process (no credential lives in
// a connection: the token travels per request), so an operation's get/set/get and every resource
// of a run reuse them instead of a TLS handshake per call. Idle ones close by themselves after a few
// seconds and never keep the process alive.
import { Agent, fetch } from "undici";
import { isErrorCode, ProviderError, scrubText, type ErrorCode } from "../core/errors";
import { fingerprint, SharedCache } from "../core/shared-cache";
import { secureContextFor } from "../core/tls-context";
import { networkCode } from "../graph/transport";
import type { KerberosPublisherPort, KerberosServerTable, PublisherRequest, SetServerRequest } from "./port";

export interface LabPublisherOptions {
    /** base URL, e.g. https://127.0.0.1:47443/lab/kerberos */
    endpoint: string;
    /** PEM the publisher's certificate must chain to; without it, Node's public roots */
    caCertificate?: string;
    /** a bearer token for the lab tenant (the cloud credential) */
    getToken: () => Promise<string>;
    /**
     * The publisher refused the token (401, nothing was done): make getToken fetch a fresh one. The
     * call is then sent once more. For a token cached by the process's shared credential.
     */
    renewToken?: () => void;
    /** per request; default 120 s (a set creates three AD objects and may rotate) */
    timeoutMs?: number;
}

export const DEFAULT_LAB_TIMEOUT_MS = 120_000;

const pools = new SharedCache<Agent>({ ttlMs: 30 * 60_000, maxEntries: 16 });

/** The process's connection pool to a publisher origin, trusting `caCertificate` (or the public roots). */
function poolFor(base: string, caCertificate: string | undefined): Agent {
    return pools.get(`${new URL(base).origin}|${fingerprint(caCertificate)}`, () => new Agent({
        connect: { rejectUnauthorized: true, ...(caCertificate ? { secureContext: secureContextFor([caCertificate]) } : {}) },
    }));
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|UNABLE_TO_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL)/;
const TABLE_KEYS: (keyof KerberosServerTable)[] = [
    "Id", "UserAccount", "ComputerAccount", "DisplayName", "DomainDnsName", "KeyVersion", "KeyUpdatedOn", "KeyUpdatedFrom",
    "CloudDisplayName", "CloudDomainDnsName", "CloudId", "CloudKeyVersion", "CloudKeyUpdatedOn",
];

function baseUrl(endpoint: string): string {
    let u: URL;
    try { u = new URL(endpoint); } catch {
        throw new ProviderError("PublisherConfigInvalid", `publisher.endpoint ${JSON.stringify(endpoint)} is not a URL`, { input: "publisher.endpoint" });
    }
    if (u.protocol !== "https:") throw new ProviderError("PublisherConfigInvalid", `publisher.endpoint must use https, got ${endpoint}`, { input: "publisher.endpoint" });
    return endpoint.replace(/\/+$/, "");
}

/** Checks the publisher's answer has the table's shape, so a wrong endpoint is not read as "no server". */
function asTable(v: unknown, what: string): KerberosServerTable {
    if (!v || typeof v !== "object" || !TABLE_KEYS.every((k) => k in (v as object))) {
        throw new ProviderError("PublisherOutputInvalid", `${what}: the answer is not a Kerberos server table (is publisher.endpoint the lab publisher?)`);
    }
    return v as KerberosServerTable;
}

export function createLabPublisher(opts: LabPublisherOptions): KerberosPublisherPort {
    const base = baseUrl(opts.endpoint);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_LAB_TIMEOUT_MS;
    const dispatcher = () => poolFor(base, opts.caCertificate);

    async function post(op: "set" | "get" | "remove", req: SetServerRequest, renewed = false): Promise<unknown> {
        const what = `lab publisher ${op} ${req.domain} (${base}/${op})`;
        const secrets = [req.domainCredential?.password];
        const scrub = (t: string) => scrubText(t, secrets);
        let token: string;
        try {
            token = await opts.getToken();
        } catch (e) {
            if (e instanceof ProviderError) throw e;
            throw new ProviderError("PublisherAuthFailed", scrub(`${what}: could not get a token from graph.credential: ${(e as Error)?.message ?? e}`), { input: "graph.credential", cause: e });
        }
        secrets.push(token);
        const body = op === "set"
            ? { domain: req.domain, domainCredential: req.domainCredential, rotateServerKey: req.rotateServerKey === true, force: req.force === true }
            : { domain: req.domain, domainCredential: req.domainCredential };
        let res: Awaited<ReturnType<typeof fetch>>;
        let text: string;
        try {
            res = await fetch(`${base}/${op}`, {
                method: "POST",
                headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
                body: JSON.stringify(body),
                dispatcher: dispatcher(),
                signal: AbortSignal.timeout(timeoutMs),
            });
            text = await res.text();
        } catch (e) {
            throw transportError(what, e, timeoutMs, scrub);
        }
        if (res.status === 401 && opts.renewToken && !renewed) {
            opts.renewToken(); // refused before anything was done: safe to send again, with a fresh token
            return post(op, req, true);
        }
        // any: the lab publisher's JSON answer, checked field by field below
        let parsed: any;
        try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
        if (!res.ok) {
            const serviceCode: string = typeof parsed?.error?.code === "string" ? parsed.error.code : `PublisherHttp${res.status}`;
            // the lab publisher answers with a code of this package; anything else at that endpoint is a failed command
            const code: ErrorCode = isErrorCode(serviceCode) ? serviceCode : "PublisherCommandFailed";
            const message = typeof parsed?.error?.message === "string" ? parsed.error.message : text.slice(0, 300);
            throw new ProviderError(code, scrub(`${what} failed: ${message} (HTTP ${res.status} ${serviceCode})`), {
                httpStatus: res.status, serviceCode, resource: `${base}/${op}`, retryable: res.status >= 500 || res.status === 429,
                input: code === "InvalidAuthenticationToken" ? "graph.credential" : undefined,
            });
        }
        if (parsed === undefined) throw new ProviderError("PublisherOutputInvalid", `${what}: the answer is not JSON`, { resource: `${base}/${op}` });
        return parsed;
    }

    return {
        async set(req: SetServerRequest) {
            const r = (await post("set", req)) as { server?: unknown };
            return asTable(r?.server, `lab publisher set ${req.domain}`);
        },
        async get(req: PublisherRequest) {
            return asTable(await post("get", req), `lab publisher get ${req.domain}`);
        },
        async remove(req: PublisherRequest) {
            await post("remove", req);
        },
    };
}

function transportError(what: string, e: unknown, timeoutMs: number, scrub: (t: string) => string): ProviderError {
    const code = networkCode(e);
    const detail = scrub(String((e as any)?.cause?.message ?? (e as Error)?.message ?? e));
    if (code === "ABORTED" || code === "UND_ERR_CONNECT_TIMEOUT" || code === "UND_ERR_HEADERS_TIMEOUT") {
        return new ProviderError("PublisherTimeout", `${what}: no answer within ${Math.round(timeoutMs / 1000)} s`, { retryable: true, cause: e });
    }
    if (TLS_CODE.test(code)) {
        return new ProviderError("PublisherTlsFailed", `${what}: TLS verification failed (${code}: ${detail}). Check publisher.caCertificate`, { input: "publisher.caCertificate", cause: e });
    }
    return new ProviderError("PublisherUnreachable", `${what}: ${detail} [${code}]. Is the lab running (npm run lab -- up)?`, { input: "publisher.endpoint", retryable: true, cause: e });
}
