// Who declared which entries of a domain's allow and deny lists. Several stacks may each declare an
// AzureADKerberosServer for the same domain; each such resource (an "owner": project/stack/name)
// records the groups it declares in a claim: one serviceConnectionPoint per owner in
//   CN=EntraKerberosListClaims,CN=System,<domain>
// with keywords "allow:<SID>" / "deny:<SID>" and the owner as its description. A list entry stays
// while any claim names it; an entry no claim names (a hand edit, or one its owner dropped) goes.
// So two stacks never remove each other's entries, and hand edits are still reverted.
//
// List writes are serialized across processes by a lock object in the same container (an LDAP add
// is atomic: whoever adds it holds it). Claims and lock live on the DC an operation uses; two
// stacks writing through different DCs are only as consistent as AD replication.
import { createHash } from "node:crypto";
import { AndFilter, Attribute, Change, EqualityFilter } from "ldapts";
import { ProviderError } from "../core/errors";
import { isLdapResult, type DirEntry, type DirectorySession } from "./connection";
import { dnEquals } from "./escape";

export const CLAIMS_CONTAINER_CN = "EntraKerberosListClaims";
/** serviceClassName of every claim: how the domain snapshot search finds them */
export const CLAIM_SERVICE_CLASS = "pulumi-entra-kerberos-list-claim";
const LOCK_CN = "lock";
/**
 * A lock older than this was left by a process that died while holding it. The work under the lock
 * is a few LDAP requests; this leaves room for slow DCs (each request has its own timeout).
 */
export const LOCK_STALE_MS = 90_000;
/** longer than LOCK_STALE_MS, so a waiter outlives a dead holder's lock and breaks it */
const LOCK_WAIT_MS = 120_000;

export interface ListClaim {
    dn: string;
    owner: string;
    /** SIDs */
    allow: string[];
    deny: string[];
}

export function claimsContainerDn(domainDn: string): string {
    return `CN=${CLAIMS_CONTAINER_CN},CN=System,${domainDn}`;
}

/** One claim per owner; the CN is a hash so any owner name is a valid RDN. */
export function claimDn(domainDn: string, owner: string): string {
    return `CN=${createHash("sha256").update(owner).digest("hex").slice(0, 32)},${claimsContainerDn(domainDn)}`;
}

/** Matches the claims (and nothing else) in a subtree search of the domain. */
export function claimFilter() {
    return new AndFilter({ filters: [
        new EqualityFilter({ attribute: "objectClass", value: "serviceConnectionPoint" }),
        new EqualityFilter({ attribute: "serviceClassName", value: CLAIM_SERVICE_CLASS }),
    ] });
}

export const CLAIM_ATTRS = ["keywords", "description"];

/** The claims among entries of a search (those in this domain's claims container). */
export function parseClaims(entries: DirEntry[], domainDn: string): ListClaim[] {
    const container = claimsContainerDn(domainDn);
    return entries
        .filter((e) => dnEquals(e.dn.slice(e.dn.indexOf(",") + 1), container))
        .map((e) => {
            const kw = e.strings("keywords");
            const sids = (prefix: string) => kw.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length).toUpperCase());
            return { dn: e.dn, owner: e.string("description") ?? "", allow: sids("allow:"), deny: sids("deny:") };
        });
}

/** Pure: true if the claim names exactly these SIDs. */
export function claimMatches(claim: ListClaim | undefined, allow: string[], deny: string[]): boolean {
    if (!claim) return false;
    const same = (a: string[], b: string[]) => new Set(a.map((s) => s.toUpperCase())).size === new Set(b.map((s) => s.toUpperCase())).size
        && b.every((s) => a.includes(s.toUpperCase()));
    return same(claim.allow, allow) && same(claim.deny, deny);
}

/** All claims of the domain (one one-level search; none when the container does not exist yet). */
export async function readClaims(s: DirectorySession, domainDn: string): Promise<ListClaim[]> {
    try {
        return parseClaims(await s.search(claimsContainerDn(domainDn), { scope: "one", filter: claimFilter(), attributes: CLAIM_ATTRS }), domainDn);
    } catch (e) {
        if (isLdapResult(e, "noSuchObject")) return [];
        throw e;
    }
}

