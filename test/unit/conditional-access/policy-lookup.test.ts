// `policy` by id or exact display name: unknown and ambiguous names fail listing the candidates.
import { isProviderError, type ProviderError } from "../../../provider/core/errors";
import type { CaPolicy } from "../../../provider/conditional-access/merge";
import { findPolicy, matchPolicyByName } from "../../../provider/conditional-access/policy-lookup";

const P = (id: string, displayName: string): CaPolicy => ({ id, displayName });
const ALL = [
    P("00000000-0000-4000-8000-000000000001", "Require MFA for all users"),
    P("00000000-0000-4000-8000-000000000002", "Block legacy auth"),
    P("00000000-0000-4000-8000-000000000003", "Dup"),
    P("00000000-0000-4000-8000-000000000004", "Dup"),
];

function failing(fn: () => unknown): ProviderError {
    try { fn(); } catch (e) { if (isProviderError(e)) return e; throw e; }
    throw new Error("expected a failure");
}

describe("matchPolicyByName", () => {
    test("an exact name matches", () => {
        expect(matchPolicyByName(ALL, "Block legacy auth").id).toBe("00000000-0000-4000-8000-000000000002");
    });

    test("a name two policies share is ambiguous and lists both ids", () => {
        const e = failing(() => matchPolicyByName(ALL, "Dup"));
        expect(e.code).toBe("CA_POLICY_AMBIGUOUS");
        expect(e.input).toBe("policy");
        expect(e.message).toContain("00000000-0000-4000-8000-000000000003, 00000000-0000-4000-8000-000000000004");
    });

    test("a name that differs in case is not a match, but is offered first", () => {
        const e = failing(() => matchPolicyByName(ALL, "require mfa for all users"));
        expect(e.code).toBe("CA_POLICY_NOT_FOUND");
        expect(e.message).toMatch(/similar names: "Require MFA for all users" \(00000000-0000-4000-8000-000000000001\)/);
    });

    test("an unrelated name lists the tenant's policies", () => {
        const e = failing(() => matchPolicyByName(ALL, "Nothing like it"));
        expect(e.message).toContain('the tenant\'s policies are: "Require MFA for all users"');
    });

    test("an empty tenant says so", () => {
        expect(failing(() => matchPolicyByName([], "x")).message).toContain("has no Conditional Access policies");
    });
});

describe("findPolicy", () => {
    test("by id reads the policy; an unknown id names it", async () => {
        const dir = { get: async (id: string) => ALL.find((p) => p.id === id), list: async () => { throw new Error("no list for ids"); } };
        expect((await findPolicy(dir, "00000000-0000-4000-8000-000000000002")).displayName).toBe("Block legacy auth");
        const e = await findPolicy(dir, "00000000-0000-4000-8000-00000000000f").catch((x) => x);
        expect(e.message).toBe("policy: no Conditional Access policy has the id 00000000-0000-4000-8000-00000000000f");
    });
});
