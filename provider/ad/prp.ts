// The Kerberos server's password replication policy (PRP): msDS-RevealOnDemandGroup (allow list)
// and msDS-NeverRevealGroup (deny list) on CN=AzureADKerberos. Desired lists are
//   allow = resolved allowedGroups (default: Domain Users)
//   deny  = the nine built-in denied groups (always kept) + resolved deniedGroups
// and a privileged group in the allow list, directly or nested in one of the nine, is refused
// unless allowPrivilegedGroups (docs/sources.md, Kerberos §5: the deny list is evaluated with nesting, but
// an allow-listed admin path is exactly what an Entra-to-AD attack needs).
import { Attribute, Change, EqualityFilter, ExtensibleFilter, AndFilter, OrFilter } from "ldapts";
import { ProviderError } from "../core/errors";
import { DirectorySession, isLdapResult, withAccessHint } from "./connection";
import { dnEquals } from "./escape";
import { extendedDnControl } from "./controls";
import { defaultDeniedGroups, domainSid, forestRootSid, GroupInput, parseExtendedDnSid, ResolvedGroup, resolveGroupsAllowingMissing } from "./groups";
import { readClaims, removeClaim, withListLock, writeClaim, type ListClaim } from "./list-claims";
import { PRIVILEGED_GROUPS, privilegedGroupBySid, privilegedGroupName } from "./privileged-groups";
import { DEFAULT_DENIED_GROUPS, sidToBytes, WELL_KNOWN_GROUPS, wellKnownGroupSid } from "./sid";

export const ALLOW_ATTR = "msDS-RevealOnDemandGroup";
export const DENY_ATTR = "msDS-NeverRevealGroup";

/** LDAP_MATCHING_RULE_IN_CHAIN: transitive membership in one filter (AD and Samba). */
const IN_CHAIN = "1.2.840.113556.1.4.1941";

export interface PrpInputs {
    allowedGroups?: string[];
    deniedGroups?: string[];
}

export interface DesiredPrp {
    allow: ResolvedGroup[];
    deny: ResolvedGroup[];
    /** the nine built-in denied groups, resolved (also the privileged set) */
    builtinDenied: ResolvedGroup[];
    /** the groups other owners claim (list-claims.ts): this owner neither reports nor removes them */
    claimedByOthers: { allow: ClaimedGroup[]; deny: ClaimedGroup[] };
}

/** A group another owner claims: its SID, and its DN when it was resolved (to compare DN-only reads). */
export type ClaimedGroup = { sid: string; dn?: string };

/** Pure: the lists to write, each group once (by SID), built-in denied groups first. */
export function computePrpLists(allowed: ResolvedGroup[], builtinDenied: ResolvedGroup[], extraDenied: ResolvedGroup[]): DesiredPrp {
    const unique = (groups: ResolvedGroup[]) => {
        const seen = new Set<string>();
        return groups.filter((g) => (seen.has(g.sid) ? false : (seen.add(g.sid), true)));
    };
    return { allow: unique(allowed), deny: unique([...builtinDenied, ...extraDenied]), builtinDenied, claimedByOthers: { allow: [], deny: [] } };
}

export interface ListDifference {
    /** desired DNs that are not on the DC */
    missing: string[];
    /** DNs on the DC that are not desired */
    extra: string[];
}

/** A value of a PRP attribute as read: its DN, and its SID when read with the extended-DN control. */
export interface PrpMember {
    dn: string;
    sid?: string;
}

/**
 * Pure: compares a list read from the DC with the desired one (by SID when known, else by DN).
 * Entries another owner claims (by SID, see list-claims.ts) are not "extra": they are not this
 * owner's to remove.
 */
export function compareList(observed: (string | PrpMember)[], desired: ResolvedGroup[], claimedByOthers: ClaimedGroup[] = []): ListDifference {
    const obs = observed.map((o) => (typeof o === "string" ? { dn: o } : o));
    const same = (o: PrpMember, d: ClaimedGroup) => (o.sid ? o.sid === d.sid : !!d.dn && !d.dn.startsWith("<") && dnEquals(o.dn, d.dn));
    return {
        missing: desired.filter((d) => !obs.some((o) => same(o, d))).map((d) => d.dn),
        extra: obs.filter((o) => !desired.some((d) => same(o, d)) && !claimedByOthers.some((c) => same(o, c))).map((o) => o.dn),
    };
}

/** The groups other owners claim, per list, by SID (for lists read with SIDs). */
export function claimedSids(others: ListClaim[]): { allow: ClaimedGroup[]; deny: ClaimedGroup[] } {
    const bySid = (sids: string[]) => [...new Set(sids)].map((sid) => ({ sid }));
    return { allow: bySid(others.flatMap((c) => c.allow)), deny: bySid(others.flatMap((c) => c.deny)) };
}

