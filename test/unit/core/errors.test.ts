// What leaves a provider operation: errors scrubbed of every secret resolved during it, whatever
// library wrote the text, with their details and a partial-create record kept.
import { ProviderError, scrubbedError, scrubText } from "../../../provider/core/errors";
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
        const plain = new ProviderError("X", "nothing secret");
        expect(scrubbedError(plain, [SECRET])).toBe(plain);
    });

    test("anything else becomes an InternalError with a scrubbed message", () => {
        const clean = scrubbedError(new TypeError(`cannot read ${SECRET}`), [SECRET]);
        expect(clean).toBeInstanceOf(ProviderError);
        expect(clean.code).toBe("InternalError");
        expect(clean.message).toBe("cannot read ***");
    });

    test("a partial-create record survives, its reasons scrubbed like the message", () => {
        const partial = withPartialState(new ProviderError("AssignFailed", `assign failed: ${SECRET}`), "policy-id", { displayName: "p" });
        const clean = scrubbedError(partial, [SECRET]) as ProviderError & { id: string; properties: object; reasons: string[] };
        expect(clean.id).toBe("policy-id");
        expect(clean.properties).toEqual({ displayName: "p" });
        expect(clean.reasons).toEqual(["assign failed: ***"]);
        expect(JSON.stringify({ ...clean, message: clean.message })).not.toContain(SECRET);
    });
});
