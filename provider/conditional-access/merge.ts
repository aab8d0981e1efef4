// The write itself, as data: given a policy as Graph returned it, the PATCH body that adds the
// entries we want and removes the ones we give up, and nothing else. Graph replaces every array it
// receives as a whole and has no ETag (docs/sources.md, Graph §4), so the body carries the WHOLE sub-object
// (`conditions.applications` / `conditions.users`) as read, with only our entries changed, and only
// for the sub-objects we actually change: a concurrent edit of the other one is never overwritten.
import { EXCLUSION_KINDS, KINDS, emptyIds, idKey, type ConditionsSubObject, type ExclusionIds, type ExclusionKind } from "./model";

/** The parts of a conditionalAccessPolicy this package reads. */
export interface CaPolicy {
    id: string;
    displayName: string;
    createdDateTime?: string | null;
    modifiedDateTime?: string | null;
    conditions?: {
        applications?: Record<string, unknown> | null;
        users?: Record<string, unknown> | null;
        [k: string]: unknown;
    } | null;
    [k: string]: unknown;
}

export interface PatchBody {
    conditions: Partial<Record<ConditionsSubObject, Record<string, unknown>>>;
}

export interface MergePlan {
    /** undefined when the policy already is as wanted */
    body?: PatchBody;
    /** per list we send, the whole list: every entry must be on the policy after the write */
    expected: Partial<Record<ExclusionKind, string[]>>;
    /** entries the write adds / removes */
    added: ExclusionIds;
    removed: ExclusionIds;
}

/** The three exclusion lists of a policy (absent or null lists read as empty). */
export function exclusionsOf(policy: CaPolicy): ExclusionIds {
    const out = emptyIds();
    for (const kind of EXCLUSION_KINDS) {
        const { subObject, list } = KINDS[kind];
        const v = policy.conditions?.[subObject]?.[list];
        out[kind] = Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
    }
    return out;
}

/** Ensures every `want` entry is present and every `remove` entry is absent; keeps everyone else's entries and their order. */
export function planMerge(policy: CaPolicy, want: ExclusionIds, remove: ExclusionIds): MergePlan {
    const current = exclusionsOf(policy);
    const added = emptyIds(), removed = emptyIds();
    const next: Partial<Record<ExclusionKind, string[]>> = {};
    for (const kind of EXCLUSION_KINDS) {
        const present = new Set(current[kind].map(idKey));
        const dropping = new Set(remove[kind].map(idKey).filter((k) => present.has(k)));
        for (const id of current[kind]) if (dropping.has(idKey(id))) removed[kind].push(id);
        for (const id of want[kind]) {
            const k = idKey(id);
            if (!present.has(k)) { present.add(k); added[kind].push(id); }
        }
        if (added[kind].length || removed[kind].length) {
            next[kind] = [...current[kind].filter((id) => !dropping.has(idKey(id))), ...added[kind]];
        }
    }
    const touched = new Set(EXCLUSION_KINDS.filter((k) => next[k]).map((k) => KINDS[k].subObject));
    if (touched.size === 0) return { expected: {}, added, removed };

    const body: PatchBody = { conditions: {} };
    const expected: Partial<Record<ExclusionKind, string[]>> = {};
    for (const sub of touched) {
        const copy = withoutODataAnnotations(policy.conditions?.[sub] ?? {});
        for (const kind of EXCLUSION_KINDS.filter((k) => KINDS[k].subObject === sub)) {
            const list = next[kind] ?? current[kind];
            // untouched lists of the same sub-object go out as read; send [] rather than a null Graph would refuse
            if (next[kind] || copy[KINDS[kind].list] === null) copy[KINDS[kind].list] = list;
            expected[kind] = list;
        }
        body.conditions[sub] = copy;
    }
    return { body, expected, added, removed };
}

export interface Verification {
    ok: boolean;
    /** entries we sent that are not on the policy now */
    missing: ExclusionIds;
    /** entries we removed that are back */
    lingering: ExclusionIds;
}

/** After the write: is every entry we sent (ours and everyone else's) there, and every entry we removed gone? */
export function verifyMerge(readBack: CaPolicy, plan: MergePlan): Verification {
    const now = exclusionsOf(readBack);
    const missing = emptyIds(), lingering = emptyIds();
    for (const kind of EXCLUSION_KINDS) {
        const present = new Set(now[kind].map(idKey));
        for (const id of plan.expected[kind] ?? []) if (!present.has(idKey(id))) missing[kind].push(id);
        for (const id of plan.removed[kind]) if (present.has(idKey(id))) lingering[kind].push(id);
    }
    const ok = EXCLUSION_KINDS.every((k) => missing[k].length === 0 && lingering[k].length === 0);
    return { ok, missing, lingering };
}

/** Graph's read-only annotations (@odata.type, @odata.context...) are not echoed in a PATCH (docs/sources.md, Graph §4 step 7). */
function withoutODataAnnotations(o: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith("@odata.")));
}