/** Pure: what this owner's claim says: its allow list, and its deny list beyond the nine built-in groups. */
export function ownClaim(desired: DesiredPrp): { allow: string[]; deny: string[] } {
    const builtin = new Set(desired.builtinDenied.map((g) => g.sid));
    return { allow: desired.allow.map((g) => g.sid), deny: desired.deny.filter((g) => !builtin.has(g.sid)).map((g) => g.sid) };
}

/**
 * True if comparing by DN is not enough: a desired group of another domain is written as <SID=…>
 * (a forest-root group seen from a child domain) and reads back as a DN this DC may not know.
 * Then the lists are re-read with SIDs (readPrpMembers). Unverified: the lab has no child domain.
 */
export function needsSidComparison(desired: DesiredPrp): boolean {
    const { allow, deny } = desired.claimedByOthers;
    return [...desired.allow, ...desired.deny, ...allow, ...deny].some((g) => !g.dn || g.dn.startsWith("<"));
}

/** Both lists of the computer with each value's SID (one search with the extended-DN control). */
export async function readPrpMembers(session: DirectorySession, computerDn: string): Promise<{ allowed: PrpMember[]; denied: PrpMember[] }> {
    const [e] = await session.search(computerDn, { scope: "base", filter: "(objectClass=computer)", attributes: [ALLOW_ATTR, DENY_ATTR] }, extendedDnControl());
    const members = (attr: string) => (e?.strings(attr) ?? []).map((v) => ({ dn: v.replace(/^(<[^>]*>;)+/, ""), sid: parseExtendedDnSid(v) }));
    return { allowed: members(ALLOW_ATTR), denied: members(DENY_ATTR) };
}

export function isListInSync(d: ListDifference): boolean {
    return d.missing.length === 0 && d.extra.length === 0;
}

/**
 * Resolves the desired lists in one search: allowedGroups (or Domain Users), the nine built-in
 * denied groups by SID (names are localized), and deniedGroups. Errors name the input.
 */
export async function resolveDesiredPrp(session: DirectorySession, inputs: PrpInputs, domainDnsName: string, others: ListClaim[] = []): Promise<DesiredPrp> {
    const [dom, root] = await Promise.all([domainSid(session), forestRootSid(session)]);
    const allowedItems: GroupInput[] = inputs.allowedGroups === undefined
        ? [{ value: wellKnownGroupSid("DomainUsers", dom, root), input: "allowedGroups (default: Domain Users)" }]
        : inputs.allowedGroups.map((value, i) => ({ value, input: `allowedGroups[${i}]` }));
    const builtinItems: GroupInput[] = DEFAULT_DENIED_GROUPS.map((g) => ({ value: wellKnownGroupSid(g, dom, root), input: `built-in denied group ${WELL_KNOWN_GROUPS[g].name}` }));
    const deniedItems: GroupInput[] = (inputs.deniedGroups ?? []).map((value, i) => ({ value, input: `deniedGroups[${i}]` }));
    // other owners' groups come along in the same search, so their list values compare by DN too
    const claimed = claimedSids(others);
    const claimedItems = (list: ClaimedGroup[]): GroupInput[] => list.map((c) => ({ value: c.sid, optional: true }));
    const own = [...allowedItems, ...builtinItems, ...deniedItems];
    const all = await resolveGroupsAllowingMissing(session, [...own, ...claimedItems(claimed.allow), ...claimedItems(claimed.deny)], domainDnsName);
    const a = allowedItems.length;
    const b = builtinItems.length;
    const ownResolved = all.slice(0, own.length) as ResolvedGroup[]; // not optional: all resolved
    // a claimed group that no longer exists cannot be on a list (AD drops values of deleted objects)
    const withDn = (list: ClaimedGroup[], from: number) => list.flatMap((c, i) => { const g = all[from + i]; return g ? [{ sid: c.sid, dn: g.dn }] : []; });
    return {
        ...computePrpLists(ownResolved.slice(0, a), ownResolved.slice(a, a + b), ownResolved.slice(a + b)),
        claimedByOthers: { allow: withDn(claimed.allow, own.length), deny: withDn(claimed.deny, own.length + claimed.allow.length) },
    };
}

/**
 * Refuses privileged groups in the allow list: one of the nine itself (by SID), or a group nested
 * in one of them (one in-chain search; a second round only to name the culprit when there is one).
 */
