// Shared allow/deny lists: several owners (stacks) declare one domain's Kerberos server. The value-
// level changes one owner makes (never removing what another claims, still removing what nobody
// claims), the claims' parsing, and the domain's list lock against an in-memory directory.
import { Change } from "ldapts";
import { DirEntry, type DirectorySession } from "../../../provider/ad/connection";
import { ProviderError } from "../../../provider/core/errors";
import type { ResolvedGroup } from "../../../provider/ad/groups";
import {
    claimDn, claimMatches, claimsContainerDn, LOCK_STALE_MS, parseClaims, withListLock, type ListClaim,
} from "../../../provider/ad/list-claims";
import { compareList, computePrpLists, listChanges, needsSidComparison, ownClaim } from "../../../provider/ad/prp";

const D = "DC=corp,DC=example,DC=com";
const S = "S-1-5-21-1-2-3";
const g = (name: string, rid: number): ResolvedGroup => ({ name, dn: `CN=${name},CN=Users,${D}`, sid: `${S}-${rid}` });
const member = (x: ResolvedGroup) => ({ dn: x.dn, sid: x.sid });
const DOMAIN_USERS = g("Domain Users", 513), STAFF = g("Staff", 1201), GUESTS = g("Domain Guests", 514), ADMINS = g("Domain Admins", 512), SYNC = g("Sync", 1300);
const claim = (owner: string, allow: ResolvedGroup[], deny: ResolvedGroup[] = []): ListClaim => ({
    dn: claimDn(D, owner), owner, allow: allow.map((x) => x.sid), deny: deny.map((x) => x.sid),
});
const changesOf = (cs: Change[]) => cs.map((c) => `${c.operation} ${c.modification.type}: ${c.modification.values.join(" | ")}`);

describe("one owner's changes to a shared list", () => {
    const desired = computePrpLists([STAFF], [ADMINS], []);

    test("alone: adds its missing groups and removes everything else (a hand edit is reverted)", () => {
        const cs = listChanges({ allowed: [member(DOMAIN_USERS)], denied: [member(ADMINS)] }, desired, []);
        expect(changesOf(cs)).toEqual([`add msDS-RevealOnDemandGroup: ${STAFF.dn}`, `delete msDS-RevealOnDemandGroup: ${DOMAIN_USERS.dn}`]);
    });

    test("another owner's entries are neither removed nor reported; unclaimed ones still go", () => {
        const others = [claim("p/b/corp", [DOMAIN_USERS], [SYNC])];
        const observed = { allowed: [member(DOMAIN_USERS), member(GUESTS)], denied: [member(ADMINS), member(SYNC)] };
        expect(changesOf(listChanges(observed, desired, others))).toEqual([
            `add msDS-RevealOnDemandGroup: ${STAFF.dn}`, `delete msDS-RevealOnDemandGroup: ${GUESTS.dn}`,
        ]);
        expect(compareList(observed.allowed, desired.allow, [{ sid: DOMAIN_USERS.sid }])).toEqual({ missing: [STAFF.dn], extra: [GUESTS.dn] });
        // read without SIDs (the usual refresh), another owner's group is recognised by its resolved DN
        expect(compareList(observed.allowed.map((m) => m.dn), desired.allow, [{ sid: DOMAIN_USERS.sid, dn: DOMAIN_USERS.dn }]))
            .toEqual({ missing: [STAFF.dn], extra: [GUESTS.dn] });
    });

    test("another owner's group of another domain (<SID=…>) makes the refresh read the lists with SIDs", () => {
        const d = computePrpLists([STAFF], [ADMINS], []);
        expect(needsSidComparison(d)).toBe(false);
        expect(needsSidComparison({ ...d, claimedByOthers: { allow: [{ sid: DOMAIN_USERS.sid, dn: DOMAIN_USERS.dn }], deny: [] } })).toBe(false);
        expect(needsSidComparison({ ...d, claimedByOthers: { allow: [{ sid: "S-1-5-21-9-9-9-519", dn: "<SID=S-1-5-21-9-9-9-519>" }], deny: [] } })).toBe(true);
    });

    test("in sync: no change at all (so no write, no replication)", () => {
        expect(listChanges({ allowed: [member(STAFF)], denied: [member(ADMINS)] }, desired, [])).toEqual([]);
    });

    test("changes are value-level adds and deletes, never a replace", () => {
        const cs = listChanges({ allowed: [member(GUESTS)], denied: [] }, desired, []);
        expect(cs.map((c) => c.operation).sort()).toEqual(["add", "add", "delete"]);
    });

    test("an owner's claim is its allow list and its deny list beyond the built-in groups", () => {
        expect(ownClaim(computePrpLists([STAFF], [ADMINS], [SYNC]))).toEqual({ allow: [STAFF.sid], deny: [SYNC.sid] });
    });
});

