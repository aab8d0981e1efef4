// Why a pilot user gets no cloud TGT: one finding per cause, each naming the user and the group.
import type { DeniedGroup } from "../../../provider/readiness/denied-groups";
import { userFindings, type PilotUserFacts } from "../../../provider/readiness/user-rules";

const SID = "S-1-5-21-1-2-3-1105";
const denied = (name: string, role: DeniedGroup["role"], members: string[]): DeniedGroup => ({ dn: `CN=${name},CN=Users,DC=corp`, name, role, memberSids: new Set(members) });
const facts = (over: Partial<PilotUserFacts> = {}): PilotUserFacts => ({
    user: { id: "u1", userPrincipalName: "alice@contoso.com", accountEnabled: true, onPremisesSecurityIdentifier: SID },
    pilotGroup: "Pilot", domain: "corp.example", onPrem: { sid: SID, dn: "CN=alice,CN=Users,DC=corp", userAccountControl: 0x200 },
    deniedGroups: [denied("Domain Admins", "deny-list", []), denied("Protected Users", "protected-users", []), denied("Denied RODC Password Replication Group", "rodc-denied", [])],
    ...over,
});

test("a synchronised, enabled user outside every denied group has no finding", () => {
    expect(userFindings(facts())).toEqual([]);
});

test("a member of a deny-list group or of Protected Users is blocked, the groups named", () => {
    const f = userFindings(facts({ deniedGroups: [denied("Domain Admins", "deny-list", [SID]), denied("Protected Users", "protected-users", [SID])] }));
    expect(f).toEqual([expect.objectContaining({ kind: "user-in-denied-group", severity: "blocking", object: "alice@contoso.com", pilotGroup: "Pilot", domain: "corp.example",
        facts: { deniedGroups: ["Domain Admins", "Protected Users"], dn: "CN=alice,CN=Users,DC=corp" } })]);
});

test("the Denied RODC group alone is a warning", () => {
    const f = userFindings(facts({ deniedGroups: [denied("Denied RODC Password Replication Group", "rodc-denied", [SID])] }));
    expect(f.map((x) => [x.kind, x.severity])).toEqual([["user-in-denied-rodc-group", "warning"]]);
});

test("the SID is compared in upper case, as AD's objectSid is rendered", () => {
    const f = userFindings(facts({ user: { id: "u1", onPremisesSecurityIdentifier: SID.toLowerCase() }, deniedGroups: [denied("Domain Admins", "deny-list", [SID])] }));
    expect(f.map((x) => x.kind)).toEqual(["user-in-denied-group"]);
    expect(f[0].object).toBe("u1"); // no UPN: the object id names the user
});

test("a cloud-only user is not synchronised", () => {
    const f = userFindings(facts({ user: { id: "u2", userPrincipalName: "bob@contoso.com", onPremisesSecurityIdentifier: null }, domain: undefined, onPrem: undefined }));
    expect(f).toEqual([expect.objectContaining({ kind: "user-not-synchronised", severity: "blocking", object: "bob@contoso.com" })]);
});

test("disabled in Entra, in AD, or both: one finding saying where", () => {
    expect(userFindings(facts({ onPrem: { sid: SID, dn: "CN=a", userAccountControl: 0x202 } }))[0]).toMatchObject({ kind: "user-disabled", facts: { disabledIn: ["Active Directory"] } });
    expect(userFindings(facts({ user: { id: "u", userPrincipalName: "a@b", accountEnabled: false, onPremisesSecurityIdentifier: SID }, onPrem: { sid: SID, dn: "CN=a", userAccountControl: 0x202 } })))
        .toEqual([expect.objectContaining({ kind: "user-disabled", facts: { disabledIn: ["Entra ID", "Active Directory"] } })]);
});

test("a SID of no domain of the stack warns; a SID the domain does not know blocks", () => {
    expect(userFindings(facts({ domain: undefined, onPrem: undefined })).map((x) => [x.kind, x.severity])).toEqual([["user-domain-not-in-stack", "warning"]]);
    expect(userFindings(facts({ onPrem: undefined })).map((x) => [x.kind, x.severity])).toEqual([["user-not-found-on-premises", "blocking"]]);
});
