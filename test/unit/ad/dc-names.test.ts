// The originating DC's name without a rootDSE and, on a forest root, without a round trip of its
// own: the domain head's naming contexts, the speculative DSA search, the per-process caches keyed
// by DC URL, and the fallback to the exact lookup. Against an in-memory session, no LDAP.
import type { SearchOptions } from "ldapts";
import { DirEntry, type DirectorySession, type NamingContexts, type RootDse } from "../../../provider/ad/connection";
import { clearDcNameCaches, dcHostNameByInvocationId, originatingDcName, prefetchDomainDsas } from "../../../provider/ad/dc-names";
import { configurationNcFromRoleOwner, namingContextsFromHead } from "../../../provider/ad/domain-head";
import { offerGroupCandidates, resolveGroups } from "../../../provider/ad/groups";
import { guidToBytes } from "../../../provider/ad/replmeta";
import { sidToBytes } from "../../../provider/ad/sid";
import { ProviderError } from "../../../provider/core/errors";

const DOMAIN = "DC=corp,DC=test";
const CONFIG = `CN=Configuration,${DOMAIN}`;
const INVOCATION = "cd26ad58-32f3-3344-9e55-171a3bb1f7e8";
const SERVER = `CN=DC1,CN=Servers,CN=Site,CN=Sites,${CONFIG}`;
const DSA = `CN=NTDS Settings,${SERVER}`;

/** An in-memory DirectorySession: answers searches from a function, counts them, memoizes like Session. */
function fakeSession(url: string, answer: (base: string, o: SearchOptions) => DirEntry[], rootDse?: RootDse) {
    const searches: string[] = [];
    const cache = new Map<string, Promise<unknown>>();
    const s: DirectorySession = {
        url,
        roundTrips: { binds: 1, searches: 0, adds: 0, modifies: 0, deletes: 0 },
        async search(base, o) { searches.push(base); return answer(base, o); },
        async add() { throw new Error("read only"); },
        async modify() { throw new Error("read only"); },
        async del() { throw new Error("read only"); },
        rootDse() { return s.memo("rootDSE", async () => { searches.push("(rootDSE)"); if (!rootDse) throw new Error("no rootDSE here"); return rootDse; }); },
        namingContexts() { return s.memo<NamingContexts>("namingContexts", () => s.rootDse()); },
        memo<T>(key: string, compute: () => Promise<T>) {
            let p = cache.get(key) as Promise<T> | undefined;
            if (!p) { p = compute(); cache.set(key, p); }
            return p;
        },
    };
    return { s, searches };
}

const dsaEntry = () => new DirEntry({ dn: DSA, invocationId: guidToBytes(INVOCATION) });
const dcComputer = () => new DirEntry({ dn: `CN=DC1,OU=Domain Controllers,${DOMAIN}`, dNSHostName: "dc1.corp.test", serverReferenceBL: SERVER });

beforeEach(() => clearDcNameCaches());

describe("the domain head instead of the rootDSE", () => {
    test("the configuration NC comes from the PDC role owner's DSA", () => {
        expect(configurationNcFromRoleOwner(DSA)).toBe(CONFIG);
        expect(configurationNcFromRoleOwner(`CN=NTDS Settings,CN=DC\\,1,CN=Servers,CN=S,CN=Sites,CN=Configuration,DC=root,DC=test`)).toBe("CN=Configuration,DC=root,DC=test");
        // a role owner left in Deleted Objects names no site: the rootDSE decides then
        expect(configurationNcFromRoleOwner(`CN=NTDS Settings\\0ADEL:1234,CN=Deleted Objects,${CONFIG}`)).toBeUndefined();
        expect(configurationNcFromRoleOwner(undefined)).toBeUndefined();
    });

    test("only a writable head vouches for the DC (a GC's or RODC's read-only copy does not)", () => {
        const head = (instanceType: string) => new DirEntry({ dn: "DC=child,DC=root,DC=test", instanceType, fSMORoleOwner: `CN=NTDS Settings,CN=DC9,CN=Servers,CN=S,CN=Sites,CN=Configuration,DC=root,DC=test` });
        expect(namingContextsFromHead(head("5"), "DC=child,DC=root,DC=test")).toEqual({
            defaultNamingContext: "DC=child,DC=root,DC=test", configurationNamingContext: "CN=Configuration,DC=root,DC=test", rootDomainNamingContext: "DC=root,DC=test",
        });
        expect(namingContextsFromHead(head("1"), "DC=child,DC=root,DC=test")).toBeUndefined();
        expect(namingContextsFromHead(undefined, DOMAIN)).toBeUndefined();
    });
});