describe("claims", () => {
    const entry = (dn: string, attrs: Record<string, string | string[]>) => new DirEntry({ dn, ...attrs });

    test("only claims in this domain's container are read; keywords become SIDs per list", () => {
        const inside = entry(claimDn(D, "p/a/corp"), { description: "p/a/corp", keywords: [`allow:${STAFF.sid}`, `deny:${SYNC.sid.toLowerCase()}`] });
        const elsewhere = entry(`CN=x,CN=System,${D}`, { description: "p/z/corp", keywords: [`allow:${GUESTS.sid}`] });
        expect(parseClaims([inside, elsewhere], D)).toEqual([{ dn: inside.dn, owner: "p/a/corp", allow: [STAFF.sid], deny: [SYNC.sid] }]);
    });

    test("a claim matches the same SIDs in any order and case, nothing else", () => {
        const c = claim("p/a/corp", [STAFF, DOMAIN_USERS]);
        expect(claimMatches(c, [DOMAIN_USERS.sid.toLowerCase(), STAFF.sid], [])).toBe(true);
        expect(claimMatches(c, [STAFF.sid], [])).toBe(false);
        expect(claimMatches(c, [STAFF.sid, DOMAIN_USERS.sid], [SYNC.sid])).toBe(false);
        expect(claimMatches(undefined, [], [])).toBe(false);
    });

    test("one claim per owner, with a CN any owner name fits in", () => {
        expect(claimDn(D, "p/a/corp")).toMatch(new RegExp(`^CN=[0-9a-f]{32},${claimsContainerDn(D)}$`));
        expect(claimDn(D, "p/a/corp")).not.toBe(claimDn(D, "p/b/corp"));
        expect(claimDn(D, "p/a/corp,CN=evil")).toMatch(/^CN=[0-9a-f]{32},/);
    });
});

/** A directory holding only the lock container's objects, to drive withListLock; its clock runs `dcOffsetMs` from ours. */
function lockDirectory(existing: Record<string, string> = {}, dcOffsetMs = 0) {
    const objects = new Map<string, { description?: string; whenCreated: string }>(Object.entries(existing).map(([dn, whenCreated]) => [dn, { whenCreated }]));
    const container = claimsContainerDn(D);
    const ldapError = (name: string) => new ProviderError("DirectoryOperationFailed", name, { serviceCode: name });
    const parentOf = (dn: string) => dn.slice(dn.indexOf(",") + 1);
    const session = {
        url: "ldaps://fake:636",
        async add(dn: string, attrs: Record<string, unknown>) {
            if (objects.has(dn)) throw ldapError("entryAlreadyExists");
            if (dn !== container && !objects.has(parentOf(dn))) throw ldapError("noSuchObject");
            objects.set(dn, { description: String(attrs.description), whenCreated: generalized(new Date(Date.now() + dcOffsetMs)) });
        },
        async del(dn: string) {
            if (!objects.delete(dn)) throw ldapError("noSuchObject");
        },
        async search(base: string) {
            if (base === "") return [new DirEntry({ dn: "", currentTime: generalized(new Date(Date.now() + dcOffsetMs)) })];
            const o = objects.get(base);
            if (!o) throw ldapError("noSuchObject");
            return [new DirEntry({ dn: base, description: o.description ?? "", whenCreated: o.whenCreated })];
        },
    } as unknown as DirectorySession;
    return { session, objects, lock: `CN=lock,${container}`, container };
}

