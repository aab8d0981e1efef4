// Reads that tolerate Graph's eventual consistency. A read soon after a write (ours or another
// client's) can be served by a replica that has not seen the write yet and return the previous
// object, or 404 for an object just created (hashicorp/terraform-provider-azuread polls a
// Conditional Access policy until several consecutive reads agree before trusting it:
// https://github.com/hashicorp/terraform-provider-azuread). A settled read therefore:
//  - reads until `agree` consecutive reads return the same object (or the same absence);
//  - drops every read whose version (modifiedDateTime) is older than the newest it has seen, or
//    than a `floor` the caller already knows (the version recorded in state), so a write is never
//    built from a read older than one already seen;
//  - with `accept`, counts only reads that show what the caller knows must be there by now (e.g.
//    our own write), so a read-back waits for the write to become visible;
//  - gives up after `maxReads` with a retryable error instead of trusting a read it cannot settle.
// The reads are spaced by `spacingMs` (plus any pacing the read itself waits for), so `agree` reads
// span at least (agree - 1) * spacing: a replica lag shorter than that cannot fool them.
import { ProviderError } from "../core/errors";
import { stableJson } from "../core/stable-json";

export interface SettleOptions<T> {
    /** consecutive agreeing reads needed */
    agree: number;
    /** reads before giving up */
    maxReads: number;
    /** pause before every read but the first, on top of the read's own pacing */
    spacingMs: number;
    /** the object's version, compared as text (ISO 8601 times compare correctly); null/undefined: unknown */
    version: (value: T) => string | null | undefined;
    /** a version the caller has already seen: older reads are stale */
    floor?: string | null;
    /** a read is only counted when this holds (e.g. it shows our own write) */
    accept?: (value: T | undefined) => boolean;
    /** what the value's identity for "agree" is; default: the whole value as stable JSON without @odata annotations */
    fingerprint?: (value: T | undefined) => string;
    /** a read the caller has just made, counted as the first of these reads */
    first?: T;
    /** how error messages name the object */
    what: string;
    sleep?: (ms: number) => Promise<void>;
}

export interface Settled<T> {
    value: T | undefined;
    /** reads made */
    reads: number;
    /** reads dropped as older than one already seen */
    stale: number;
    /** the newest version any read showed (the floor for the caller's next settled read) */
    newest?: string;
}

export const CONSISTENT_READS = 3;
export const MAX_SETTLE_READS = 12;

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The value without @odata annotations (an entity read carries @odata.context, the same entity in a list does not). */
function wholeValue(v: unknown): string {
    if (v === undefined) return "absent";
    if (v === null || typeof v !== "object" || Array.isArray(v)) return stableJson(v);
    return stableJson(Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith("@odata."))));
}

export async function settledRead<T>(read: () => Promise<T | undefined>, o: SettleOptions<T>): Promise<Settled<T>> {
    const sleep = o.sleep ?? defaultSleep;
    const fingerprint = o.fingerprint ?? wholeValue;
    let newest = o.floor ?? undefined;
    let run: string | undefined, runLength = 0, stale = 0, unaccepted = 0;
    for (let reads = 1; reads <= o.maxReads; reads++) {
        if (reads > 1) await sleep(o.spacingMs);
        const value = reads === 1 && o.first !== undefined ? o.first : await read();
        const version = value === undefined ? undefined : o.version(value) ?? undefined;
        if (version !== undefined && newest !== undefined && version < newest) { stale++; runLength = 0; continue; }
        if (version !== undefined && (newest === undefined || version > newest)) newest = version;
        if (o.accept && !o.accept(value)) { unaccepted++; runLength = 0; continue; }
        const f = fingerprint(value);
        runLength = f === run ? runLength + 1 : 1;
        run = f;
        if (runLength >= o.agree) return { value, reads, stale, newest };
    }
    throw new ProviderError("GRAPH_READS_UNSETTLED",
        `${o.what}: ${o.maxReads} reads did not settle (${o.agree} consecutive equal reads needed; ${stale} older than one already seen` +
        `${o.accept ? `, ${unaccepted} not yet showing the write just made` : ""}). Graph replicas can lag behind a write; run the operation again.`,
        { retryable: true });
}