describe("the originating DC's name", () => {
    test("forest root: the prefetched DSAs and the DC computers answer it, no further search", async () => {
        const { s, searches } = fakeSession("ldaps://dc-a:636", (base) => (base === `CN=Sites,${CONFIG}` ? [dsaEntry()] : []));
        const prefetch = prefetchDomainDsas(s, DOMAIN);
        const name = await originatingDcName(s, { domainDn: DOMAIN, configNc: CONFIG, invocationId: INVOCATION, dcComputers: [dcComputer()], prefetch });
        expect(name).toBe("dc1.corp.test");
        expect(searches).toEqual([`CN=Sites,${CONFIG}`]);
    });

    test("kept per process and DC URL: a second session of the same DC asks nothing, another DC asks again", async () => {
        const answer = (base: string) => (base === `CN=Sites,${CONFIG}` ? [dsaEntry()] : []);
        const a = fakeSession("ldaps://dc-a:636", answer);
        await prefetchDomainDsas(a.s, DOMAIN).dsas;
        const again = fakeSession("ldaps://dc-a:636", answer);
        const p = prefetchDomainDsas(again.s, DOMAIN);
        expect(await originatingDcName(again.s, { domainDn: DOMAIN, configNc: CONFIG, invocationId: INVOCATION, dcComputers: [dcComputer()], prefetch: p })).toBe("dc1.corp.test");
        expect(again.searches).toEqual([]);
        const other = fakeSession("ldaps://dc-b:636", answer);
        await prefetchDomainDsas(other.s, DOMAIN).dsas;
        expect(other.searches).toEqual([`CN=Sites,${CONFIG}`]);
    });

    test("child domain: the forest-root guess is discarded and the real configuration NC is searched", async () => {
        const child = "DC=child,DC=corp,DC=test";
        const { s, searches } = fakeSession("ldaps://dc-c:636", (base) => {
            // what the LDAP port makes of result 32 on the guessed base
            if (base === `CN=Sites,CN=Configuration,${child}`) throw new ProviderError("DirectoryNoSuchObject", "no such object", { serviceCode: "noSuchObject" });
            return base === `CN=Sites,${CONFIG}` ? [new DirEntry({ dn: DSA, invocationId: guidToBytes(INVOCATION) })] : [];
        });
        const prefetch = prefetchDomainDsas(s, child);
        const name = await originatingDcName(s, { domainDn: child, configNc: CONFIG, invocationId: INVOCATION, dcComputers: [dcComputer()], prefetch });
        expect(name).toBe("dc1.corp.test");
        expect(searches).toEqual([`CN=Sites,CN=Configuration,${child}`, `CN=Sites,${CONFIG}`]);
    });

    test("a DC no longer among the domain's DSAs falls back to the exact lookup, kept per DC URL + invocationId", async () => {
        const gone = "0b4b1f1c-0000-4000-8000-000000000001";
        const ctx: NamingContexts = { defaultNamingContext: DOMAIN, configurationNamingContext: CONFIG, rootDomainNamingContext: DOMAIN };
        const { s, searches } = fakeSession("ldaps://dc-a:636", (base, o) => {
            if (base === `CN=Sites,${CONFIG}` && String(o.filter).includes("invocationId")) return []; // demoted: not anywhere
            return base === `CN=Sites,${CONFIG}` ? [dsaEntry()] : [];
        });
        void s.memo("namingContexts", async () => ctx);
        const q = { domainDn: DOMAIN, configNc: CONFIG, invocationId: gone, dcComputers: [dcComputer()], prefetch: prefetchDomainDsas(s, DOMAIN) };
        expect(await originatingDcName(s, q)).toBeUndefined();
        const after = searches.length;
        expect(await dcHostNameByInvocationId(s, gone)).toBeUndefined();
        expect(searches.length).toBe(after); // remembered
    });
});

describe("groups given by SID, resolved from what the read already holds", () => {
    const DOMAIN_SID = "S-1-5-21-1-2-3";
    const group = (name: string, rid: number) => new DirEntry({ dn: `CN=${name},CN=Users,${DOMAIN}`, objectClass: ["top", "group"], objectSid: sidToBytes(`${DOMAIN_SID}-${rid}`), sAMAccountName: name });

    test("offered candidates answer SID inputs without a search; names are still searched", async () => {
        const { s, searches } = fakeSession("ldaps://dc-a:636", () => [group("Pilot", 1105)]);
        void s.memo("namingContexts", async () => ({ defaultNamingContext: DOMAIN, configurationNamingContext: CONFIG, rootDomainNamingContext: DOMAIN }));
        void s.memo("domainSid", async () => DOMAIN_SID);
        offerGroupCandidates(s, [group("Domain Users", 513), group("Domain Admins", 512), new DirEntry({ dn: DOMAIN, objectClass: ["domainDNS"] })]);
        const bySid = await resolveGroups(s, [`${DOMAIN_SID}-513`, `${DOMAIN_SID}-512`]);
        expect(bySid.map((g) => g.name)).toEqual(["Domain Users", "Domain Admins"]);
        expect(searches).toEqual([]);
        const mixed = await resolveGroups(s, [`${DOMAIN_SID}-513`, "Pilot"]);
        expect(mixed.map((g) => g.name)).toEqual(["Domain Users", "Pilot"]);
        expect(searches).toEqual([DOMAIN]);
    });
});
