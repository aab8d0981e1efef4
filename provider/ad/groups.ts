// Resolving the group inputs of the password replication policy (allowedGroups, deniedGroups)
// to {dn, sid, name}. Users may give a sAMAccountName ("Domain Users"), a DN or a SID; each must
// name exactly one group, or the error names the input. All inputs of one call are looked up in
// ONE subtree search (an OR of exact-match filters), so a list costs one round trip, not one each.
import { AndFilter, EqualityFilter, Filter, OrFilter } from "ldapts";
import { ProviderError } from "../core/errors";
import { DirectorySession, DirEntry } from "./connection";
import { extendedDnControl } from "./controls";
import { dnEquals, looksLikeDn } from "./escape";
import {
    DEFAULT_ALLOWED_GROUPS, DEFAULT_DENIED_GROUPS, domainSidOf, isSidString, sidToBytes, sidToString,
    WELL_KNOWN_GROUPS, wellKnownGroup, WellKnownGroup, wellKnownGroupSid,
} from "./sid";

export interface ResolvedGroup {
    dn: string;
    sid: string;
    name: string;
}

export interface GroupInput {
    /** what the user wrote */
    value: string;
    /** where they wrote it, for the error: "allowedGroups[1]" */
    input?: string;
    /** a group that may no longer exist (another owner's claim): not found is undefined, not an error */
    optional?: boolean;
}

/** The domain's SID (objectSid of the domain head), once per session. */
export function domainSid(session: DirectorySession): Promise<string> {
    // readKerberosServer fills this memo from the domain head it reads anyway (no extra search)
    return session.memo("domainSid", async () => {
        const { defaultNamingContext } = await session.namingContexts();
        const [head] = await session.search(defaultNamingContext, { scope: "base", filter: "(objectClass=*)", attributes: ["objectSid"], explicitBufferAttributes: ["objectSid"] });
        const sid = head?.buffer("objectSid");
        if (!sid) throw new ProviderError("DirectoryNotAd", `domain head ${defaultNamingContext} on ${session.url} has no objectSid`, { resource: session.url });
        return sidToString(sid);
    });
}

/**
 * The forest root domain's SID: Enterprise Admins (519) and Schema Admins (518) exist only there.
 * (Microsoft's module builds them from the local domain SID, which breaks in child domains;
 * docs/sources.md, Kerberos §4.2.) In a child domain the root domain head is not on this DC, but its
 * crossRef in the configuration NC is, and the extended-DN control returns the SID of nCName.
 */
export function forestRootSid(session: DirectorySession): Promise<string> {
    return session.memo("forestRootSid", async () => {
        const nc = await session.namingContexts();
        if (dnEquals(nc.rootDomainNamingContext, nc.defaultNamingContext)) return domainSid(session);
        return domainSidFromCrossRef(session, nc.rootDomainNamingContext);
    });
}

/**
 * The SID of any domain of the forest, from its crossRef in CN=Partitions (replicated to every DC):
 * the extended-DN control returns nCName as `<GUID=…>;<SID=…>;DC=…`.
 */
export async function domainSidFromCrossRef(session: DirectorySession, domainNc: string): Promise<string> {
    const { configurationNamingContext } = await session.namingContexts();
    const refs = await session.search(`CN=Partitions,${configurationNamingContext}`, {
        scope: "one",
        filter: new AndFilter({ filters: [new EqualityFilter({ attribute: "objectClass", value: "crossRef" }), new EqualityFilter({ attribute: "nCName", value: domainNc })] }),
        attributes: ["nCName"],
    }, extendedDnControl());
    const sid = parseExtendedDnSid(refs[0]?.string("nCName") ?? "");
    if (!sid) throw new ProviderError("DirectoryNotAd", `could not read the SID of ${domainNc} from its crossRef on ${session.url}`, { resource: session.url });
    return sid;
}

