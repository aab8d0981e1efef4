// Name -> id resolution over a fake directory that evaluates the same filters the provider sends.
import { isProviderError, type ProviderError } from "../../../provider/core/errors";
import { noKnownIds, odataString, resolveExclusions, type DirectoryQuery } from "../../../provider/conditional-access/resolve";

const STORAGE_APP = "0a1b2c3d-0004-4000-8000-000000000001";
const STORAGE_SP = "0a1b2c3d-0003-4000-8000-000000000002";
const dir = {
    servicePrincipals: [
        { id: STORAGE_SP, appId: STORAGE_APP, displayName: "[Storage Account] labstorage.file.core.windows.net" },
        { id: "0a1b2c3d-0003-4000-8000-00000000000a", appId: "0a1b2c3d-0004-4000-8000-00000000000a", displayName: "Twin" },
        { id: "0a1b2c3d-0003-4000-8000-00000000000b", appId: "0a1b2c3d-0004-4000-8000-00000000000b", displayName: "Twin" },
    ],
    groups: [
        { id: "0a1b2c3d-0001-4000-8000-000000000004", displayName: "Storage Users", description: null },
        { id: "0a1b2c3d-0001-4000-8000-000000000005", displayName: "Helpdesk Operators", description: "EMEA" },
        { id: "0a1b2c3d-0001-4000-8000-000000000006", displayName: "Helpdesk Operators", description: "Americas" },
        { id: "0a1b2c3d-0001-4000-8000-000000000007", displayName: "O'Brien's team", description: null },
        ...Array.from({ length: 20 }, (_, i) => ({ id: `0a1b2c3d-0001-4000-8000-1000000000${String(i).padStart(2, "0")}`, displayName: `g${i}`, description: null })),
    ],
    users: [
        { id: "0a1b2c3d-0002-4000-8000-000000000003", displayName: "Bob Storage", userPrincipalName: "bob@lab.example" },
    ],
};

/** Evaluates "<prop> eq '<v>'" and "<prop> in ('a','b')" like Graph (case-insensitive); records every query. */
function fakeQuery(calls: string[] = []): DirectoryQuery {
    const literal = (s: string) => s.slice(1, -1).replace(/''/g, "'");
    return async (collection, filter) => {
        calls.push(`${collection}?${filter}`);
        let m = /^(\w+) eq ('(?:[^']|'')*')$/.exec(filter);
        if (m) { const [, p, v] = m; return (dir as any)[collection].filter((o: any) => String(o[p]).toLowerCase() === literal(v).toLowerCase()); }
        m = /^(\w+) in \((.*)\)$/.exec(filter);
        if (m) {
            const values = m[2].match(/'(?:[^']|'')*'/g)!.map(literal).map((x) => x.toLowerCase());
            if (values.length > 15) throw new Error("more than 15 values in an in() filter");
            return (dir as any)[collection].filter((o: any) => values.includes(String(o[m![1]]).toLowerCase()));
        }
        throw new Error(`unexpected filter ${filter}`);
    };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
    try { await p; } catch (e) { if (isProviderError(e)) return e; throw e; }
    throw new Error("expected a failure");
}

