// Assignments: input checks, group resolution rules (against a table instead of Graph), the /assign
// body, and the set read back expressed in the program's terms.
import { ProviderError } from "../../../provider/core/errors";
import {
    assignBody, checkAssignments, normalizeAssignments, observedAssignments, resolveGroups, sameAssignments, type GroupLookup,
} from "../../../provider/intune/assignments";

const PILOT = "0a1b2c3d-0001-4000-8000-000000000001";
const USERS = "0a1b2c3d-0001-4000-8000-000000000002";
const GLASS = "0a1b2c3d-0001-4000-8000-000000000003";
const HELP_A = "0a1b2c3d-0001-4000-8000-000000000005";
const HELP_B = "0a1b2c3d-0001-4000-8000-000000000006";

const directory: Record<string, string> = { [PILOT]: "WHfB Pilot", [USERS]: "WHfB Pilot Users", [GLASS]: "Break Glass Admins", [HELP_A]: "Helpdesk Operators", [HELP_B]: "Helpdesk Operators" };
const lookup: GroupLookup & { calls: string[] } = {
    calls: [],
    async byId(id) { this.calls.push(`id ${id}`); return directory[id] ? { id } : undefined; },
    async byName(name) { this.calls.push(`name ${name}`); return Object.entries(directory).filter(([, n]) => n.toLowerCase() === name.toLowerCase()).map(([id]) => ({ id })); },
};

async function error(p: Promise<unknown>): Promise<ProviderError> {
    try { await p; } catch (e) { return e as ProviderError; }
    throw new Error("expected an error");
}

describe("resolveGroups", () => {
    test("names and ids resolve to exactly one id each", async () => {
        const a = normalizeAssignments({ includeGroups: ["WHfB Pilot", USERS], excludeGroups: ["break glass admins"] })!;
        expect(await resolveGroups(lookup, a, "CloudTrustPolicy \"p\"")).toEqual({ "WHfB Pilot": PILOT, [USERS]: USERS, "break glass admins": GLASS });
    });

    test.each([
        ["a name matching no group", { includeGroups: ["Nobody"] }, "GroupNotFound", "assignments.includeGroups[0]", 'CloudTrustPolicy "p": assignments.includeGroups[0]: no group is named "Nobody"; give its exact display name or its object id'],
        ["a name matching two groups", { excludeGroups: ["Helpdesk Operators"] }, "GroupAmbiguous", "assignments.excludeGroups[0]", `CloudTrustPolicy "p": assignments.excludeGroups[0]: 2 groups are named "Helpdesk Operators" (${HELP_A}, ${HELP_B}); give the object id of the one you mean`],
        ["an unknown id", { includeGroups: ["WHfB Pilot", "00000000-0000-4000-8000-000000000000"] }, "GroupNotFound", "assignments.includeGroups[0]", 'CloudTrustPolicy "p": assignments.includeGroups[0] names group id 00000000-0000-4000-8000-000000000000, which does not exist in the tenant'],
        ["one group by name and by id", { includeGroups: ["WHfB Pilot", PILOT] }, "ASSIGNMENT_CONFLICT", "assignments.includeGroups[1]", `CloudTrustPolicy "p": assignments.includeGroups[1] ("WHfB Pilot") and assignments.includeGroups[0] ("${PILOT}") are the same group (${PILOT}); list it once`],
    ])("%s fails, naming the entry", async (_l, input, code, path, message) => {
        const e = await error(resolveGroups(lookup, normalizeAssignments(input)!, 'CloudTrustPolicy "p"'));
        expect(e).toBeInstanceOf(ProviderError);
        expect([e.code, e.input, e.message]).toEqual([code, path, message]);
    });
});

