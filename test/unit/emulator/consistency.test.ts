// The emulator's eventual-consistency mode (lab/emulator/consistency.ts) and the provider's settled
// reads (provider/graph/settled-read.ts) against it: lagging replicas serve the previous version for
// a window after a write, deterministically under a seed; settled reads spanning the window never
// return the old version.
import { ReplicaLag, DEFAULT_CONSISTENCY } from "../../../lab/emulator/consistency";
import { TenantState } from "../../../lab/emulator/state";
import { settledRead } from "../../../provider/graph/settled-read";
import { isProviderError } from "../../../provider/core/errors";

function tenant(now: { t: number }, settings = {}) {
    const lag = new ReplicaLag({ ...DEFAULT_CONSISTENCY, enabled: true, ...settings }, () => now.t);
    const state = new TenantState("t1", () => ({
        organization: [], groups: [], users: [], servicePrincipals: [], configurationPolicies: [], configurationSettings: [], deviceConfigurations: [], authenticationMethodConfigurations: [], directoryAudits: [], groupMembers: [],
        policies: [{ id: "p1", displayName: "v1", modifiedDateTime: "2026-01-01T00:00:01Z" }],
    }));
    state.lag = lag;
    return { lag, state };
}
const write = (state: TenantState, name: string, at: string) => state.update("policies", "p1", (e) => { e.displayName = name; e.modifiedDateTime = at; });

describe("ReplicaLag", () => {
    test("within the window a read may see the previous version; after it, always the latest; writes see the latest", () => {
        const now = { t: 0 };
        const { lag, state } = tenant(now, { staleProbability: 0.5, windowMs: 1000 });
        write(state, "v2", "2026-01-01T00:00:02Z");
        const seen = Array.from({ length: 40 }, () => state.replicaRead().get("policies", "p1").displayName);
        expect(new Set(seen)).toEqual(new Set(["v1", "v2"]));
        expect(lag.staleServed).toBe(seen.filter((x) => x === "v1").length);
        expect(state.get("policies", "p1").displayName).toBe("v2");
        now.t = 1000;
        expect(Array.from({ length: 20 }, () => state.replicaRead().get("policies", "p1").displayName)).toEqual(Array(20).fill("v2"));
    });

    test("deterministic under the seed; a different seed lags differently", () => {
        const sequence = (seed: number) => {
            const now = { t: 0 };
            const { state } = tenant(now, { seed });
            write(state, "v2", "2026-01-01T00:00:02Z");
            return Array.from({ length: 32 }, () => state.replicaRead().policies[0].displayName).join(",");
        };
        expect(sequence(7)).toBe(sequence(7));
        expect(sequence(7)).not.toBe(sequence(8));
    });

    test("a just-created object can be missing from a lagging read, a just-deleted one still there", () => {
        const now = { t: 0 };
        const { state } = tenant(now, { staleProbability: 1 });
        state.insert("policies", { id: "p2", displayName: "new" });
        expect(state.replicaRead().get("policies", "p2")).toBeUndefined();
        state.remove("policies", "p1");
        expect(state.replicaRead().get("policies", "p1")?.displayName).toBe("v1");
        expect(state.get("policies", "p1")).toBeUndefined();
    });

    test("disabled (the default): reads are the store itself", () => {
        const state = new TenantState("t1", () => ({ organization: [], groups: [], users: [], servicePrincipals: [], policies: [], configurationPolicies: [], configurationSettings: [], deviceConfigurations: [], authenticationMethodConfigurations: [], directoryAudits: [], groupMembers: [] }));
        state.lag = new ReplicaLag();
        expect(state.replicaRead()).toBe(state);
    });

    test("settings are validated", () => {
        expect(() => new ReplicaLag().configure({ staleProbability: 2 })).toThrow(/staleProbability/);
        expect(() => new ReplicaLag().configure({ collections: ["groups"] })).toThrow(/collections/);
    });
});

describe("settledRead over a lagging replica", () => {
    test("reads spaced to span the window return the latest version, every seed", async () => {
        for (let seed = 1; seed <= 50; seed++) {
            const now = { t: 0 };
            const { state } = tenant(now, { seed, windowMs: 1500, staleProbability: 0.7 });
            write(state, "v2", "2026-01-01T00:00:02Z");
            const r = await settledRead(async () => ({ ...state.replicaRead().get("policies", "p1") }), {
                agree: 3, maxReads: 12, spacingMs: 800, version: (p) => p.modifiedDateTime, what: "p1",
                sleep: async (ms) => { now.t += ms; },
            });
            expect(r.value.displayName).toBe("v2");
        }
    });

    test("a floor drops older reads; reads that never settle are an error", async () => {
        let n = 0;
        const versions = ["2026-01-01T00:00:05Z", "2026-01-01T00:00:03Z", "2026-01-01T00:00:05Z", "2026-01-01T00:00:05Z"];
        const r = await settledRead(async () => ({ v: versions[n++] }), { agree: 2, maxReads: 4, spacingMs: 0, version: (x) => x.v, floor: "2026-01-01T00:00:04Z", what: "x" });
        expect(r).toMatchObject({ value: { v: "2026-01-01T00:00:05Z" }, stale: 1, reads: 4 });
        const e = await settledRead(async () => ({ v: String(n++) }), { agree: 2, maxReads: 3, spacingMs: 0, version: (x) => x.v, what: "policy X" }).catch((x) => x);
        expect(isProviderError(e, "GRAPH_READS_UNSETTLED")).toBe(true);
        expect(e.message).toContain("policy X");
    });
});