export async function assertNoPrivilegedAllowed(session: DirectorySession, desired: DesiredPrp): Promise<void> {
    for (const g of desired.allow) {
        const wk = privilegedGroupBySid(g.sid);
        if (wk) throw privilegedError(g, `is ${privilegedGroupName(wk)}`);
    }
    // Groups of another domain (written as <SID=…>) are not on this DC; their membership cannot be checked here.
    const local = desired.allow.filter((g) => !g.dn.startsWith("<"));
    const privileged = desired.builtinDenied.filter((p) => !p.dn.startsWith("<"));
    if (local.length === 0 || privileged.length === 0) return;
    const { defaultNamingContext } = await session.namingContexts();
    const inChain = (p: ResolvedGroup) => new ExtensibleFilter({ matchType: "memberOf", rule: IN_CHAIN, value: p.dn });
    const bySid = (g: ResolvedGroup) => new EqualityFilter({ attribute: "objectSid", value: sidToBytes(g.sid) });
    const hits = await session.search(defaultNamingContext, {
        scope: "sub",
        filter: new AndFilter({ filters: [new OrFilter({ filters: local.map(bySid) }), new OrFilter({ filters: privileged.map(inChain) })] }),
        attributes: ["1.1"],
    });
    if (hits.length === 0) return;
    const culprit = local.find((g) => hits.some((h) => dnEquals(h.dn, g.dn))) ?? local[0];
    const parents: string[] = [];
    for (const p of privileged) {
        const r = await session.search(defaultNamingContext, {
            scope: "sub", filter: new AndFilter({ filters: [bySid(culprit), inChain(p)] }), attributes: ["1.1"],
        });
        if (r.length) parents.push(p.name);
    }
    throw privilegedError(culprit, `is nested in ${parents.join(", ") || "a privileged group"}`);
}

function privilegedError(g: ResolvedGroup, why: string): ProviderError {
    return new ProviderError("PrivilegedGroupRefused",
        `allowedGroups: ${g.name} (${g.dn}) ${why}. Allowing it would let Entra ID issue Kerberos tickets for privileged accounts, ` +
        `so anyone who controls the tenant could become a domain administrator. Remove it, or set allowPrivilegedGroups: true to accept that risk`,
        { input: "allowedGroups" });
}

/** The nine privileged groups, for messages. */
export function privilegedGroupNames(): string[] {
    return PRIVILEGED_GROUPS.map(privilegedGroupName);
}

/**
 * Pure: the value-level changes (one modify, atomic) that add this owner's missing groups and remove
 * what nobody claims. Never a replace: another owner's entries, and anything written meanwhile that
 * is not in `observed`, are left alone.
 */
export function listChanges(observed: { allowed: PrpMember[]; denied: PrpMember[] }, desired: DesiredPrp, others: ListClaim[]): Change[] {
    const claimed = claimedSids(others);
    const changes: Change[] = [];
    const change = (attr: string, d: ListDifference) => {
        if (d.missing.length) changes.push(new Change({ operation: "add", modification: new Attribute({ type: attr, values: d.missing }) }));
        if (d.extra.length) changes.push(new Change({ operation: "delete", modification: new Attribute({ type: attr, values: d.extra }) }));
    };
    change(ALLOW_ATTR, compareList(observed.allowed, desired.allow, claimed.allow));
    change(DENY_ATTR, compareList(observed.denied, desired.deny, claimed.deny));
    return changes;
}

/**
 * Writes this owner's lists under the domain's list lock: its claim first (so a concurrent writer
 * already keeps these entries), then one modify from a fresh read. Returns the attributes changed.
 */
/** What a list write needs, for its access-denied message. */
const LIST_RIGHTS = "Write Property on msDS-RevealOnDemandGroup and msDS-NeverRevealGroup of the AzureADKerberos computer, " +
    "and full control of CN=EntraKerberosListClaims,CN=System (or create/delete child container and serviceConnectionPoint objects under CN=System, " +
    "applied to descendants)";

export async function applyPrpLists(session: DirectorySession, computerDn: string, domainDn: string, desired: DesiredPrp,
    owner: string, previousOwner?: string): Promise<string[]> {
    return withAccessHint(() => withListLock(session, domainDn, owner, async () => {
        const claim = ownClaim(desired);
        await writeClaim(session, domainDn, owner, claim.allow, claim.deny);
        if (previousOwner && previousOwner !== owner) await removeClaim(session, domainDn, previousOwner);
        const [members, claims] = await Promise.all([readPrpMembers(session, computerDn), readClaims(session, domainDn)]);
        const changes = listChanges(members, desired, claims.filter((c) => c.owner !== owner));
        if (changes.length) await session.modify(computerDn, changes);
        return [...new Set(changes.map((c) => c.modification.type))];
    }), LIST_RIGHTS);
}

/**
 * delete: drops this owner's claim and returns the owners that still claim the lists (the server is
 * theirs too, so it stays). Then the entries only this owner wanted are removed from the lists.
 * With no owner left the caller removes the server.
 */
export async function releasePrpClaim(session: DirectorySession, computerDn: string, domainDn: string, owner: string): Promise<string[]> {
    return withAccessHint(() => withListLock(session, domainDn, owner, async () => {
        await removeClaim(session, domainDn, owner);
        const others = await readClaims(session, domainDn);
        if (others.length === 0) return [];
        const members = await readPrpMembers(session, computerDn).catch((e) => {
            if (isLdapResult(e, "noSuchObject")) return undefined; // no server (left): no lists to tidy
            throw e;
        });
        if (members) {
            const changes = listChanges(members, computePrpLists([], await defaultDeniedGroups(session), []), others);
            if (changes.length) await session.modify(computerDn, changes);
        }
        return others.map((c) => c.owner);
    }), LIST_RIGHTS);
}
