// The read-modify-write loop against an in-memory policy with Graph's PATCH semantics (the
// emulator's own mergePatch: objects merge, arrays replace), and scripted concurrent writers.
import { mergePatch } from "../../../lab/emulator/routes/conditional-access";
import { isProviderError } from "../../../provider/core/errors";
import type { CaPolicy, PatchBody } from "../../../provider/conditional-access/merge";
import { emptyIds, type ExclusionIds } from "../../../provider/conditional-access/model";
import { reconcileExclusions, type PolicyApi, type ReconcileRequest } from "../../../provider/conditional-access/reconcile";

const G = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const APP = "0a1b2c3d-0004-4000-8000-000000000001";

class FakePolicies implements PolicyApi {
    stored: CaPolicy | undefined;
    log: string[] = [];
    /** runs after our PATCH is applied, before the next GET: a concurrent writer */
    afterPatch: ((p: CaPolicy) => void)[] = [];
    /** runs just before our PATCH is applied */
    beforePatch: ((p: CaPolicy) => void)[] = [];

    constructor(groups: string[] = [], apps: string[] = []) {
        this.stored = {
            id: "p1", displayName: "Require MFA",
            conditions: {
                applications: { includeApplications: ["All"], excludeApplications: apps },
                users: { includeUsers: ["All"], excludeUsers: [], excludeGroups: groups },
            },
        };
    }
    async get(): Promise<CaPolicy | undefined> {
        this.log.push("GET");
        return this.stored && JSON.parse(JSON.stringify(this.stored));
    }
    async patch(_id: string, body: PatchBody): Promise<void> {
        this.log.push("PATCH");
        if (!this.stored) throw new Error("404");
        this.beforePatch.shift()?.(this.stored);
        mergePatch(this.stored, JSON.parse(JSON.stringify(body)));
        this.afterPatch.shift()?.(this.stored);
    }
    groups(): string[] { return (this.stored!.conditions!.users as any).excludeGroups; }
    apps(): string[] { return (this.stored!.conditions!.applications as any).excludeApplications; }
}

const ids = (x: Partial<ExclusionIds>): ExclusionIds => ({ ...emptyIds(), ...x });
const req = (over: Partial<ReconcileRequest>): ReconcileRequest =>
    ({ policyId: "p1", policyLabel: '"Require MFA" (p1)', want: emptyIds(), previouslyOwned: emptyIds(), ifMissing: "error", ...over });

describe("reconcileExclusions", () => {
    test("create next to a pre-existing entry: adds ours, owns only ours, verifies by reading back", async () => {
        const api = new FakePolicies([G(1)]);
        const r = await reconcileExclusions(api, req({ want: ids({ groups: [G(1), G(2)] }) }));
        expect(api.groups()).toEqual([G(1), G(2)]);
        expect(r.owned.groups).toEqual([G(2)]);
        expect(api.log).toEqual(["GET", "PATCH", "GET"]);
    });

    test("nothing to do: one read, no write", async () => {
        const api = new FakePolicies([G(1)]);
        const r = await reconcileExclusions(api, req({ want: ids({ groups: [G(1)] }), previouslyOwned: ids({ groups: [G(1)] }) }));
        expect(api.log).toEqual(["GET"]);
        expect(r.writes).toBe(0);
    });

    test("delete removes what we own and leaves the pre-existing and hand-added entries", async () => {
        const api = new FakePolicies([G(1), G(2), G(3)]);
        await reconcileExclusions(api, req({ previouslyOwned: ids({ groups: [G(2)] }), ifMissing: "done" }));
        expect(api.groups()).toEqual([G(1), G(3)]);
    });

    test("a stale concurrent write that lands after ours and drops our entry: we re-read and merge again, both survive", async () => {
        const api = new FakePolicies([G(1)]);
        // the other writer read [G1] before our write and writes [G1, G9] after it
        api.afterPatch.push((p) => { (p.conditions!.users as any).excludeGroups = [G(1), G(9)]; });
        const r = await reconcileExclusions(api, req({ want: ids({ groups: [G(2)] }) }));
        expect(api.groups()).toEqual([G(1), G(9), G(2)]);
        expect(r.writes).toBe(2);
        expect(api.log).toEqual(["GET", "PATCH", "GET", "PATCH", "GET"]);
    });

    test("a concurrent edit of the OTHER sub-object between our read and write is kept (we send only ours)", async () => {
        const api = new FakePolicies([G(1)]);
        api.beforePatch.push((p) => { (p.conditions!.users as any).excludeGroups = [G(1), G(9)]; });
        await reconcileExclusions(api, req({ want: ids({ applications: [APP] }) }));
        expect(api.apps()).toEqual([APP]);
        expect(api.groups()).toEqual([G(1), G(9)]);
    });

    test("two verifying writers racing on the same list both end up present", async () => {
        const api = new FakePolicies([G(1)]);
        // interleave: A reads, B reads, A writes, B writes (overwrites A), A reads back...
        const gate: (() => void)[] = [];
        const slow: PolicyApi = {
            get: async () => { const p = await api.get(); await new Promise<void>((r) => gate.push(r)); return p; },
            patch: async (id, b) => { await api.patch(id, b); await new Promise<void>((r) => gate.push(r)); },
        };
        const a = reconcileExclusions(slow, req({ want: ids({ groups: [G(2)] }) }));
        const b = reconcileExclusions(slow, req({ want: ids({ groups: [G(3)] }) }));
        // release waiting calls one at a time, in arrival order, until both finish
        let done = false;
        Promise.all([a, b]).finally(() => { done = true; });
        for (let i = 0; i < 100 && !done; i++) { await new Promise((r) => setImmediate(r)); gate.shift()?.(); }
        const [ra, rb] = await Promise.all([a, b]);
        expect([...api.groups()].sort()).toEqual([G(1), G(2), G(3)].sort());
        // the race really happened: one side had to write again
        expect(ra.writes + rb.writes).toBe(3);
    });

    test("a writer that keeps undoing ours ends in CA_CONCURRENT_WRITES after maxRounds, naming the policy", async () => {
        const api = new FakePolicies([G(1)]);
        for (let i = 0; i < 10; i++) api.afterPatch.push((p) => { (p.conditions!.users as any).excludeGroups = [G(1)]; });
        const e = await reconcileExclusions(api, req({ want: ids({ groups: [G(2)] }), maxRounds: 3 })).catch((x) => x);
        expect(isProviderError(e, "CA_CONCURRENT_WRITES")).toBe(true);
        expect(e.message).toContain('"Require MFA" (p1)');
        expect(e.message).toContain(G(2));
        expect(api.log.filter((x) => x === "PATCH")).toHaveLength(3);
    });

    test("a deleted policy: an error naming it on create/update, nothing to do on delete", async () => {
        const api = new FakePolicies();
        api.stored = undefined;
        const e = await reconcileExclusions(api, req({ want: ids({ groups: [G(1)] }) })).catch((x) => x);
        expect(isProviderError(e, "CA_POLICY_DELETED")).toBe(true);
        expect(e.message).toMatch(/"Require MFA" \(p1\) no longer exists/);
        await expect(reconcileExclusions(api, req({ previouslyOwned: ids({ groups: [G(1)] }), ifMissing: "done" }))).resolves.toMatchObject({ writes: 0 });
        expect(api.log).not.toContain("PATCH");
    });
});
