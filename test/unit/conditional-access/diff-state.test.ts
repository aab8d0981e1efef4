// Diff without I/O, and the state after a refresh (drift shows as missing entries).
import { hasChanges, planDiff } from "../../../provider/conditional-access/diff";
import type { CaPolicy } from "../../../provider/conditional-access/merge";
import type { ConditionalAccessExclusionState } from "../../../provider/conditional-access/model";
import { knownIds, observedState } from "../../../provider/conditional-access/state";

const G1 = "00000000-0000-4000-8000-000000000001";
const G2 = "00000000-0000-4000-8000-000000000002";
const APP = "0a1b2c3d-0004-4000-8000-000000000001";
const GRAPH = { tenantId: "T1", credential: { type: "clientSecret", clientId: "c", clientSecret: { env: "S" } } } as any;

const state: ConditionalAccessExclusionState = {
    graph: GRAPH, policy: "Require MFA", excludeGroups: ["Storage Users", "Pilot"], excludeApplications: ["[Storage Account] x"],
    policyId: "p1", policyDisplayName: "Require MFA",
    applicationIds: [APP], groupIds: [G1, G2], userIds: [],
    ownedApplicationIds: [APP], ownedGroupIds: [G2], ownedUserIds: [],
};
const inputs = { graph: GRAPH, policy: "Require MFA", excludeGroups: ["Storage Users", "Pilot"], excludeApplications: ["[Storage Account] x"] };

describe("planDiff", () => {
    test("same inputs (lists in another order, graph keys in another order): no changes", () => {
        const p = planDiff(state, { ...inputs, excludeGroups: ["Pilot", "Storage Users"], graph: { credential: GRAPH.credential, tenantId: "T1" } });
        expect(hasChanges(p)).toBe(false);
    });

    test.each([
        ["a new group", { excludeGroups: ["Storage Users", "Pilot", "New"] }, { changedKinds: ["groups"] }],
        ["another policy spelling", { policy: "p1" }, { policyChanged: true, replaces: [] }],
        ["another tenant", { graph: { ...GRAPH, tenantId: "T2" } }, { replaces: ["graph"] }],
        ["the same tenant in other case, new credential", { graph: { tenantId: "t1", credential: { type: "azureCli" } } }, { replaces: [], otherChanged: true }],
        ["an unknown entry", { excludeUsers: ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"] }, { hasUnknowns: true, changedKinds: ["users"] }],
    ])("%s", (_n, over, expected) => {
        const p = planDiff(state, { ...inputs, ...over } as Partial<ConditionalAccessExclusionState>);
        expect(hasChanges(p)).toBe(true);
        expect(p).toMatchObject(expected);
    });
});

describe("observedState (refresh)", () => {
    const policy = (groups: string[], apps: string[] = [APP]): CaPolicy => ({
        id: "p1", displayName: "Require MFA (renamed)",
        conditions: { applications: { excludeApplications: apps }, users: { excludeGroups: groups, excludeUsers: [] } },
    });

    test("an owned exclusion removed in the portal disappears from the inputs and from ownership", () => {
        const s = observedState(state, policy([G1]));
        expect(s.excludeGroups).toEqual(["Storage Users"]);
        expect(s.groupIds).toEqual([G1]);
        expect(s.ownedGroupIds).toEqual([]);
        expect(s.excludeApplications).toEqual(state.excludeApplications);
        expect(s.policyDisplayName).toBe("Require MFA (renamed)");
    });

    test("nothing drifted: the state is unchanged but for the display name", () => {
        expect(observedState(state, policy([G2, G1]))).toEqual({ ...state, policyDisplayName: "Require MFA (renamed)" });
    });

    test("an absent input list stays absent", () => {
        const s = observedState({ ...state, excludeUsers: undefined }, policy([G1, G2]));
        expect("excludeUsers" in s && s.excludeUsers !== undefined).toBe(false);
    });
});

describe("knownIds", () => {
    test("pairs spellings with the recorded ids, when aligned", () => {
        const k = knownIds(state);
        expect(k.groups.get("Pilot")).toBe(G2);
        expect(knownIds({ ...state, groupIds: [G1] }).groups.size).toBe(0);
    });
});