function generalized(d: Date): string {
    return `${d.toISOString().replace(/[-:T]/g, "").slice(0, 14)}.0Z`;
}

describe("the domain's list lock", () => {
    test("creates the container on first use, holds the lock while the work runs, then releases it", async () => {
        const dir = lockDirectory();
        const seen = await withListLock(dir.session, D, "p/a/corp", async () => dir.objects.has(dir.lock));
        expect(seen).toBe(true);
        expect(dir.objects.has(dir.container)).toBe(true);
        expect(dir.objects.has(dir.lock)).toBe(false);
    });

    test("is released when the work fails", async () => {
        const dir = lockDirectory();
        await expect(withListLock(dir.session, D, "p/a/corp", async () => { throw new Error("boom"); })).rejects.toThrow("boom");
        expect(dir.objects.has(dir.lock)).toBe(false);
    });

    test("a lock older than the stale limit (its holder died) is broken", async () => {
        const old = generalized(new Date(Date.now() - LOCK_STALE_MS - 60_000));
        const dir = lockDirectory({ [claimsContainerDn(D)]: old, [`CN=lock,${claimsContainerDn(D)}`]: old });
        await expect(withListLock(dir.session, D, "p/a/corp", async () => "ran")).resolves.toBe("ran");
    });

    test("a lock's age is measured on the DC's clock: a skewed local clock neither breaks a live lock nor keeps a dead one", async () => {
        const dcNow = Date.now() - 10 * 60_000; // the DC is 10 minutes behind us
        const live = lockDirectory({ [claimsContainerDn(D)]: generalized(new Date(dcNow)), [`CN=lock,${claimsContainerDn(D)}`]: generalized(new Date(dcNow - 5_000)) }, -10 * 60_000);
        let ran = false;
        const work = withListLock(live.session, D, "p/a/corp", async () => { ran = true; });
        await new Promise((r) => setTimeout(r, 700));
        expect(ran).toBe(false); // 5 s old on the DC's clock, though 10 minutes old on ours
        live.objects.delete(live.lock);
        await work;
        const dead = lockDirectory({ [claimsContainerDn(D)]: "20260101000000.0Z", [`CN=lock,${claimsContainerDn(D)}`]: generalized(new Date(Date.now() + 10 * 60_000 - LOCK_STALE_MS - 60_000)) }, 10 * 60_000);
        await expect(withListLock(dead.session, D, "p/a/corp", async () => "ran")).resolves.toBe("ran"); // in our future, but stale for the DC
    });

    test("a fresh lock under this owner's own name (its previous operation lost the connection) is taken over at once", async () => {
        const now = generalized(new Date());
        const dir = lockDirectory({ [claimsContainerDn(D)]: now, [`CN=lock,${claimsContainerDn(D)}`]: now });
        dir.objects.get(dir.lock)!.description = "p/a/corp";
        await expect(withListLock(dir.session, D, "p/a/corp", async () => "ran")).resolves.toBe("ran");
        expect(dir.objects.has(dir.lock)).toBe(false);
    });

    test("a fresh lock held by another owner is waited for", async () => {
        const now = generalized(new Date());
        const dir = lockDirectory({ [claimsContainerDn(D)]: now, [`CN=lock,${claimsContainerDn(D)}`]: now });
        let ran = false;
        const work = withListLock(dir.session, D, "p/a/corp", async () => { ran = true; });
        await new Promise((r) => setTimeout(r, 700));
        expect(ran).toBe(false);
        dir.objects.delete(dir.lock); // the other owner is done
        await work;
        expect(ran).toBe(true);
    });
});