/** Creates or rewrites this owner's claim (only its owner writes it, so a replace is safe). */
export async function writeClaim(s: DirectorySession, domainDn: string, owner: string, allow: string[], deny: string[]): Promise<void> {
    const dn = claimDn(domainDn, owner);
    const keywords = [...new Set([...allow.map((x) => `allow:${x.toUpperCase()}`), ...deny.map((x) => `deny:${x.toUpperCase()}`)])];
    try {
        await s.add(dn, { objectClass: ["top", "serviceConnectionPoint"], serviceClassName: CLAIM_SERVICE_CLASS, description: owner, showInAdvancedViewOnly: "TRUE", ...(keywords.length ? { keywords } : {}) });
    } catch (e) {
        if (!isLdapResult(e, "entryAlreadyExists")) throw e;
        await s.modify(dn, new Change({ operation: "replace", modification: new Attribute({ type: "keywords", values: keywords }) }));
    }
}

/** Removes this owner's claim; gone already is fine. */
export async function removeClaim(s: DirectorySession, domainDn: string, owner: string): Promise<void> {
    try {
        await s.del(claimDn(domainDn, owner));
    } catch (e) {
        if (!isLdapResult(e, "noSuchObject")) throw e;
    }
}

/** Removes the container once no claim (and no lock) is left in it. */
export async function removeClaimsContainerIfEmpty(s: DirectorySession, domainDn: string): Promise<void> {
    try {
        await s.del(claimsContainerDn(domainDn));
    } catch (e) {
        if (!isLdapResult(e, "noSuchObject") && !isLdapResult(e, "notAllowedOnNonLeaf")) throw e;
    }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GeneralizedTime "20261122031500.0Z" → ms since the epoch. */
function generalizedTime(v: string | undefined): number | undefined {
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(v ?? "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

/**
 * The DC's clock (rootDSE currentTime): a lock's age is measured on the clock that stamped it, so a
 * skewed clock where the provider runs can neither break a live lock nor keep a dead one.
 */
async function dcNow(s: DirectorySession): Promise<number> {
    const [root] = await s.search("", { scope: "base", filter: "(objectClass=*)", attributes: ["currentTime"] });
    return generalizedTime(root?.string("currentTime")) ?? Date.now();
}

/**
 * Runs `fn` holding the domain's list lock. Waits while another owner holds it, and breaks a lock
 * older than LOCK_STALE_MS (its holder died, or lost its connection before it could release it).
 * A lock held under this owner's own name is taken over at once: one resource runs one operation
 * at a time, so it was left by this owner's previous operation (e.g. its answer was lost). Always
 * releases it. (LDAP has no conditional delete: two waiters breaking the same dead lock in the same
 * instant may both go ahead; the window is one round trip, and only after a holder died.)
 */
export async function withListLock<T>(s: DirectorySession, domainDn: string, owner: string, fn: () => Promise<T>): Promise<T> {
    const container = claimsContainerDn(domainDn);
    const lock = `CN=${LOCK_CN},${container}`;
    const started = Date.now();
    for (;;) {
        try {
            await s.add(lock, { objectClass: ["top", "container"], description: owner, showInAdvancedViewOnly: "TRUE" });
            break;
        } catch (e) {
            if (isLdapResult(e, "noSuchObject")) {
                await s.add(container, { objectClass: ["top", "container"], description: "pulumi-entra-kerberos: who declared which allow/deny list entries of this domain's Kerberos server", showInAdvancedViewOnly: "TRUE" })
                    .catch((err) => { if (!isLdapResult(err, "entryAlreadyExists")) throw err; });
                continue;
            }
            if (!isLdapResult(e, "entryAlreadyExists")) throw e;
        }
        const [held] = await s.search(lock, { scope: "base", filter: "(objectClass=*)", attributes: ["description", "whenCreated"] }).catch((e) => {
            if (isLdapResult(e, "noSuchObject")) return [] as DirEntry[]; // released meanwhile
            throw e;
        });
        if (!held) continue;
        if (held.string("description") === owner) break; // ours, left behind: take it over
        const since = generalizedTime(held.string("whenCreated"));
        if (since !== undefined && (await dcNow(s)) - since > LOCK_STALE_MS) {
            await s.del(lock).catch((e) => { if (!isLdapResult(e, "noSuchObject")) throw e; });
            continue;
        }
        if (Date.now() - started > LOCK_WAIT_MS) {
            throw new ProviderError("ListLockBusy",
                `the allow/deny lists of ${domainDn} are locked by ${held.string("description") ?? "another owner"} since ${held.string("whenCreated")} (${lock}); ` +
                `it is released when that operation ends, or broken after ${LOCK_STALE_MS / 1000} s. Run again`, { resource: lock, retryable: true });
        }
        await sleep(200 + Math.floor(Math.random() * 300));
    }
    try {
        return await fn();
    } finally {
        await s.del(lock).catch(() => undefined); // a lock left behind is broken after LOCK_STALE_MS
    }
}
