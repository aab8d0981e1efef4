// The PATCH body as data: whole sub-objects as read, only our entries changed, only sub-objects we change.
import { exclusionsOf, planMerge, verifyMerge, type CaPolicy } from "../../../provider/conditional-access/merge";
import { emptyIds, type ExclusionIds } from "../../../provider/conditional-access/model";

const A = "0a1b2c3d-0004-4000-8000-000000000001";
const G1 = "00000000-0000-4000-8000-000000000001";
const G2 = "00000000-0000-4000-8000-000000000002";
const U1 = "00000000-0000-4000-8000-0000000000a1";

function policy(over: { apps?: string[]; groups?: string[]; users?: string[] } = {}): CaPolicy {
    return {
        id: "p1", displayName: "Require MFA", modifiedDateTime: null,
        conditions: {
            clientAppTypes: ["all"],
            applications: { "@odata.type": "#microsoft.graph.conditionalAccessApplications", includeApplications: ["All"], excludeApplications: over.apps ?? [], includeUserActions: [] },
            users: { includeUsers: ["All"], excludeUsers: over.users ?? [], includeGroups: [], excludeGroups: over.groups ?? [], includeRoles: [], excludeRoles: ["r1"], excludeGuestsOrExternalUsers: null },
        },
    };
}
const want = (x: Partial<ExclusionIds>): ExclusionIds => ({ ...emptyIds(), ...x });

describe("planMerge", () => {
    test("adds our entry after everyone else's, sending the whole users sub-object as read", () => {
        const p = policy({ groups: [G1], users: [U1] });
        const plan = planMerge(p, want({ groups: [G2] }), emptyIds());
        expect(plan.body).toEqual({ conditions: { users: { ...p.conditions!.users, excludeGroups: [G1, G2] } } });
        expect(plan.added.groups).toEqual([G2]);
        expect(plan.expected).toEqual({ groups: [G1, G2], users: [U1] }); // everyone else's, too
    });

    test("touches only the sub-object it changes (applications here), leaving users to concurrent writers", () => {
        const plan = planMerge(policy({ groups: [G1] }), want({ applications: [A] }), emptyIds());
        expect(Object.keys(plan.body!.conditions)).toEqual(["applications"]);
        expect(plan.body!.conditions.applications).toEqual({ includeApplications: ["All"], excludeApplications: [A], includeUserActions: [] }); // no @odata.type echoed
    });

    test("removes only the entries given, keeping the order of the rest", () => {
        const plan = planMerge(policy({ groups: [G2, G1, "x"] }), emptyIds(), want({ groups: [G2] }));
        expect(plan.body!.conditions.users!.excludeGroups).toEqual([G1, "x"]);
        expect(plan.removed.groups).toEqual([G2]);
    });

    test.each([
        ["wanted entries already present (any case)", policy({ groups: [G1] }), want({ groups: [G1.toUpperCase()] }), emptyIds()],
        ["removing an entry that is not there", policy({ groups: [G1] }), emptyIds(), want({ groups: [G2] })],
    ])("no write when %s", (_n, p, w, r) => {
        const plan = planMerge(p, w, r);
        expect(plan.body).toBeUndefined();
    });

    test("a null exclude list reads as empty and goes out as []", () => {
        const p = policy();
        (p.conditions!.users as any).excludeUsers = null;
        expect(exclusionsOf(p).users).toEqual([]);
        const plan = planMerge(p, want({ groups: [G1] }), emptyIds());
        expect(plan.body!.conditions.users!.excludeUsers).toEqual([]);
    });

    test("both lists of the users sub-object change in one write", () => {
        const plan = planMerge(policy({ groups: [G1] }), want({ groups: [G2], users: [U1] }), emptyIds());
        expect(plan.body!.conditions.users).toMatchObject({ excludeGroups: [G1, G2], excludeUsers: [U1], excludeRoles: ["r1"] });
    });
});

describe("verifyMerge", () => {
    const plan = planMerge(policy({ groups: [G1] }), want({ groups: [G2] }), emptyIds());

    test("ok when ours and everyone else's are there", () => {
        expect(verifyMerge(policy({ groups: [G1, G2] }), plan).ok).toBe(true);
    });

    test.each([
        ["ours is missing (a stale writer overwrote us)", policy({ groups: [G1] }), { groups: [G2] }],
        ["someone else's is missing", policy({ groups: [G2] }), { groups: [G1] }],
    ])("not ok when %s", (_n, back, missing) => {
        const v = verifyMerge(back, plan);
        expect(v.ok).toBe(false);
        expect(v.missing).toEqual({ ...emptyIds(), ...missing });
    });

    test("not ok when an entry we removed is back", () => {
        const p2 = planMerge(policy({ groups: [G1, G2] }), emptyIds(), want({ groups: [G2] }));
        const v = verifyMerge(policy({ groups: [G1, G2] }), p2);
        expect(v.lingering.groups).toEqual([G2]);
        expect(v.ok).toBe(false);
    });
});
