// graphRequest: one Graph call through the SDK client with a per-attempt timeout, the retry policy
// of retry.ts, and every failure mapped to a ProviderError (errors.ts).
import { ResponseType, type GraphRequest } from "@microsoft/microsoft-graph-client";
import { ProviderError } from "../core/errors";
import type { GraphClient } from "./client";
import { diagnoseAuthority } from "./diagnose";
import { errorFromException, errorFromResponse, resourceLabel, timeoutError, type RequestLabel } from "./errors";
import { isIdempotent, mayHaveApplied, parseRetryAfter, retryDelay, type AttemptFailure } from "./retry";
import type { GraphMethod, GraphVersion } from "./types";

export interface GraphRequestSpec {
    method: GraphMethod;
    version: GraphVersion;
    /** path below the version, e.g. "/identity/conditionalAccess/policies/{id}"; no query string */
    path: string;
    body?: unknown;
    /** query options; values are URL-encoded here ("$filter": "displayName eq 'x'") */
    query?: Record<string, string | number | boolean | undefined>;
    headers?: Record<string, string>;
    /** overrides the method's idempotency (e.g. true for POST .../assign, which replaces a set) */
    idempotent?: boolean;
    timeoutMs?: number;
    /** what the caller is doing, prefixed to error messages */
    description?: string;
    /**
     * Awaited before every attempt (the first and each retry); the function it may return is called
     * when that attempt has settled. For a service limit per tenant such as conditional access's
     * 1 request/second (docs/sources.md, Graph §4): see RequestPacer.
     */
    pace?: () => Promise<(() => void) | void>;
}

export interface GraphResult<T> {
    status: number;
    headers: Headers;
    body: T;
    requestId?: string;
}

type Attempt<T> = { ok: true; result: GraphResult<T> } | { ok: false; error: ProviderError; failure: AttemptFailure; diagnose?: boolean };

const TIMEOUT = Symbol("timeout");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The parsed response body (undefined for 204). */
export async function graphRequest<T = any>(gc: GraphClient, spec: GraphRequestSpec): Promise<T> {
    return (await graphRequestRaw<T>(gc, spec)).body;
}

export async function graphRequestRaw<T = any>(gc: GraphClient, spec: GraphRequestSpec): Promise<GraphResult<T>> {
    return execute<T>(gc, spec, labelOf(spec), () => buildRequest(gc, spec));
}

/** What one attempt of graphSendOnce came to, when it did not succeed but may be tried again. */
export interface SendFailure {
    error: ProviderError;
    /** false: the service did not take the request (429, 503, never sent); true: it may have applied it */
    mayHaveApplied: boolean;
    /** the retry policy's wait before the caller's next attempt, already waited when this returns */
    waitedMs: number;
}

/**
 * ONE attempt of a write whose body was merged from a read of a shared object (see retry.ts): no
 * retry here, ever. Resolves undefined when the write succeeded; on a failure the retry policy
 * would repeat, waits its delay and resolves with the failure, so the caller can read again, merge
 * again and send a new body (`attempt` counts the caller's attempts against the policy's maximum);
 * any other failure is thrown.
 */
export async function graphSendOnce(gc: GraphClient, spec: GraphRequestSpec, attempt: number): Promise<SendFailure | undefined> {
    const label = labelOf(spec);
    const { a, delay } = await pacedAttempt(gc, spec, label, () => buildRequest(gc, spec), attempt, true);
    if (a.ok) return undefined;
    if (delay === undefined) throw await finalError(gc, label, a);
    await sleep(delay);
    return { error: a.error, mayHaveApplied: mayHaveApplied(a.failure), waitedMs: delay };
}

function labelOf(spec: GraphRequestSpec): RequestLabel {
    if (!spec.path.startsWith("/") || spec.path.includes("?")) {
        throw new ProviderError("GRAPH_CONFIG", `graphRequest: path must start with "/" and carry no query string (use \`query\`): ${spec.path}`);
    }
    return { method: spec.method, version: spec.version, path: spec.path, description: spec.description };
}

function buildRequest(gc: GraphClient, spec: GraphRequestSpec): GraphRequest {
    let r = gc.sdk.api(spec.path).version(spec.version);
    if (spec.query) {
        const q: Record<string, string> = {};
        for (const [k, v] of Object.entries(spec.query)) if (v !== undefined) q[k] = encodeURIComponent(String(v));
        if (Object.keys(q).length) r = r.query(q); // the SDK joins key=value as given, so values are pre-encoded
    }
    return r;
}

/** Follows an absolute @odata.nextLink (same Graph origin only, so the token never leaves it). */
export async function graphRequestUrl<T = any>(gc: GraphClient, url: string, spec: Omit<GraphRequestSpec, "method" | "version" | "path" | "query" | "body">): Promise<GraphResult<T>> {
    const u = new URL(url);
    if (u.origin !== gc.endpoints.graphEndpoint) {
        throw new ProviderError("GRAPH_ERROR", `refusing to follow a link to ${u.origin}: it is not the Graph endpoint ${gc.endpoints.graphEndpoint}`);
    }
    const [, version = "", ...rest] = u.pathname.split("/");
    return execute<T>(gc, { ...spec, method: "GET" }, { method: "GET", version, path: `/${rest.join("/")}`, description: spec.description }, () => gc.sdk.api(url));
}