/** `<GUID=…>;<SID=…>;DC=…` → the SID (hex form when the control has no value, string form otherwise). */
export function parseExtendedDnSid(extendedDn: string): string | undefined {
    const m = /<SID=([^>]+)>/i.exec(extendedDn);
    if (!m) return undefined;
    const v = m[1];
    if (/^S-1-/i.test(v)) return v.toUpperCase();
    if (/^[0-9a-fA-F]+$/.test(v) && v.length % 2 === 0) return sidToString(Buffer.from(v, "hex"));
    return undefined;
}

/** A group entry read with objectSid and sAMAccountName. */
interface Candidate {
    e: DirEntry;
    sid: string;
}

const CANDIDATES = "groupCandidates";

/**
 * Offers group entries this session has already read (readKerberosServer reads the domain's
 * critical system groups, the well-known ones among them, in its one search), so that resolving
 * groups given by SID costs no further round trip. Entries must carry objectSid and sAMAccountName.
 * Must come before the first resolveGroups of the session (a memo is set once).
 */
export function offerGroupCandidates(session: DirectorySession, entries: DirEntry[]): void {
    void session.memo(CANDIDATES, async () => entries
        .filter((e) => e.strings("objectClass").some((c) => c.toLowerCase() === "group") && e.has("objectSid"))
        .map((e): Candidate => ({ e, sid: sidToString(e.buffer("objectSid")!) })));
}

function groupCandidates(session: DirectorySession): Promise<Candidate[]> {
    return session.memo(CANDIDATES, async () => []);
}

type Kind = { kind: "sid"; sid: string } | { kind: "dn"; dn: string } | { kind: "name"; name: string };

async function classify(session: DirectorySession, value: string): Promise<Kind> {
    const v = value.trim();
    if (isSidString(v)) return { kind: "sid", sid: v.toUpperCase() };
    if (looksLikeDn(v)) return { kind: "dn", dn: v };
    // Forest-wide groups by name resolve through the forest root SID, so they work in child domains too.
    const wk = wellKnownGroup(v);
    if (wk && "rid" in WELL_KNOWN_GROUPS[wk].sid && WELL_KNOWN_GROUPS[wk].sid.forestRoot) {
        return { kind: "sid", sid: wellKnownGroupSid(wk, await domainSid(session), await forestRootSid(session)) };
    }
    return { kind: "name", name: v };
}

function groupFilter(k: Kind): Filter {
    switch (k.kind) {
        // binary value: a string filter would re-encode bytes ≥ 0x80 as UTF-8 (ldapts), never matching
        case "sid": return new EqualityFilter({ attribute: "objectSid", value: sidToBytes(k.sid) });
        case "dn": return new EqualityFilter({ attribute: "distinguishedName", value: k.dn });
        case "name": return new EqualityFilter({ attribute: "sAMAccountName", value: k.name });
    }
}

function matches(k: Kind, e: DirEntry, sid: string): boolean {
    switch (k.kind) {
        case "sid": return sid === k.sid;
        case "dn": return dnEquals(e.dn, k.dn);
        case "name": return (e.string("sAMAccountName") ?? "").toLowerCase() === k.name.toLowerCase();
    }
}

/**
 * Resolves every input to exactly one group of this domain. Forest-root groups (Enterprise and
 * Schema Admins) seen from a child domain are not on this DC; they resolve to their SID with the
 * DN `<SID=…>`, which AD accepts as a value of the PRP attributes.
 */
export async function resolveGroups(session: DirectorySession, inputs: (string | GroupInput)[], domainDnsName?: string): Promise<ResolvedGroup[]> {
    const items = inputs.map((i) => (typeof i === "string" ? { value: i } : { ...i, optional: false }));
    return resolveGroupsAllowingMissing(session, items, domainDnsName) as Promise<ResolvedGroup[]>; // none optional: none undefined
}

