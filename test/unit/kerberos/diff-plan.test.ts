// diff (update or replace?) and the plan of named changes a create/update executes.
import { planDiff as planDiffTyped } from "../../../provider/kerberos/diff";
import { planChanges } from "../../../provider/kerberos/plan";
import { reasonText } from "../../../provider/kerberos/reasons";
import { decideRotation } from "../../../provider/kerberos/rotation";
import { adState, cloudTable, NO_CLOUD, observation, rotatedOnPrem, CLAIM } from "./fixtures";

const NOW = new Date("2026-02-01T00:00:00.000Z");
const inputs = () => ({
    domain: "corp.example.com",
    directory: { urls: ["ldaps://dc1:636"], username: "admin@corp.example.com", password: { env: "PW" } },
    publisher: { type: "lab", endpoint: "https://127.0.0.1:47443/lab/kerberos" },
    graph: { tenantId: "t", credential: { type: "default" } },
    allowedGroups: ["Staff", "Domain Users"],
    keyRotation: { maxAgeDays: 180, trigger: "a" },
    driftReasons: [],
});
/** The plan with its reasons as the sentences logs show (the typed reasons are checked below). */
const planDiff = (olds: Record<string, unknown>, news: Record<string, unknown>, now: Date) => {
    const p = planDiffTyped(olds, news, now);
    return { ...p, reasons: p.reasons.map(reasonText) };
};
const state = (over: Record<string, unknown> = {}) => ({ ...inputs(), keyUpdatedOn: "2026-01-10T08:00:00.000Z", driftReasons: [], inSync: true, ...over });

describe("diff", () => {
    test("nothing changed, nothing drifted: no changes", () => {
        expect(planDiff(state(), inputs(), NOW)).toEqual({ changes: false, replaces: [], reasons: [] });
    });

    test("group lists compare as sets", () => {
        expect(planDiff(state(), { ...inputs(), allowedGroups: ["domain users", "STAFF"] }, NOW).changes).toBe(false);
        expect(planDiff(state(), { ...inputs(), allowedGroups: ["Staff"] }, NOW)).toMatchObject({ changes: true, replaces: [], reasons: ["input allowedGroups changed"] });
        expect(planDiff(state(), { ...inputs(), deniedGroups: ["MSOL"] }, NOW).reasons).toEqual(["input deniedGroups changed"]);
    });

    test("drift found by the last refresh means an update, with its reasons", () => {
        const d = planDiff(state({ driftReasons: ["key version on-prem 4052 ≠ cloud 4040"] }), inputs(), NOW);
        expect(d).toEqual({ changes: true, replaces: [], reasons: ["key version on-prem 4052 ≠ cloud 4040"] });
    });

    test("the key aged past maxAgeDays since the last refresh", () => {
        expect(planDiff(state(), { ...inputs(), keyRotation: { maxAgeDays: 10, trigger: "a" } }, NOW).reasons).toEqual(["key is 21 days old (maxAgeDays 10)", "input keyRotation changed"]);
        expect(planDiff(state({ keyRotation: { maxAgeDays: 10, trigger: "a" } }), { ...inputs(), keyRotation: { maxAgeDays: 10, trigger: "a" } }, NOW).reasons).toEqual(["key is 21 days old (maxAgeDays 10)"]);
    });

    test("reasons are typed; a recorded verdict is carried as it was stored, never read for its meaning", () => {
        const recorded = planDiffTyped(state({ driftReasons: ["key is 400 days old (maxAgeDays 10)"] }), inputs(), NOW);
        expect(recorded.reasons).toEqual([{ kind: "recordedDrift", text: "key is 400 days old (maxAgeDays 10)" }]);
        const aged = planDiffTyped(state({ keyRotation: { maxAgeDays: 10, trigger: "a" } }), { ...inputs(), keyRotation: { maxAgeDays: 10, trigger: "a" } }, NOW);
        expect(aged.reasons).toEqual([{ kind: "keyAge", days: 21, maxAgeDays: 10 }]);
        // a recorded verdict already explains the update: the key's age is not added beside it
        expect(planDiffTyped(state({ keyRotation: { maxAgeDays: 10, trigger: "a" }, driftReasons: ["x"] }), { ...inputs(), keyRotation: { maxAgeDays: 10, trigger: "a" } }, NOW).reasons)
            .toEqual([{ kind: "recordedDrift", text: "x" }]);
    });

    test("trigger change updates", () => {
        expect(planDiff(state(), { ...inputs(), keyRotation: { maxAgeDays: 180, trigger: "b" } }, NOW).reasons).toEqual(['keyRotation.trigger changed from "a" to "b"', "input keyRotation changed"]);
    });

    test("only a domain change replaces; a respelling of the same domain updates", () => {
        expect(planDiff(state(), { ...inputs(), domain: "fabrikam.example.com" }, NOW)).toMatchObject({ changes: true, replaces: ["domain"] });
        expect(planDiff(state(), { ...inputs(), domain: "CORP.example.com" }, NOW)).toMatchObject({ changes: true, replaces: [] });
        for (const change of [{ directory: { ...inputs().directory, urls: ["ldaps://dc2:636"] } }, { publisher: { type: "lab", endpoint: "https://x/lab" } }, { allowPrivilegedGroups: true }, { graph: undefined }]) {
            expect(planDiff(state(), { ...inputs(), ...change }, NOW)).toMatchObject({ changes: true, replaces: [] });
        }
    });
});

