// The FIDO2 read-modify-write over a fake configuration: a write that never reads back as sent ends
// after maxRounds with a retryable error (never an endless loop), and a failed attempt is followed
// by a new read and a new body, never a re-send.
import { ProviderError, isProviderError } from "../../../provider/core/errors";
import type { Fido2Api } from "../../../provider/fido2/gateway";
import type { Fido2PatchBody } from "../../../provider/fido2/merge";
import type { Fido2Config } from "../../../provider/fido2/model";
import { reconcileFido2 } from "../../../provider/fido2/reconcile";

const FOREIGN = "0a1b2c3d-0001-4000-8000-000000000005", PILOT = "0a1b2c3d-0001-4000-8000-000000000002";
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function fakeApi(onPatch: (c: Fido2Config, body: Fido2PatchBody, attempt: number) => "fail" | void) {
    let config: Fido2Config = { id: "Fido2", state: "enabled", includeTargets: [{ id: FOREIGN, targetType: "group" }] };
    const bodies: Fido2PatchBody[] = [];
    const api: Fido2Api = {
        get: async () => clone(config),
        async patchOnce(body, attempt) {
            bodies.push(clone(body));
            const next = { ...clone(config), ...clone(body) };
            if (onPatch(next, body, attempt) === "fail") return { error: new ProviderError("GRAPH_THROTTLED", "429", { retryable: true }), mayHaveApplied: false, waitedMs: 0 };
            config = next;
            return undefined;
        },
    };
    return { api, bodies, config: () => config };
}

test("someone who keeps removing our target makes the write give up after maxRounds, retryably, naming what is missing", async () => {
    const f = fakeApi((c) => { c.includeTargets = c.includeTargets!.filter((t) => t.id !== PILOT); });
    const e = await reconcileFido2(f.api, { want: [PILOT], previouslyOwned: [], settings: {}, maxRounds: 3, spacingMs: 0 }).then(() => undefined, (x) => x);
    expect(isProviderError(e, "FIDO2_CONCURRENT_WRITES")).toBe(true);
    expect(e.retryable).toBe(true);
    expect(e.message).toContain(`3 writes`);
    expect(e.message).toContain(`includeTargets lacks ${PILOT}`);
    expect(f.bodies).toHaveLength(3);
});

test("a failed attempt is followed by a fresh read: the next body carries a target that appeared in between", async () => {
    const LATE = "0a1b2c3d-0001-4000-8000-000000000004";
    let failed = false;
    const f = fakeApi((_c, _b, attempt) => {
        if (failed) return;
        failed = true;
        expect(attempt).toBe(1);
        return "fail";
    });
    const api: Fido2Api = {
        ...f.api,
        async patchOnce(body, attempt) {
            const r = await f.api.patchOnce(body, attempt);
            // another client adds a target while our failed attempt is being waited out
            if (r) (f.config().includeTargets as any[]).push({ id: LATE, targetType: "group" });
            return r;
        },
    };
    const r = await reconcileFido2(api, { want: [PILOT], previouslyOwned: [], settings: {}, spacingMs: 0 });
    expect(f.bodies.map((b) => b.includeTargets!.map((t) => t.id))).toEqual([[FOREIGN, PILOT], [FOREIGN, LATE, PILOT]]);
    expect(r).toMatchObject({ owned: [PILOT], writes: 1, failedAttempts: 1 });
});
