// What leaves a provider operation: errors scrubbed of every secret resolved during it, whatever
// library wrote the text, with their details and a partial-create record kept.
import { ERROR_CODES, isErrorCode, ProviderError, scrubbedError, scrubText } from "../../../provider/core/errors";
import { withPartialState } from "../../../provider/intune/partial-create";

const SECRET = "Lab-s3cret-Value-1";

describe("scrubbing", () => {
    test("every given secret goes, the longest first, and token-shaped text too", () => {
        expect(scrubText(`bind as x with ${SECRET} and ${SECRET}-long; Bearer abcdefghijkl`, [SECRET, `${SECRET}-long`, undefined]))
            .toBe("bind as x with *** and ***; Bearer [redacted]");
    });

    test("a ProviderError keeps its code and details; one without a secret is returned as it is", () => {
        const e = new ProviderError("DirectoryAccessDenied", `denied for ${SECRET}`, { input: "directory.password", httpStatus: 403, retryable: true });
        const clean = scrubbedError(e, [SECRET]);
        expect(clean.message).toBe("denied for ***");
        expect(clean).toMatchObject({ code: "DirectoryAccessDenied", input: "directory.password", httpStatus: 403, retryable: true });
        const plain = new ProviderError("INTERNAL_ERROR", "nothing secret");
        expect(scrubbedError(plain, [SECRET])).toBe(plain);
    });

    test("anything else becomes an INTERNAL_ERROR with a scrubbed message", () => {
        const clean = scrubbedError(new TypeError(`cannot read ${SECRET}`), [SECRET]);
        expect(clean).toBeInstanceOf(ProviderError);
        expect(clean.code).toBe("INTERNAL_ERROR");
        expect(clean.message).toBe("cannot read ***");
    });

    test("a partial-create record survives, its reasons scrubbed like the message", () => {
        const partial = withPartialState(new ProviderError("GRAPH_ERROR", `assign failed: ${SECRET}`), "policy-id", { displayName: "p" });
        const clean = scrubbedError(partial, [SECRET]) as ProviderError & { id: string; properties: object; reasons: string[] };
        expect(clean.id).toBe("policy-id");
        expect(clean.properties).toEqual({ displayName: "p" });
        expect(clean.reasons).toEqual(["assign failed: ***"]);
        expect(JSON.stringify({ ...clean, message: clean.message })).not.toContain(SECRET);
    });
});

test("every ErrorCode is documented in docs/operations.md's troubleshooting table, and nothing else is", () => {
    const fs = require("node:fs") as typeof import("node:fs");
    const path = require("node:path") as typeof import("node:path");
    const repo = path.resolve(__dirname, "../../..");
    const codes: string[] = [...ERROR_CODES];
    const ops = fs.readFileSync(path.join(repo, "docs/operations.md"), "utf8");
    const table = ops.slice(ops.indexOf("## Troubleshooting by error code"));
    const documented = [...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1].matchAll(/`(\w+)`/g)].map((c) => c[1]));
    expect(codes.length).toBeGreaterThan(80);
    // one spelling per code: no two codes differ only in case or underscores (StateInvalid / STATE_INVALID)
    expect(new Set(codes.map((c) => c.replace(/_/g, "").toLowerCase())).size).toBe(codes.length);
    expect([...documented].sort()).toEqual([...codes].sort());
});

test("isErrorCode knows the package's codes and nothing else (the lab adapter trusts only those)", () => {
    expect(isErrorCode("DirectoryAccessDenied")).toBe(true);
    expect(isErrorCode("STATE_INVALID")).toBe(false);
    expect(isErrorCode("PublisherHttp500")).toBe(false);
    expect(isErrorCode(42)).toBe(false);
});