/** resolveGroups, where an `optional` input that names no group resolves to undefined. */
export async function resolveGroupsAllowingMissing(session: DirectorySession, items: GroupInput[], domainDnsName?: string): Promise<(ResolvedGroup | undefined)[]> {
    if (items.length === 0) return [];
    const where = domainDnsName ? `domain ${domainDnsName}` : `the domain of ${session.url}`;
    for (const it of items) {
        if (!it.value || !it.value.trim()) throw new ProviderError("GroupNotFound", `group input ${it.input ?? ""} is empty`.replace("  ", " "), { input: it.input });
    }
    const kinds = await Promise.all(items.map((it) => classify(session, it.value)));
    // A group given by SID that this session already read (see offerGroupCandidates) needs no
    // search: a SID names one object. Everything else is looked up in one search, as before.
    const candidates = await groupCandidates(session);
    const known = kinds.map((k) => (k.kind === "sid" ? candidates.find((c) => c.sid === k.sid) : undefined));
    const toSearch = kinds.filter((_, i) => !known[i]);
    const searched = toSearch.length === 0 ? [] : await session.search((await session.namingContexts()).defaultNamingContext, {
        scope: "sub",
        filter: new AndFilter({ filters: [new EqualityFilter({ attribute: "objectClass", value: "group" }), new OrFilter({ filters: toSearch.map(groupFilter) })] }),
        attributes: ["objectSid", "sAMAccountName"],
        explicitBufferAttributes: ["objectSid"],
    });
    const withSid = [...searched.map((e) => ({ e, sid: sidToString(e.buffer("objectSid") ?? Buffer.alloc(0)) }))];
    // the same group may be both a candidate and a search hit (e.g. given by name): count it once
    for (const c of known) if (c && !withSid.some((w) => w.e.isDn(c.e.dn))) withSid.push(c);
    const ownDomainSid = await domainSid(session);
    return items.map((it, i) => {
        const k = kinds[i];
        const hits = withSid.filter(({ e, sid }) => matches(k, e, sid));
        const label = `group ${JSON.stringify(it.value)}${it.input ? ` (${it.input})` : ""}`;
        if (hits.length === 1) return { dn: hits[0].e.dn, sid: hits[0].sid, name: hits[0].e.string("sAMAccountName") ?? it.value };
        if (hits.length > 1) {
            throw new ProviderError("GroupAmbiguous", `${label} matches ${hits.length} groups in ${where}: ${hits.map((h) => h.e.dn).join("; ")}. Give its DN or SID`, { input: it.input });
        }
        if (k.kind === "sid" && domainSidOf(k.sid) !== ownDomainSid && !k.sid.startsWith("S-1-5-32-")) {
            // Another domain's group (e.g. Enterprise Admins from a child domain): AD resolves <SID=…> itself.
            const wk = Object.values(WELL_KNOWN_GROUPS).find((g) => "rid" in g.sid && k.sid.endsWith(`-${g.sid.rid}`));
            return { dn: `<SID=${k.sid}>`, sid: k.sid, name: wk?.name ?? k.sid };
        }
        if (it.optional) return undefined;
        throw new ProviderError("GroupNotFound", `${label} was not found in ${where} (looked for a group with that ${k.kind === "name" ? "sAMAccountName" : k.kind === "dn" ? "DN" : "objectSid"})`, { input: it.input });
    });
}

/** Well-known groups by SID (never by name: names are localized), in the order given. */
export async function resolveWellKnownGroups(session: DirectorySession, groups: readonly WellKnownGroup[], domainDnsName?: string): Promise<ResolvedGroup[]> {
    const [dom, root] = await Promise.all([domainSid(session), forestRootSid(session)]);
    return resolveGroups(session, groups.map((g) => ({ value: wellKnownGroupSid(g, dom, root), input: WELL_KNOWN_GROUPS[g].name })), domainDnsName);
}

/** The nine groups Microsoft's module denies, in its order. */
export function defaultDeniedGroups(session: DirectorySession, domainDnsName?: string): Promise<ResolvedGroup[]> {
    return resolveWellKnownGroups(session, DEFAULT_DENIED_GROUPS, domainDnsName);
}

export function defaultAllowedGroups(session: DirectorySession, domainDnsName?: string): Promise<ResolvedGroup[]> {
    return resolveWellKnownGroups(session, DEFAULT_ALLOWED_GROUPS, domainDnsName);
}
