// The groups whose members never get a cloud TGT from a domain, and who is in them, transitively.
//
// - The Kerberos server's deny list (msDS-NeverRevealGroup of CN=AzureADKerberos; docs/sources.md,
//   Kerberos §1 and §5: evaluated with nesting): as read from the DC when the server exists, else the
//   nine groups Microsoft's module writes plus this stack's deniedGroups, which the rollout will write.
// - Protected Users (issue 19 names it; no Microsoft document in docs/sources.md says so: an
//   assumption listed in docs/readiness.md).
// - Denied RODC Password Replication Group: a normal RODC's deny group, but not one Microsoft's module
//   puts on the Kerberos server's list (Kerberos §1), so membership is a warning unless the deny list
//   names it too (then it is a deny-list member).
//
// Each group's members are read ONCE per domain with LDAP_MATCHING_RULE_IN_CHAIN (AD and Samba),
// however many pilot users there are: the sets are of privileged accounts, small, and the users
// are then checked against them in memory.
import { AndFilter, EqualityFilter, ExtensibleFilter } from "ldapts";
import type { DirectorySession } from "../ad/connection";
import { firstRdn, dnEquals } from "../ad/escape";
import { defaultDeniedGroups, domainSid, forestRootSid, resolveGroupsAllowingMissing, type ResolvedGroup } from "../ad/groups";
import type { KerberosServerState } from "../ad/kerberos-objects";
import { ridOf, RID, sidToString, wellKnownGroupSid, WELL_KNOWN_GROUPS } from "../ad/sid";

/** LDAP_MATCHING_RULE_IN_CHAIN */
const IN_CHAIN = "1.2.840.113556.1.4.1941";

export interface DeniedGroup {
    dn: string;
    name: string;
    /** "deny-list" and "protected-users" block; "rodc-denied" (the RODC group, not on the deny list) warns */
    role: "deny-list" | "protected-users" | "rodc-denied";
    /** objectSid of every user in it, directly or through nested groups */
    memberSids: Set<string>;
}

function nameOf(dn: string): string {
    try { return firstRdn(dn).value; } catch { return dn; }
}

/** The deny list as the DC holds it, or as the rollout will write it. */
async function denyList(session: DirectorySession, server: KerberosServerState, configDenied: readonly string[], domain: string): Promise<{ dn: string; name: string }[]> {
    const fromServer = (server.computer?.deniedGroups ?? []).map((dn) => ({ dn, name: nameOf(dn) }));
    const planned = server.computer ? [] : await defaultDeniedGroups(session, domain);
    const fromConfig = (await resolveGroupsAllowingMissing(session, configDenied.map((value, i) => ({ value, input: `deniedGroups[${i}]`, optional: true })), domain))
        .filter((g): g is ResolvedGroup => g !== undefined);
    const all = [...fromServer, ...planned, ...fromConfig];
    return all.filter((g, i) => all.findIndex((h) => dnEquals(h.dn, g.dn)) === i);
}

/** Protected Users and the Denied RODC group, when the domain has them (older domains lack Protected Users). */
async function otherDeniedGroups(session: DirectorySession, domain: string): Promise<ResolvedGroup[]> {
    const [dom, root] = await Promise.all([domainSid(session), forestRootSid(session)]);
    const wanted = ["ProtectedUsers", "DeniedRodcPasswordReplicationGroup"] as const;
    const found = await resolveGroupsAllowingMissing(session, wanted.map((g) => ({ value: wellKnownGroupSid(g, dom, root), input: WELL_KNOWN_GROUPS[g].name, optional: true })), domain);
    return found.filter((g): g is ResolvedGroup => g !== undefined);
}

async function transitiveUserSids(session: DirectorySession, baseDn: string, groupDn: string): Promise<Set<string>> {
    const entries = await session.search(baseDn, {
        scope: "sub",
        filter: new AndFilter({ filters: [
            new EqualityFilter({ attribute: "objectClass", value: "user" }),
            new ExtensibleFilter({ matchType: "memberOf", rule: IN_CHAIN, value: groupDn }),
        ] }),
        attributes: ["objectSid"], explicitBufferAttributes: ["objectSid"], paged: true,
    });
    return new Set(entries.flatMap((e) => { const b = e.buffer("objectSid"); return b ? [sidToString(b)] : []; }));
}

/** Every denied group of the domain with its transitive user members. */
export async function readDeniedGroups(session: DirectorySession, server: KerberosServerState, configDenied: readonly string[]): Promise<DeniedGroup[]> {
    const domain = server.domainDnsName;
    const list = await denyList(session, server, configDenied, domain);
    const others = await otherDeniedGroups(session, domain);
    const groups: Omit<DeniedGroup, "memberSids">[] = [
        ...list.map((g) => ({ dn: g.dn, name: g.name, role: "deny-list" as const })),
        ...others.filter((g) => !list.some((l) => dnEquals(l.dn, g.dn)))
            .map((g) => ({ dn: g.dn, name: g.name, role: ridOf(g.sid) === RID.ProtectedUsers ? "protected-users" as const : "rodc-denied" as const })),
    ];
    // a forest-root group seen from a child domain is `<SID=…>`: not a DN a filter can name (docs/readiness.md, limits)
    const searchable = groups.filter((g) => !g.dn.startsWith("<"));
    const members = await Promise.all(searchable.map((g) => transitiveUserSids(session, server.dns.domain, g.dn)));
    return searchable.map((g, i) => ({ ...g, memberSids: members[i] }));
}