type RequestParts = Pick<GraphRequestSpec, "method" | "body" | "headers" | "idempotent" | "timeoutMs" | "pace">;

async function execute<T>(gc: GraphClient, spec: RequestParts, label: RequestLabel, build: () => GraphRequest): Promise<GraphResult<T>> {
    const idempotent = isIdempotent(spec.method, spec.idempotent);
    for (let attempt = 1; ; attempt++) {
        const { a, delay } = await pacedAttempt<T>(gc, spec, label, build, attempt, idempotent);
        if (a.ok) return a.result;
        if (delay === undefined) throw await finalError(gc, label, a);
        await sleep(delay);
    }
}

/** One attempt in its pacer slot, with the retry policy's delay before the next one (undefined: none). */
async function pacedAttempt<T>(gc: GraphClient, spec: RequestParts, label: RequestLabel, build: () => GraphRequest,
    attempt: number, idempotent: boolean): Promise<{ a: Attempt<T>; delay?: number }> {
    const settled = await spec.pace?.();
    let a: Attempt<T>;
    try {
        a = await attemptOnce<T>(gc, spec, label, build, spec.timeoutMs ?? gc.retry.timeoutMs, attempt);
    } finally {
        settled?.();
    }
    return { a, delay: a.ok ? undefined : retryDelay(gc.retry, attempt, a.failure, idempotent) };
}

/** The error a failure that will not be retried ends in; an authority that may be at fault is diagnosed. */
async function finalError(gc: GraphClient, label: RequestLabel, a: Extract<Attempt<unknown>, { ok: false }>): Promise<ProviderError> {
    if (!a.diagnose) return a.error;
    return (await diagnoseAuthority(gc.endpoints.authorityHost, gc.tenantId, gc.dispatcher, resourceLabel(label)).catch(() => undefined)) ?? a.error;
}

async function attemptOnce<T>(gc: GraphClient, spec: Pick<GraphRequestSpec, "method" | "body" | "headers">, label: RequestLabel,
    build: () => GraphRequest, timeoutMs: number, attempt: number): Promise<Attempt<T>> {
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // Races the whole attempt (token acquisition included, which the signal does not reach)
    const deadline = new Promise<typeof TIMEOUT>((resolve) => {
        timer = setTimeout(() => { ac.abort(); resolve(TIMEOUT); }, timeoutMs);
    });
    try {
        let r = build().responseType(ResponseType.RAW).option("signal", ac.signal);
        if (spec.headers) r = r.headers(spec.headers);
        const sending: Promise<Response> = send(r, spec.method, spec.body);
        sending.catch(() => undefined); // settled later than the deadline: ignore
        const res = await Promise.race([sending, deadline]);
        if (res === TIMEOUT) return { ok: false, error: timeoutError(label, timeoutMs, attempt), failure: { kind: "timeout" } };
        const text = await Promise.race([res.text(), deadline]);
        if (text === TIMEOUT) return { ok: false, error: timeoutError(label, timeoutMs, attempt), failure: { kind: "timeout" } };
        if (res.ok) return { ok: true, result: { status: res.status, headers: res.headers, body: parseBody<T>(text, res, label), requestId: res.headers.get("request-id") ?? undefined } };
        return {
            ok: false,
            error: errorFromResponse(label, res.status, text, res.headers, attempt),
            failure: { kind: "status", status: res.status, retryAfterMs: parseRetryAfter(res.headers.get("retry-after")) },
        };
    } catch (e) {
        if (ac.signal.aborted) return { ok: false, error: timeoutError(label, timeoutMs, attempt), failure: { kind: "timeout" } };
        const m = errorFromException(label, e, gc.endpoints, attempt);
        return { ok: false, error: m.error, failure: m.failure, diagnose: m.diagnoseAuthority };
    } finally {
        clearTimeout(timer);
    }
}

function send(r: GraphRequest, method: string, body: unknown): Promise<Response> {
    switch (method) {
        case "GET": return r.get();
        case "POST": return r.post(body ?? {});
        case "PUT": return r.put(body ?? {});
        case "PATCH": return r.patch(body ?? {});
        case "DELETE": return r.delete();
        default: throw new ProviderError("GRAPH_CONFIG", `unsupported method ${method}`);
    }
}

function parseBody<T>(text: string, res: Response, label: RequestLabel): T {
    if (text === "" || res.status === 204) return undefined as T;
    if (!(res.headers.get("content-type") ?? "").includes("json")) return text as unknown as T;
    try {
        return JSON.parse(text) as T;
    } catch {
        throw new ProviderError("GRAPH_RESPONSE_INVALID", `Graph ${resourceLabel(label)} returned invalid JSON`, { resource: resourceLabel(label), httpStatus: res.status });
    }
}