describe("assignBody", () => {
    const resolved = { "WHfB Pilot": PILOT, [USERS]: USERS, "Break Glass Admins": GLASS };

    test("targets per graph-apis.md §3", () => {
        const a = normalizeAssignments({ includeGroups: ["WHfB Pilot", USERS], excludeGroups: ["Break Glass Admins"], allDevices: true, allUsers: true })!;
        expect(assignBody(a, resolved)).toEqual({ assignments: [
            { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: USERS, deviceAndAppManagementAssignmentFilterType: "none" } },
            { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: PILOT, deviceAndAppManagementAssignmentFilterType: "none" } },
            { target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GLASS } },
            { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", deviceAndAppManagementAssignmentFilterType: "none" } },
            { target: { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget", deviceAndAppManagementAssignmentFilterType: "none" } },
        ] });
    });

    test("an empty list is sent only when the program asks for no targets", () => {
        expect(assignBody(normalizeAssignments({})!, {})).toEqual({ assignments: [] });
        // a group that was never resolved never turns into a shorter (or empty) list
        expect(() => assignBody(normalizeAssignments({ includeGroups: ["Lost"] })!, {})).toThrow(/was not resolved/);
    });
});

describe("observedAssignments", () => {
    const resolved = { "WHfB Pilot": PILOT, "Break Glass Admins": GLASS };
    const t = (target: Record<string, unknown>) => ({ id: "x", target: { deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: "none", ...target } });

    test("groups the program named come back under its names; others as ids; all-targets as booleans", () => {
        const seen = observedAssignments([
            t({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: PILOT }),
            t({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: USERS }),
            t({ "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GLASS }),
            t({ "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" }),
        ], resolved);
        expect(seen).toEqual({ includeGroups: [USERS, "WHfB Pilot"], excludeGroups: ["Break Glass Admins"], allDevices: false, allUsers: true });
        expect(sameAssignments(seen, normalizeAssignments({ includeGroups: ["WHfB Pilot"], excludeGroups: ["Break Glass Admins"], allUsers: true }))).toBe(false);
        expect(sameAssignments(seen, normalizeAssignments({ includeGroups: ["WHfB Pilot", USERS], excludeGroups: ["Break Glass Admins"], allUsers: true }))).toBe(true);
    });

    test("an assignment filter set in the portal never compares equal", () => {
        const seen = observedAssignments([t({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: PILOT, deviceAndAppManagementAssignmentFilterType: "include", deviceAndAppManagementAssignmentFilterId: "f1" })], resolved);
        expect(seen.includeGroups).toEqual(["WHfB Pilot [filter include f1]"]);
        const all = observedAssignments([t({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", deviceAndAppManagementAssignmentFilterType: "exclude", deviceAndAppManagementAssignmentFilterId: "f2" })], resolved);
        expect(all).toEqual({ includeGroups: ["allDevicesAssignmentTarget [filter exclude f2]"], excludeGroups: [], allDevices: false, allUsers: false });
    });
});

describe("checkAssignments", () => {
    test.each([
        [{ includeGroups: "WHfB Pilot" }, "assignments.includeGroups", /must be a list/],
        [{ includeGroups: [""] }, "assignments.includeGroups[0]", /exact display name or object id/],
        [{ includeGroups: [" padded "] }, "assignments.includeGroups[0]", /exact display name or object id/],
        [{ includeGroups: ["A"], excludeGroups: ["a"] }, "assignments.excludeGroups[0]", /is already listed as assignments\.includeGroups\[0\]/],
        [{ allDevices: "yes" }, "assignments.allDevices", /true or false/],
        [{ groups: [] }, "assignments.groups", /not an assignment setting/],
        [["A"], "assignments", /must be \{ includeGroups/],
    ])("%j -> %s", (v, property, reason) => {
        const f = checkAssignments(v);
        expect(f).toHaveLength(1);
        expect(f[0].property).toBe(property);
        expect(f[0].reason).toMatch(reason);
    });

    test("normalized: sorted lists, explicit booleans; undefined = not managed", () => {
        expect(normalizeAssignments({ includeGroups: ["b", "a"] })).toEqual({ includeGroups: ["a", "b"], excludeGroups: [], allDevices: false, allUsers: false });
        expect(normalizeAssignments(undefined)).toBeUndefined();
        expect(checkAssignments(undefined)).toEqual([]);
    });
});
