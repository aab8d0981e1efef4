// PRP list computation: the desired allow/deny lists (built-in denied groups always kept, each group
// once), comparing them with what the DC holds, and the drift sentences; plus the privileged-group
// knowledge check uses before any I/O.
import { compareList, computePrpLists, isListInSync, needsSidComparison } from "../../../provider/ad/prp";
import { reasonText } from "../../../provider/kerberos/reasons";
import { obviousPrivilegedGroup, privilegedGroupBySid, PRIVILEGED_GROUPS } from "../../../provider/ad/privileged-groups";
import type { ResolvedGroup } from "../../../provider/ad/groups";

const D = "DC=corp,DC=example,DC=com";
const S = "S-1-5-21-1-2-3";
const g = (name: string, rid: number | string, container = "CN=Users"): ResolvedGroup => ({
    name, dn: `CN=${name},${container},${D}`, sid: typeof rid === "string" ? rid : `${S}-${rid}`,
});
const BUILTIN_DENIED = [
    g("Account Operators", "S-1-5-32-548", "CN=Builtin"), g("Server Operators", "S-1-5-32-549", "CN=Builtin"), g("Domain Admins", 512),
    g("Cert Publishers", 517), g("Enterprise Admins", 519), g("Schema Admins", 518), g("Domain Controllers", 516),
    g("Backup Operators", "S-1-5-32-551", "CN=Builtin"), g("Administrators", "S-1-5-32-544", "CN=Builtin"),
];
const DOMAIN_USERS = g("Domain Users", 513);
const STAFF = g("Staff", 1201, "OU=Groups");
const MSOL = g("Sync Accounts", 1202, "OU=Groups");

describe("desired PRP lists", () => {
    test("default: Domain Users allowed, the nine built-in groups denied", () => {
        const p = computePrpLists([DOMAIN_USERS], BUILTIN_DENIED, []);
        expect(p.allow.map((x) => x.name)).toEqual(["Domain Users"]);
        expect(p.deny.map((x) => x.name)).toEqual(BUILTIN_DENIED.map((x) => x.name));
    });

    test("deniedGroups are added after the built-in ones, which always stay; duplicates collapse by SID", () => {
        const p = computePrpLists([STAFF, STAFF], BUILTIN_DENIED, [MSOL, { ...BUILTIN_DENIED[2], dn: `CN=domain admins,CN=Users,${D}` }]);
        expect(p.allow).toEqual([STAFF]);
        expect(p.deny).toHaveLength(10);
        expect(p.deny.slice(0, 9)).toEqual(BUILTIN_DENIED);
        expect(p.deny[9]).toEqual(MSOL);
    });

    test("an empty allow list stays empty (deny by default)", () => {
        expect(computePrpLists([], BUILTIN_DENIED, []).allow).toEqual([]);
    });
});

describe("comparing with the DC", () => {
    test("same members in another order and case: in sync", () => {
        const d = compareList([STAFF.dn.toUpperCase(), DOMAIN_USERS.dn], [DOMAIN_USERS, STAFF]);
        expect(d).toEqual({ missing: [], extra: [] });
        expect(isListInSync(d)).toBe(true);
    });

    test("missing and extra members are named", () => {
        const d = compareList([DOMAIN_USERS.dn], [STAFF]);
        expect(d).toEqual({ missing: [STAFF.dn], extra: [DOMAIN_USERS.dn] });
        expect(reasonText({ kind: "listDrift", list: "allow list", ...d })).toBe(`allow list: ${STAFF.dn} missing; ${DOMAIN_USERS.dn} not desired`);
    });

    test("by SID when the values were read with SIDs (a forest-root group written as <SID=…>)", () => {
        const ea: ResolvedGroup = { name: "Enterprise Admins", dn: "<SID=S-1-5-21-9-9-9-519>", sid: "S-1-5-21-9-9-9-519" };
        const desired = computePrpLists([], [ea], []);
        expect(needsSidComparison(desired)).toBe(true);
        expect(needsSidComparison(computePrpLists([STAFF], BUILTIN_DENIED, []))).toBe(false);
        // by DN a <SID=…> value can never match, so it is reported missing...
        expect(compareList(["CN=Enterprise Admins,CN=Users,DC=root,DC=example,DC=com"], desired.deny).missing).toEqual([ea.dn]);
        // ...by SID it matches the DN it reads back as
        expect(compareList([{ dn: "CN=Enterprise Admins,CN=Users,DC=root,DC=example,DC=com", sid: ea.sid }], desired.deny)).toEqual({ missing: [], extra: [] });
    });
});

describe("privileged groups known without I/O", () => {
    test("the nine are exactly the built-in denied groups", () => {
        expect(PRIVILEGED_GROUPS).toHaveLength(9);
    });

    test.each([
        ["Domain Admins", "DomainAdmins"], ["domain admins", "DomainAdmins"], ["CORP\\Enterprise Admins", "EnterpriseAdmins"],
        [`${S}-512`, "DomainAdmins"], [`${S}-516`, "DomainControllers"], [`${S}-517`, "CertPublishers"], [`${S}-518`, "SchemaAdmins"],
        ["S-1-5-32-544", "Administrators"], ["S-1-5-32-548", "AccountOperators"], ["S-1-5-32-549", "ServerOperators"], ["S-1-5-32-551", "BackupOperators"],
        [`CN=Schema Admins,CN=Users,${D}`, "SchemaAdmins"],
        ["Domain Users", undefined], [`${S}-513`, undefined], [`${S}-1512`, undefined], ["S-1-5-32-545", undefined], ["Admins", undefined],
        ["S-1-5-21-1-2-512", undefined], // not a domain SID + RID (too few parts)
    ])("%s → %s", (input, expected) => {
        expect(obviousPrivilegedGroup(input)).toBe(expected);
    });

    test("privilegedGroupBySid ignores non-SIDs", () => {
        expect(privilegedGroupBySid("Domain Admins")).toBeUndefined();
    });
});
