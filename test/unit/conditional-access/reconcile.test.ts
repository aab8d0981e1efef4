// The read-modify-write loop against an in-memory policy with Graph's PATCH semantics (the
// emulator's own mergePatch: objects merge, arrays replace), and scripted concurrent writers.
import { mergePatch } from "../../../lab/emulator/routes/conditional-access";
import { isProviderError, ProviderError } from "../../../provider/core/errors";
import type { SendFailure } from "../../../provider/graph/request";
import { CONSISTENT_READS } from "../../../provider/graph/settled-read";
import type { CaPolicy, PatchBody } from "../../../provider/conditional-access/merge";
import { emptyIds, type ExclusionIds } from "../../../provider/conditional-access/model";
import { reconcileExclusions, type PolicyApi, type ReconcileRequest } from "../../../provider/conditional-access/reconcile";

const G = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const APP = "0a1b2c3d-0004-4000-8000-000000000001";

/** A logical clock for modifiedDateTime: every write is one second after the previous one. */
let tick = 0;
const nextVersion = () => new Date(Date.UTC(2026, 0, 1, 0, 0, ++tick)).toISOString();
const copy = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

class FakePolicies implements PolicyApi {
    stored: CaPolicy | undefined;
    /** the version before the latest write: what a lagging replica still serves */
    previous: CaPolicy | undefined;
    log: string[] = [];
    /** every PATCH body attempted, in order (throttled ones included) */
    bodies: PatchBody[] = [];
    /** runs after our PATCH is applied, before the next GET: a concurrent writer */
    afterPatch: ((p: CaPolicy) => void)[] = [];
    /** runs just before our PATCH is applied */
    beforePatch: ((p: CaPolicy) => void)[] = [];
    /** the next N GETs are served by a lagging replica (the version before the latest write) */
    laggingReads = 0;
    /** the next N PATCH attempts are refused with 429 (not applied); `during` runs while the client waits */
    throttle: { during?: () => void }[] = [];
    /** the next N PATCH attempts are applied, then fail as if the answer was lost (500) */
    lostAnswers = 0;

    constructor(groups: string[] = [], apps: string[] = []) {
        this.stored = {
            id: "p1", displayName: "Require MFA", createdDateTime: nextVersion(), modifiedDateTime: null,
            conditions: {
                applications: { includeApplications: ["All"], excludeApplications: apps },
                users: { includeUsers: ["All"], excludeUsers: [], excludeGroups: groups },
            },
        };
    }
    /** another client's write: applied at once, seen by lagging replicas only later */
    write(change: (p: CaPolicy) => void): void {
        this.previous = copy(this.stored);
        change(this.stored!);
        this.stored!.modifiedDateTime = nextVersion();
    }
    async get(): Promise<CaPolicy | undefined> {
        const lagging = this.laggingReads > 0 && this.previous !== undefined;
        if (this.laggingReads > 0) this.laggingReads--;
        this.log.push(lagging ? "GET(stale)" : "GET");
        return copy(lagging ? this.previous : this.stored);
    }
    async patchOnce(_id: string, body: PatchBody): Promise<SendFailure | undefined> {
        this.bodies.push(copy(body));
        const throttled = this.throttle.shift();
        if (throttled) {
            this.log.push("PATCH(429)");
            throttled.during?.();
            return { error: new ProviderError("GRAPH_THROTTLED", "throttled", { httpStatus: 429, retryable: true }), mayHaveApplied: false, waitedMs: 0 };
        }
        if (!this.stored) throw new ProviderError("GRAPH_NOT_FOUND", "404", { httpStatus: 404 });
        this.beforePatch.shift()?.(this.stored);
        this.write((p) => mergePatch(p, copy(body)));
        this.afterPatch.shift()?.(this.stored);
        if (this.lostAnswers > 0) {
            this.lostAnswers--;
            this.log.push("PATCH(500)");
            return { error: new ProviderError("GRAPH_SERVICE_ERROR", "lost", { httpStatus: 500, retryable: true }), mayHaveApplied: true, waitedMs: 0 };
        }
        this.log.push("PATCH");
        return undefined;
    }
    groups(): string[] { return (this.stored!.conditions!.users as any).excludeGroups; }
    apps(): string[] { return (this.stored!.conditions!.applications as any).excludeApplications; }
}

