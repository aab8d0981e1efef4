// A small process-wide cache for things many resources of one `pulumi` run would otherwise each
// fetch or build again: the dynamic-provider host is one process per run and reads every resource
// of the run, so a value shared here is shared by the whole run (credentials, the tenant's audit-log
// page, the names of a domain's DCs). Three rules make sharing safe:
// - in flight = shared: callers that arrive while a value is being computed wait for the same
//   promise instead of starting their own;
// - a failure is never remembered: a rejected promise leaves the cache, the next caller tries again;
// - entries are short-lived (ttlMs after they were created) and the cache holds at most maxEntries
//   (the oldest go first), so a long-lived process never serves old data or grows without bound.
// Keys must never contain a secret: build them with fingerprint() below.
import { createHmac, randomBytes } from "node:crypto";

export interface SharedCacheOptions {
    ttlMs: number;
    maxEntries?: number;
    /** injectable for tests */
    now?: () => number;
}

interface Entry<V> {
    value: V;
    createdAt: number;
}

export class SharedCache<V> {
    private readonly entries = new Map<string, Entry<V>>();
    private readonly now: () => number;

    constructor(private readonly options: SharedCacheOptions) {
        this.now = options.now ?? Date.now;
    }

    /** The value under `key`, or `create()`'s (a promise that rejects is dropped once it does). */
    get(key: string, create: () => V): V {
        const hit = this.entries.get(key);
        if (hit && this.now() - hit.createdAt < this.options.ttlMs) return hit.value;
        if (hit) this.entries.delete(key);
        const value = create();
        const entry = { value, createdAt: this.now() };
        this.entries.set(key, entry);
        if (value instanceof Promise) {
            // only this entry: a newer one under the same key (after invalidate) stays
            value.catch(() => { if (this.entries.get(key) === entry) this.entries.delete(key); });
        }
        this.evict();
        return value;
    }

    /** The value under `key` if present and fresh, without creating one. */
    peek(key: string): V | undefined {
        const hit = this.entries.get(key);
        return hit && this.now() - hit.createdAt < this.options.ttlMs ? hit.value : undefined;
    }

    /** Forgets `key`: callers already holding its value keep it, the next caller gets a fresh one. */
    invalidate(key: string): void {
        this.entries.delete(key);
    }

    /** Forgets every key for which `match` is true. */
    invalidateWhere(match: (key: string) => boolean): void {
        for (const k of [...this.entries.keys()]) if (match(k)) this.entries.delete(k);
    }

    clear(): void {
        this.entries.clear();
    }

    get size(): number {
        return this.entries.size;
    }

    private evict(): void {
        const max = this.options.maxEntries ?? 256;
        // Map iteration order is insertion order: the first keys are the oldest
        for (const k of this.entries.keys()) {
            if (this.entries.size <= max) break;
            this.entries.delete(k);
        }
    }
}

// A random key per process: fingerprints cannot be compared across processes or brute-forced
// from a log line, and a key built from them never holds a secret or a plain hash of one.
const PROCESS_KEY = randomBytes(32);

/**
 * A short, process-local HMAC of secret material (client secrets, certificates), for cache keys
 * that must tell two credentials apart without containing either secret.
 */
export function fingerprint(...parts: (string | undefined)[]): string {
    const h = createHmac("sha256", PROCESS_KEY);
    for (const p of parts) h.update(`${p === undefined ? "-" : `${p.length}:${p}`}\u0000`);
    return h.digest("base64url").slice(0, 22);
}
