// Eventual consistency, off by default. Graph serves reads from replicas that can lag behind a
// write: a read soon after a change may return the previous object, or 404 for an object just
// created. Source: hashicorp/terraform-provider-azuread polls a Conditional Access policy after
// a write until 5 consecutive reads match, because the API is eventually consistent
// (https://github.com/hashicorp/terraform-provider-azuread/blob/main/internal/services/conditionalaccess/conditional_access_policy_resource.go).
// How long replicas lag and how often a
// read hits a lagging one is not documented: both are ASSUMPTIONS here (docs/lab.md, Limits), set
// per run, and the choice is deterministic under `seed` so a failing run can be repeated.
//
// Model: for `windowMs` after a write of an object in one of `collections`, each read of that
// object (by id or in a list) independently sees the version before the write with probability
// `staleProbability`. Only the version before the LATEST write is kept (two quick writes: a lagging
// read sees the one before the second). Writes and the emulator's own checks always see the latest.
import type { CollectionName } from "./state";

export interface ConsistencySettings {
    enabled: boolean;
    windowMs: number;
    staleProbability: number;
    seed: number;
    collections: CollectionName[];
}

/**
 * The collections whose reads may lag: CA policies (the source above) and, as an ASSUMPTION that they
 * replicate alike (docs/lab.md, Limits), Intune configuration policies and device configurations
 * (their settings and assignments stored inline) and the authentication method configurations.
 */
export const LAGGING_COLLECTIONS: CollectionName[] = ["policies", "configurationPolicies", "deviceConfigurations", "authenticationMethodConfigurations"];

export const DEFAULT_CONSISTENCY: ConsistencySettings = {
    enabled: false, windowMs: 1500, staleProbability: 0.5, seed: 1, collections: LAGGING_COLLECTIONS,
};

interface RecentWrite { previous: any | undefined; at: number }

/** mulberry32: a small seeded PRNG, so the same requests in the same order lag the same way. */
function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export class ReplicaLag {
    private recent = new Map<string, RecentWrite>();
    private random: () => number;
    /** reads that were served an older version (tests assert the mode really bit) */
    staleServed = 0;

    constructor(private settingsValue: ConsistencySettings = DEFAULT_CONSISTENCY, private readonly clock: () => number = Date.now) {
        validate(settingsValue);
        this.random = seededRandom(settingsValue.seed);
    }

    get settings(): ConsistencySettings {
        return this.settingsValue;
    }

    /** New settings; forgets recent writes and restarts the random sequence. */
    configure(patch: Partial<ConsistencySettings>): ConsistencySettings {
        const next = { ...this.settingsValue, ...patch };
        validate(next);
        this.settingsValue = next;
        this.recent.clear();
        this.random = seededRandom(next.seed);
        this.staleServed = 0;
        return next;
    }

    /** Called by TenantState before an entity changes: `previous` is a copy of it (undefined: it did not exist). */
    recordWrite(coll: CollectionName, id: string, previous: any | undefined): void {
        if (!this.settingsValue.enabled || !this.settingsValue.collections.includes(coll)) return;
        this.recent.set(key(coll, id), { previous, at: this.clock() });
    }

    /** Whether this store needs copies of entities before writes (so disabled costs nothing). */
    get recording(): boolean {
        return this.settingsValue.enabled;
    }

    /** One collection as one read sees it: lagging objects replaced by their previous version, or left out / put back. */
    replicaView(coll: CollectionName, current: readonly any[]): any[] {
        if (!this.settingsValue.enabled || !this.settingsValue.collections.includes(coll)) return current as any[];
        const now = this.clock();
        const out: any[] = [];
        const seen = new Set<string>();
        for (const e of current) {
            const id = String(e.id).toLowerCase();
            seen.add(id);
            const stale = this.lagging(coll, id, now);
            if (!stale) out.push(e);
            else if (stale.previous !== undefined) out.push(stale.previous);
        }
        // deleted moments ago: a lagging replica still has it
        for (const [k, w] of this.recent) {
            const [c, id] = k.split("|");
            if (c !== coll || seen.has(id) || w.previous === undefined) continue;
            if (this.lagging(coll, id, now)) out.push(w.previous);
        }
        return out;
    }

    private lagging(coll: CollectionName, id: string, now: number): RecentWrite | undefined {
        const w = this.recent.get(key(coll, id));
        if (!w) return undefined;
        if (now - w.at >= this.settingsValue.windowMs) { this.recent.delete(key(coll, id)); return undefined; }
        if (this.random() >= this.settingsValue.staleProbability) return undefined;
        this.staleServed++;
        return w;
    }
}

const key = (coll: CollectionName, id: string) => `${coll}|${id.toLowerCase()}`;

function validate(s: ConsistencySettings): void {
    if (typeof s.enabled !== "boolean") throw new Error("consistency: enabled must be a boolean");
    if (!Number.isInteger(s.windowMs) || s.windowMs < 0 || s.windowMs > 60_000) throw new Error("consistency: windowMs must be an integer from 0 to 60000");
    if (typeof s.staleProbability !== "number" || !(s.staleProbability >= 0 && s.staleProbability <= 1)) throw new Error("consistency: staleProbability must be from 0 to 1");
    if (!Number.isInteger(s.seed)) throw new Error("consistency: seed must be an integer");
    if (!Array.isArray(s.collections) || s.collections.some((c) => !LAGGING_COLLECTIONS.includes(c))) {
        throw new Error(`consistency: collections must be a subset of ${LAGGING_COLLECTIONS.join(", ")}`);
    }
}