describe("plan of a create/update", () => {
    const noRotation = { rotate: false, reasons: [], force: false };

    test("create always publishes (adoption), then lists only if they differ", () => {
        expect(planChanges(observation(), noRotation, false)).toEqual([{ kind: "publish", why: "create (adopts an existing server)" }]);
        const fresh = observation({ ad: adState({ scp: undefined, computer: undefined, krbtgt: undefined, absent: true, complete: false }), prp: undefined, cloud: cloudTable(NO_CLOUD) });
        expect(planChanges(fresh, noRotation, false).map((c) => c.kind)).toEqual(["publish", "allowList", "denyList"]);
    });

    test("an in-sync server needs nothing on update", () => {
        expect(planChanges(observation(), noRotation, true)).toEqual([]);
    });

    test("a key changed out of band is rotated, not just re-published", () => {
        const obs = observation({ ad: rotatedOnPrem(1586495) });
        const rotation = decideRotation({ keyVersion: 1586495, cloudKeyVersion: 1585708, keyUpdatedOn: "2026-01-11T09:00:00.000Z", existing: true, now: NOW });
        expect(planChanges(obs, rotation, true)).toEqual([{ kind: "rotate", why: "key version on-prem 1586495 ≠ cloud 1585708" }]);
    });

    test("lists edited by hand are fixed in place without publishing", () => {
        const obs = observation({ prp: { allow: { missing: ["CN=Staff"], extra: [] }, deny: { missing: [], extra: ["CN=X"] }, claim: CLAIM } });
        expect(planChanges(obs, noRotation, true).map((c) => c.kind)).toEqual(["allowList", "denyList"]);
    });

    test("a missing claim on lists that are in sync is written on its own; with a list change the list write carries it", () => {
        const stale = { ...CLAIM, current: false };
        expect(planChanges(observation({ prp: { allow: { missing: [], extra: [] }, deny: { missing: [], extra: [] }, claim: stale } }), noRotation, true))
            .toEqual([{ kind: "listClaim", why: `claim of ${CLAIM.owner} missing or out of date` }]);
        expect(planChanges(observation({ prp: { allow: { missing: ["CN=Staff"], extra: [] }, deny: { missing: [], extra: [] }, claim: stale } }), noRotation, true)
            .map((c) => c.kind)).toEqual(["allowList"]);
    });

    test("missing objects or a missing cloud record are published again", () => {
        expect(planChanges(observation({ cloud: cloudTable(NO_CLOUD) }), noRotation, true)).toEqual([{ kind: "publish", why: "cloud record (KerberosDomain) for corp.example.com missing" }]);
    });
});
