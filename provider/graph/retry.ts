// The one retry policy for Graph calls.
// - 429: always retried (the request was not processed). Retry-After is honoured when present
//   (Intune sends it); without it (conditional access, docs/sources.md, Graph §4) exponential backoff.
// - 503: retried for every method (service did not take the request), honouring Retry-After.
// - 500/502/504, connection resets and timeouts: retried only for idempotent requests, because a
//   POST may have been applied before the failure. GET/PUT/DELETE are idempotent; PATCH is treated
//   as idempotent because every PATCH this package sends sets whole values (no increments).
//   A POST that is safe to repeat (e.g. .../assign, which replaces the set) can say so.
// - A write whose body was merged from a read of an object other writers share (a Conditional
//   Access policy) is NEVER repeated by this policy, whatever the failure: by the time of a retry
//   the body is stale and would replace another writer's newer entries. Such writes go through
//   graphSendOnce (request.ts); its caller waits `retryDelay`, reads again, merges again and writes.
// - connection refused / connect timeout: retried for every method (nothing was sent).
// - TLS verification failures and all other 4xx: never retried.
export interface RetryPolicy {
    /** total attempts including the first */
    maxAttempts: number;
    /** first backoff step; doubles per attempt */
    baseDelayMs: number;
    maxDelayMs: number;
    /** a Retry-After longer than this is capped */
    maxRetryAfterMs: number;
    /** per attempt, covering token acquisition, the request and reading the body */
    timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
    maxAttempts: 5,
    baseDelayMs: 1000,
    maxDelayMs: 30_000,
    maxRetryAfterMs: 180_000,
    timeoutMs: 30_000,
};

export type AttemptFailure =
    | { kind: "status"; status: number; retryAfterMs?: number }
    | { kind: "network"; code: string }
    | { kind: "timeout" }
    | { kind: "fatal" };

const RESET_CODES = new Set(["ECONNRESET", "UND_ERR_SOCKET", "EPIPE", "ETIMEDOUT", "UND_ERR_CLOSED", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UNKNOWN"]);
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "EAI_AGAIN"]);

export function isIdempotent(method: string, override?: boolean): boolean {
    return override ?? ["GET", "HEAD", "PUT", "DELETE", "PATCH"].includes(method.toUpperCase());
}

/** Backoff for attempt n (1-based): base * 2^(n-1), capped, with "equal jitter" (half fixed, half random). */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
    const d = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(d / 2 + random() * (d / 2));
}

/** Delay before the next attempt, or undefined when the failure is final. */
export function retryDelay(policy: RetryPolicy, attempt: number, f: AttemptFailure, idempotent: boolean, random?: () => number): number | undefined {
    if (attempt >= policy.maxAttempts) return undefined;
    const backoff = () => backoffMs(policy, attempt, random);
    switch (f.kind) {
        case "status":
            if (f.status === 429 || f.status === 503) return f.retryAfterMs !== undefined ? Math.min(f.retryAfterMs, policy.maxRetryAfterMs) : backoff();
            if ((f.status === 500 || f.status === 502 || f.status === 504) && idempotent) return backoff();
            return undefined;
        case "network":
            if (NOT_SENT_CODES.has(f.code)) return backoff();
            return RESET_CODES.has(f.code) && idempotent ? backoff() : undefined;
        case "timeout":
            return idempotent ? backoff() : undefined;
        default:
            return undefined;
    }
}

/**
 * Whether a failed attempt may have changed anything: 429/503 and connections that never carried
 * the request did not; a 5xx, a reset or a timeout after sending may have.
 */
export function mayHaveApplied(f: AttemptFailure): boolean {
    if (f.kind === "status") return !(f.status === 429 || f.status === 503);
    if (f.kind === "network") return !NOT_SENT_CODES.has(f.code);
    return true;
}

/** Retry-After: delay-seconds or an HTTP-date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
    if (value === null || value === undefined || value.trim() === "") return undefined;
    if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}
