// Which DC originated a change: the invocationId in replPropertyMetaData → the nTDSDSA object with
// that invocationId (configuration NC) → its parent server object → the DC's DNS name. This is
// KeyUpdatedFrom, and the only part of a Kerberos server read that the main search cannot answer.
//
// Two things keep it off the read's critical path:
// - the domain's DSAs (nTDSDSA objects holding this domain's NC, with their invocationIds) are
//   searched BESIDE the main search, on the assumption that the domain is its forest's root (true of
//   every single-domain forest), where the configuration NC is CN=Configuration,<domain DN>. The
//   caller checks that against the domain head and discards the answer when it was wrong. The DCs'
//   DNS names come from the main search itself (the domain's DC computer objects, whose
//   serverReferenceBL names their server object);
// - answers are kept per process (module-level, short-lived), keyed by DC URL and naming context:
//   a DSA's invocationId and name do not change under a running operation, and the second read of
//   a domain in the same `pulumi up` (after a write) needs no lookup.
// Whatever the fast path cannot answer (a DC since demoted, a child domain) falls back to the exact
// lookup by invocationId, also kept per DC URL + invocationId.
import { AndFilter, EqualityFilter } from "ldapts";
import { SharedCache } from "../core/shared-cache";
import { isLdapResult, type DirectorySession, type DirEntry } from "./connection";
import { dnEquals, normalizeDn, parentDn } from "./escape";
import { guidToBytes, guidToString } from "./replmeta";

const TTL_MS = 10 * 60_000;

/** invocationId (lower case) → DSA DN, for the DSAs holding one domain's NC; null: no such configuration NC on this DC. */
export type DomainDsas = Map<string, string> | null;

const domainDsas = new SharedCache<Promise<DomainDsas>>({ ttlMs: TTL_MS, maxEntries: 512 });
const byInvocationId = new SharedCache<Promise<string | undefined>>({ ttlMs: TTL_MS, maxEntries: 2048 });

/** For tests: forget everything this process learned. */
export function clearDcNameCaches(): void {
    domainDsas.clear();
    byInvocationId.clear();
}

async function searchDomainDsas(session: DirectorySession, configNc: string, domainDn: string): Promise<DomainDsas> {
    try {
        const found = await session.search(`CN=Sites,${configNc}`, {
            scope: "sub",
            filter: new AndFilter({ filters: [
                new EqualityFilter({ attribute: "objectClass", value: "nTDSDSA" }),
                new EqualityFilter({ attribute: "msDS-HasDomainNCs", value: domainDn }),
            ] }),
            attributes: ["invocationId"],
            explicitBufferAttributes: ["invocationId"],
        });
        const map = new Map<string, string>();
        for (const e of found) {
            const id = e.buffer("invocationId");
            if (id && id.length === 16) map.set(guidToString(id), e.dn);
        }
        return map;
    } catch (e) {
        if (isLdapResult(e, "noSuchObject")) return null; // not the forest root: the guess was wrong
        throw e;
    }
}

function dsasOf(session: DirectorySession, configNc: string, domainDn: string): Promise<DomainDsas> {
    return domainDsas.get(`${session.url}|${normalizeDn(configNc)}|${normalizeDn(domainDn)}`, () => searchDomainDsas(session, configNc, domainDn));
}

export interface DsaPrefetch {
    /** the configuration NC the prefetch assumed */
    configNc: string;
    /** settles when the search does; never rejects (undefined: it failed) */
    dsas: Promise<DomainDsas | undefined>;
}

/** Starts reading the domain's DSAs under the forest-root assumption (see the header). */
export function prefetchDomainDsas(session: DirectorySession, domainDn: string): DsaPrefetch {
    const configNc = `CN=Configuration,${domainDn}`;
    return { configNc, dsas: dsasOf(session, configNc, domainDn).then((m) => m, () => undefined) };
}

export interface OriginatingDcQuery {
    domainDn: string;
    /** the real configuration NC (from the domain head or the rootDSE) */
    configNc: string;
    invocationId: string;
    /** the domain's DC computer objects from the main search, with dNSHostName and serverReferenceBL */
    dcComputers: DirEntry[];
    /** a prefetch, used only if it assumed the real configuration NC */
    prefetch?: DsaPrefetch;
}

/** The DNS name of the DC whose invocationId originated a change; undefined if that DC is gone. */
export async function originatingDcName(session: DirectorySession, q: OriginatingDcQuery): Promise<string | undefined> {
    const usable = q.prefetch && dnEquals(q.prefetch.configNc, q.configNc) ? await q.prefetch.dsas : undefined;
    const dsas = usable ?? await dsasOf(session, q.configNc, q.domainDn).catch(() => undefined);
    const dsaDn = dsas?.get(q.invocationId.toLowerCase());
    if (dsaDn) {
        const server = parentDn(dsaDn);
        const dc = q.dcComputers.find((c) => c.strings("serverReferenceBL").some((bl) => dnEquals(bl, server)));
        const name = dc?.string("dNSHostName");
        if (name) return name;
    }
    return dcHostNameByInvocationId(session, q.invocationId);
}

/**
 * The exact lookup: nTDSDSA with that invocationId anywhere in CN=Sites → its parent server object
 * → dNSHostName (2 searches). The filter value is a Buffer: ldapts re-encodes `\xx` escapes ≥ 0x80
 * in string filters as UTF-8 (samba-multi-dc.md §3e). Kept per DC URL + invocationId.
 */
export function dcHostNameByInvocationId(session: DirectorySession, invocationId: string): Promise<string | undefined> {
    return byInvocationId.get(`${session.url}|${invocationId.toLowerCase()}`, async () => {
        const { configurationNamingContext } = await session.namingContexts();
        const [dsa] = await session.search(`CN=Sites,${configurationNamingContext}`, {
            scope: "sub",
            filter: new AndFilter({ filters: [
                new EqualityFilter({ attribute: "objectClass", value: "nTDSDSA" }),
                new EqualityFilter({ attribute: "invocationId", value: guidToBytes(invocationId) }),
            ] }),
            attributes: ["1.1"],
        });
        if (!dsa) return undefined;
        const [server] = await session.search(parentDn(dsa.dn), { scope: "base", filter: "(objectClass=*)", attributes: ["dNSHostName"] });
        return server?.string("dNSHostName");
    });
}
