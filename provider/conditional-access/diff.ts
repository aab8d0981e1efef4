// What changed between the state (refreshed or not) and the new inputs, without I/O. The provider
// then looks up only what is new: a different `policy`, and entries not already resolved in state.
// Names already in state keep their recorded ids (an exclusion is pinned to the object it named
// when it was added), so an unchanged program never depends on a lookup to preview cleanly.
import { UNKNOWN_VALUE } from "../core/unknown";
import { EXCLUSION_KINDS, entriesOf, type ConditionalAccessExclusionInputs, type ConditionalAccessExclusionState, type ExclusionKind } from "./model";
import { inputsOf } from "./state";

export interface DiffPlan {
    /** replacing inputs known without I/O (a different tenant) */
    replaces: string[];
    policyChanged: boolean;
    /** kinds whose list of entries differs (as a set; order means nothing to Graph) */
    changedKinds: ExclusionKind[];
    /** anything else in the inputs differs (e.g. the credential): an update that writes nothing */
    otherChanged: boolean;
    /** some new input is not known yet (preview): no lookup is possible */
    hasUnknowns: boolean;
}

export function planDiff(olds: Partial<ConditionalAccessExclusionState>, news: Partial<ConditionalAccessExclusionInputs>): DiffPlan {
    const replaces: string[] = [];
    if (!sameTenant(olds.graph, news.graph)) replaces.push("graph");
    const policyChanged = news.policy !== olds.policy;
    const changedKinds = EXCLUSION_KINDS.filter((k) => !sameEntries(entriesOf(olds, k), entriesOf(news, k)));
    const o = inputsOf(olds as Record<string, any>), n = inputsOf(news as Record<string, any>);
    const otherChanged = JSON.stringify(canonical(o.graph)) !== JSON.stringify(canonical(n.graph));
    return { replaces, policyChanged, changedKinds, otherChanged, hasUnknowns: containsUnknown(news) };
}

export function hasChanges(p: DiffPlan): boolean {
    return p.replaces.length > 0 || p.policyChanged || p.changedKinds.length > 0 || p.otherChanged;
}

/** A different tenant or Graph cloud is a different policy altogether. */
/** The part of a GraphConnection that names the tenant and the cloud (from state or new inputs, unchecked). */
type TenantOf = { tenantId?: unknown; graphEndpoint?: unknown } | undefined;

export function sameTenant(a: TenantOf, b: TenantOf): boolean {
    if (a?.tenantId === UNKNOWN_VALUE || b?.tenantId === UNKNOWN_VALUE) return true; // decided once known
    const t = (g: TenantOf) => `${String(g?.tenantId ?? "").toLowerCase()}|${String(g?.graphEndpoint ?? "https://graph.microsoft.com").replace(/\/+$/, "").toLowerCase()}`;
    return t(a) === t(b);
}

export function sameEntries(a: string[], b: string[]): boolean {
    if (a.length !== b.length) return false;
    const sa = [...a].sort(), sb = [...b].sort();
    return sa.every((x, i) => x === sb[i]);
}

function containsUnknown(v: unknown): boolean {
    if (v === UNKNOWN_VALUE) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
    return false;
}

/** Key order must not count as a change. */
function canonical(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
    return v;
}
