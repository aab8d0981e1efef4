// The FIDO2 configuration's merge and ownership as data: only our targets and declared settings
// change, everyone else's targets go out as read, and a plan is verified against its read-back.
import { planFido2Merge, verifyFido2Merge } from "../../../provider/fido2/merge";
import type { Fido2Config } from "../../../provider/fido2/model";
import { observedState, planFido2Diff } from "../../../provider/fido2/operations";
import { decideTargetOwnership } from "../../../provider/fido2/reconcile";

const FOREIGN = "0a1b2c3d-0001-4000-8000-000000000005", PILOT = "0a1b2c3d-0001-4000-8000-000000000002", OTHER = "0a1b2c3d-0001-4000-8000-000000000001";
const YUBIKEY = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
const foreignTarget = { "@odata.type": "#microsoft.graph.passkeyAuthenticationMethodTarget", id: FOREIGN, targetType: "group", isRegistrationRequired: true, allowedPasskeyProfiles: [] };

function config(over: Partial<Fido2Config> = {}): Fido2Config {
    return {
        id: "Fido2", state: "enabled", isSelfServiceRegistrationAllowed: true, isAttestationEnforced: false,
        keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] }, excludeTargets: [], includeTargets: [foreignTarget], ...over,
    };
}

describe("planFido2Merge", () => {
    test("adds our group after the foreign target, which goes out as read (annotations dropped, properties kept)", () => {
        const plan = planFido2Merge(config(), [PILOT], [], {});
        expect(plan.body).toEqual({
            "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
            includeTargets: [{ id: FOREIGN, targetType: "group", isRegistrationRequired: true, allowedPasskeyProfiles: [] }, { id: PILOT, targetType: "group", isRegistrationRequired: false }],
        });
        expect(plan.added).toEqual([PILOT]);
        expect(plan.expectedTargets).toEqual([FOREIGN, PILOT]);
    });

    test("sends only the declared settings that differ, and no includeTargets when the targets are as wanted", () => {
        const plan = planFido2Merge(config({ includeTargets: [foreignTarget, { id: PILOT, targetType: "group" }] }), [PILOT], [],
            { state: "enabled", isAttestationEnforced: true, keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY] } });
        expect(plan.body).toEqual({
            "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
            isAttestationEnforced: true, keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY] },
        });
    });

    test("nothing to write: no body", () => {
        const c = config({ includeTargets: [foreignTarget, { id: PILOT, targetType: "group" }], keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY.toUpperCase()] } });
        expect(planFido2Merge(c, [PILOT], [], { keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY] } }).body).toBeUndefined();
    });

    test("removing our group keeps the foreign target and its order; a removal of an absent group sends nothing", () => {
        const c = config({ includeTargets: [{ id: PILOT, targetType: "group" }, foreignTarget] });
        const plan = planFido2Merge(c, [], [PILOT], {});
        expect(plan.body?.includeTargets?.map((t) => t.id)).toEqual([FOREIGN]);
        expect(plan.removed).toEqual([PILOT]);
        expect(planFido2Merge(config(), [], [PILOT], {}).body).toBeUndefined();
    });
});

describe("ownership of include targets", () => {
    test("we own what we add, never a target someone else put there, and give up only what we owned", () => {
        expect(decideTargetOwnership([PILOT, FOREIGN], [], [FOREIGN])).toEqual({ owned: [PILOT], remove: [] });
        // update: OTHER replaces PILOT; FOREIGN is no longer wanted but was never ours
        expect(decideTargetOwnership([OTHER], [PILOT], [FOREIGN, PILOT])).toEqual({ owned: [OTHER], remove: [PILOT] });
        // delete
        expect(decideTargetOwnership([], [OTHER], [FOREIGN, OTHER])).toEqual({ owned: [], remove: [OTHER] });
    });
});

describe("verifyFido2Merge", () => {
    const plan = planFido2Merge(config(), [PILOT], [], { isAttestationEnforced: true });
    test("ok once every target sent is there and every declared setting reads back", () => {
        expect(verifyFido2Merge(config({ isAttestationEnforced: true, includeTargets: [foreignTarget, { id: PILOT.toUpperCase(), targetType: "group" }] }), plan).ok).toBe(true);
    });
    test("a foreign target lost by a concurrent write, or a setting flipped, is not ok", () => {
        const v = verifyFido2Merge(config({ isAttestationEnforced: false, includeTargets: [{ id: PILOT, targetType: "group" }] }), plan);
        expect(v).toEqual({ ok: false, missing: [FOREIGN], lingering: [], settings: ["isAttestationEnforced"] });
    });
});

describe("drift as the engine sees it", () => {
    const graph = { tenantId: "t", credential: { type: "default" } } as any;
    const state = { graph, includeGroups: ["WHfB Pilot Users"], groupIds: [PILOT], ownedGroupIds: [PILOT], isAttestationEnforced: true };

    test("a removed pilot target and a flipped setting show in the refreshed inputs; undeclared settings stay out", () => {
        const seen = observedState(state, config({ isAttestationEnforced: false, state: "disabled" }));
        expect(seen).toEqual({ graph, includeGroups: [], groupIds: [], ownedGroupIds: [], isAttestationEnforced: false });
        const plan = planFido2Diff(seen, { graph, includeGroups: ["WHfB Pilot Users"], isAttestationEnforced: true });
        expect(plan).toMatchObject({ changed: true, groupsChanged: true, replaces: [] });
    });

    test("no drift: the state comes back as it was, and an unchanged program has no diff", () => {
        const seen = observedState(state, config({ isAttestationEnforced: true, includeTargets: [foreignTarget, { id: PILOT, targetType: "group" }] }));
        expect(seen).toEqual(state);
        expect(planFido2Diff(seen, { graph, includeGroups: ["WHfB Pilot Users"], isAttestationEnforced: true }).changed).toBe(false);
    });

    test("another tenant is a replacement", () => {
        expect(planFido2Diff(state, { graph: { ...graph, tenantId: "u" }, includeGroups: ["WHfB Pilot Users"] }).replaces).toEqual(["graph"]);
    });
});