describe("resolveExclusions", () => {
    test("names, ids, UPNs and keywords resolve, index-aligned with the inputs", async () => {
        const r = await resolveExclusions(fakeQuery(), {
            excludeApplications: ["[Storage Account] labstorage.file.core.windows.net", "office365"],
            excludeGroups: ["Storage Users", "0A1B2C3D-0001-4000-8000-000000000005"],
            excludeUsers: ["bob@lab.example", "GuestsOrExternalUsers"],
        });
        expect(r.applications).toEqual([STORAGE_APP, "Office365"]); // appId, not the service principal id
        expect(r.groups).toEqual(["0a1b2c3d-0001-4000-8000-000000000004", "0a1b2c3d-0001-4000-8000-000000000005"]);
        expect(r.users).toEqual(["0a1b2c3d-0002-4000-8000-000000000003", "GuestsOrExternalUsers"]);
    });

    test("a user's display name resolves too", async () => {
        expect((await resolveExclusions(fakeQuery(), { excludeUsers: ["Bob Storage"] })).users).toEqual(["0a1b2c3d-0002-4000-8000-000000000003"]);
    });

    test("an unknown group name fails naming the group and its input position", async () => {
        const e = await failure(resolveExclusions(fakeQuery(), { excludeGroups: ["Storage Users", "No Such Group"] }));
        expect(e.code).toBe("CA_LOOKUP_NOT_FOUND");
        expect(e.input).toBe("excludeGroups[1]");
        expect(e.message).toContain('excludeGroups[1] "No Such Group": no group is named "No Such Group"');
        expect(e.message).toContain("nothing was changed");
    });

    test("an ambiguous name lists the candidates", async () => {
        const e = await failure(resolveExclusions(fakeQuery(), { excludeGroups: ["Helpdesk Operators"] }));
        expect(e.code).toBe("CA_LOOKUP_AMBIGUOUS");
        expect(e.message).toMatch(/2 groups are named "Helpdesk Operators" \(0a1b2c3d-0001-4000-8000-000000000005 \(EMEA\), 0a1b2c3d-0001-4000-8000-000000000006 \(Americas\)\)/);
    });

    test("a service principal's object id given as an application gets a pointed hint with the appId", async () => {
        const e = await failure(resolveExclusions(fakeQuery(), { excludeApplications: [STORAGE_SP] }));
        expect(e.message).toContain(`is the object id of the service principal "[Storage Account] labstorage.file.core.windows.net"; excludeApplications takes its appId (client id) ${STORAGE_APP}`);
    });

    test("unknown ids, unknown UPNs and ambiguous app names are all reported at once", async () => {
        const e = await failure(resolveExclusions(fakeQuery(), {
            excludeApplications: ["Twin"], excludeGroups: ["ffffffff-0000-4000-8000-000000000000"], excludeUsers: ["nobody@lab.example"],
        }));
        expect(e.message).toMatch(/^3 exclusions could not be resolved/);
        expect(e.message).toContain('excludeApplications[0] "Twin": 2 service principals are named "Twin"');
        expect(e.message).toContain('excludeGroups[0] "ffffffff-0000-4000-8000-000000000000": no group has this id in the tenant');
        expect(e.message).toContain('excludeUsers[0] "nobody@lab.example": no user has this user principal name');
    });

    test("a name and the id of the same group are one entry: refused", async () => {
        const e = await failure(resolveExclusions(fakeQuery(), { excludeGroups: ["Storage Users", "0a1b2c3d-0001-4000-8000-000000000004"] }));
        expect(e.code).toBe("CA_LOOKUP_DUPLICATE");
        expect(e.message).toContain('excludeGroups[1] "0a1b2c3d-0001-4000-8000-000000000004": is the same group as excludeGroups[0] "Storage Users"');
    });

    test("ids are checked in batches of at most 15 (Graph's in() limit)", async () => {
        const calls: string[] = [];
        const ids = dir.groups.slice(4, 24).map((g) => g.id);
        const r = await resolveExclusions(fakeQuery(calls), { excludeGroups: ids });
        expect(r.groups).toEqual(ids);
        expect(calls).toHaveLength(2);
    });

    test("entries already resolved in state are not looked up again", async () => {
        const calls: string[] = [];
        const known = noKnownIds();
        known.groups.set("Storage Users", "0a1b2c3d-0001-4000-8000-000000000004");
        const r = await resolveExclusions(fakeQuery(calls), { excludeGroups: ["Storage Users"] }, known);
        expect(r.groups).toEqual(["0a1b2c3d-0001-4000-8000-000000000004"]);
        expect(calls).toEqual([]);
    });

    test("quotes in names are escaped for OData", async () => {
        expect(odataString("O'Brien's team")).toBe("'O''Brien''s team'");
        const r = await resolveExclusions(fakeQuery(), { excludeGroups: ["O'Brien's team"] });
        expect(r.groups).toEqual(["0a1b2c3d-0001-4000-8000-000000000007"]);
    });
});