/** N settled reads' worth of GETs */
const reads = (n = CONSISTENT_READS) => Array(n).fill("GET");
const groupsIn = (b: PatchBody) => (b.conditions.users as any)?.excludeGroups as string[] | undefined;

const ids = (x: Partial<ExclusionIds>): ExclusionIds => ({ ...emptyIds(), ...x });
const req = (over: Partial<ReconcileRequest>): ReconcileRequest =>
    ({ policyId: "p1", policyLabel: '"Require MFA" (p1)', want: emptyIds(), previouslyOwned: emptyIds(), ifMissing: "error", ...over });

describe("reconcileExclusions", () => {
    test("create next to a pre-existing entry: adds ours, owns only ours, verifies by reading back", async () => {
        const api = new FakePolicies([G(1)]);
        const r = await reconcileExclusions(api, req({ want: ids({ groups: [G(1), G(2)] }) }));
        expect(api.groups()).toEqual([G(1), G(2)]);
        expect(r.owned.groups).toEqual([G(2)]);
        expect(api.log).toEqual([...reads(), "PATCH", ...reads()]);
    });

    test("nothing to do: one read, no write", async () => {
        const api = new FakePolicies([G(1)]);
        const r = await reconcileExclusions(api, req({ want: ids({ groups: [G(1)] }), previouslyOwned: ids({ groups: [G(1)] }) }));
        expect(api.log).toEqual(reads());
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
        api.afterPatch.push(() => api.write((p) => { (p.conditions!.users as any).excludeGroups = [G(1), G(9)]; }));
        const r = await reconcileExclusions(api, req({ want: ids({ groups: [G(2)] }) }));
        expect(api.groups()).toEqual([G(1), G(9), G(2)]);
        expect(r.writes).toBe(2);
        expect(api.log).toEqual([...reads(), "PATCH", ...reads(), "PATCH", ...reads()]);
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
        // Both settle on [G1] before either writes. A writes [G1, G2]; B's stale body [G1, G3] lands
        // while A is reading back (as it must on Graph: B's read-to-write window is shorter than the
        // span of A's settled read-back). A sees G2 lost and writes again.
        const waiting: (() => void)[] = [];
        let releaseSecond: (() => void) | undefined;
        const racing: PolicyApi = {
            get: async () => {
                const p = await api.get();
                if (releaseSecond) { const r = releaseSecond; releaseSecond = undefined; setTimeout(r, 0); }
                return p;
            },
            patchOnce: async (id, b) => {
                if (waiting.length < 2) {
                    await new Promise<void>((r) => { waiting.push(r); if (waiting.length === 2) { waiting[0](); releaseSecond = waiting[1]; } });
                }
                return api.patchOnce(id, b);
            },
        };
        const [ra, rb] = await Promise.all([
            reconcileExclusions(racing, req({ want: ids({ groups: [G(2)] }) })),
            reconcileExclusions(racing, req({ want: ids({ groups: [G(3)] }) })),
        ]);
        expect([...api.groups()].sort()).toEqual([G(1), G(2), G(3)].sort());
        // the race really happened: one side saw its entry lost and wrote again
        expect(ra.writes + rb.writes).toBe(3);
    });

    test("a writer that keeps undoing ours ends in CA_CONCURRENT_WRITES after maxRounds, naming the policy", async () => {
        const api = new FakePolicies([G(1)]);
        for (let i = 0; i < 10; i++) api.afterPatch.push(() => api.write((p) => { (p.conditions!.users as any).excludeGroups = [G(1)]; }));
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

    test("a throttled write is never re-sent with its old body: the next attempt is merged from a fresh read", async () => {
        const api = new FakePolicies([G(1)]);
        // while we wait out the 429, another client adds G9 (and reads its own write back)
        api.throttle.push({ during: () => api.write((p) => { (p.conditions!.users as any).excludeGroups = [G(1), G(9)]; }) });
        const r = await reconcileExclusions(api, req({ want: ids({ groups: [G(2)] }) }));
        expect(api.groups()).toEqual([G(1), G(9), G(2)]);
        expect(api.bodies.map(groupsIn)).toEqual([[G(1), G(2)], [G(1), G(9), G(2)]]);
        expect(api.log).toEqual([...reads(), "PATCH(429)", ...reads(), "PATCH", ...reads()]);
        expect(r).toMatchObject({ writes: 1, failedAttempts: 1 });
    });

    test("every attempt after a failure carries a body built from a read made after that failure", async () => {
        const api = new FakePolicies([G(1)]);
        let n = 10;
        for (let i = 0; i < 3; i++) { const g = G(n++); api.throttle.push({ during: () => api.write((p) => { (p.conditions!.users as any).excludeGroups.push(g); }) }); }
        await reconcileExclusions(api, req({ want: ids({ groups: [G(2)] }) }));
        expect(api.groups()).toEqual([G(1), G(10), G(11), G(12), G(2)]);
        // no body is sent twice, and each one holds everything the other client had written by then
        expect(new Set(api.bodies.map((b) => JSON.stringify(b))).size).toBe(api.bodies.length);
        expect(api.bodies.map((b) => groupsIn(b)!.length)).toEqual([2, 3, 4, 5]);
    });

    test("a write whose answer was lost (it did land) is not written again: the fresh read shows it done", async () => {
        const api = new FakePolicies([G(1)]);
        api.lostAnswers = 1;
        const r = await reconcileExclusions(api, req({ want: ids({ groups: [G(2)] }) }));
        expect(api.groups()).toEqual([G(1), G(2)]);
        expect(api.log).toEqual([...reads(), "PATCH(500)", ...reads()]);
        expect(r.failedAttempts).toBe(1);
    });

    test("a lagging replica that still serves the policy before another client's write is not merged from", async () => {
        const api = new FakePolicies([G(1)]);
        api.write((p) => { (p.conditions!.users as any).excludeGroups = [G(1), G(9)]; });
        api.laggingReads = 2; // the first two reads miss G9
        await reconcileExclusions(api, req({ want: ids({ groups: [G(2)] }) }));
        expect(api.groups()).toEqual([G(1), G(9), G(2)]);
        expect(groupsIn(api.bodies[0])).toEqual([G(1), G(9), G(2)]);
        expect(api.log.slice(0, 2 + CONSISTENT_READS)).toEqual(["GET(stale)", "GET(stale)", ...reads()]);
    });

    test("a read older than one already seen is dropped, never merged from", async () => {
        const api = new FakePolicies([G(1)]);
        api.write((p) => { (p.conditions!.users as any).excludeGroups = [G(1), G(9)]; });
        const seen = await api.get(); // e.g. the name lookup's list saw the new version
        api.laggingReads = 5;         // ...and every replica asked next still has the old one
        await reconcileExclusions(api, req({ want: ids({ groups: [G(2)] }), firstRead: seen }));
        expect(groupsIn(api.bodies[0])).toEqual([G(1), G(9), G(2)]);
        expect(api.groups()).toEqual([G(1), G(9), G(2)]);
    });

    test("the read-back waits until our own write is visible instead of reading a lagging replica as 'lost'", async () => {
        const api = new FakePolicies([G(1)]);
        api.afterPatch.push(() => { api.laggingReads = 2; });
        const r = await reconcileExclusions(api, req({ want: ids({ groups: [G(2)] }) }));
        expect(r.writes).toBe(1); // without waiting, the stale read-back would have triggered a second write
        expect(api.log).toEqual([...reads(), "PATCH", "GET(stale)", "GET(stale)", ...reads()]);
    });

    test("reads that never settle end in a retryable error, not in a write from an unsettled read", async () => {
        const api = new FakePolicies([G(1)]);
        let i = 0;
        api.get = async () => { api.log.push("GET"); return { ...copy(api.stored!), modifiedDateTime: new Date(Date.UTC(2027, 0, 1, 0, 0, i++)).toISOString() }; };
        const e = await reconcileExclusions(api, req({ want: ids({ groups: [G(2)] }) })).catch((x) => x);
        expect(isProviderError(e, "GRAPH_READS_UNSETTLED")).toBe(true);
        expect(e.retryable).toBe(true);
        expect(api.bodies).toHaveLength(0);
    });
});
