// The one retry policy: what is retried, for which methods, and how long to wait.
import { backoffMs, DEFAULT_RETRY, isIdempotent, parseRetryAfter, retryDelay } from "../../../provider/graph/retry";

const p = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
const mid = () => 0.5;

test.each([
    // [failure, idempotent, retried?]
    [{ kind: "status", status: 429 }, false, true],
    [{ kind: "status", status: 503 }, false, true],
    [{ kind: "status", status: 500 }, true, true],
    [{ kind: "status", status: 500 }, false, false],
    [{ kind: "status", status: 502 }, true, true],
    [{ kind: "status", status: 504 }, false, false],
    [{ kind: "status", status: 400 }, true, false],
    [{ kind: "status", status: 404 }, true, false],
    [{ kind: "network", code: "ECONNRESET" }, true, true],
    [{ kind: "network", code: "ECONNRESET" }, false, false],
    [{ kind: "network", code: "ECONNREFUSED" }, false, true],
    [{ kind: "network", code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" }, true, false],
    [{ kind: "timeout" }, true, true],
    [{ kind: "timeout" }, false, false],
    [{ kind: "fatal" }, true, false],
] as const)("%j idempotent=%s -> retried %s", (failure, idempotent, retried) => {
    expect(retryDelay(p, 1, failure as any, idempotent, mid) !== undefined).toBe(retried);
});

test("Retry-After wins over backoff and is capped", () => {
    expect(retryDelay(p, 1, { kind: "status", status: 429, retryAfterMs: 2000 }, false)).toBe(2000);
    expect(retryDelay({ ...p, maxRetryAfterMs: 500 }, 1, { kind: "status", status: 429, retryAfterMs: 2000 }, false)).toBe(500);
});

test("no retry once maxAttempts is reached", () => {
    expect(retryDelay(p, p.maxAttempts, { kind: "status", status: 429 }, true)).toBeUndefined();
});

test("exponential backoff with equal jitter, capped", () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(p, a, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(p, a, () => 1))).toEqual([100, 200, 400, 800, 1000]);
});

test("Retry-After in seconds or as an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(10_000 + 5000).toUTCString(), 10_000)).toBe(5000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
});

test("idempotency by method, overridable", () => {
    expect(["GET", "PUT", "DELETE", "PATCH"].map((m) => isIdempotent(m))).toEqual([true, true, true, true]);
    expect(isIdempotent("POST")).toBe(false);
    expect(isIdempotent("POST", true)).toBe(true);
});
