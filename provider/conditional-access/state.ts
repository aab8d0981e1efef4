// The resource's state: its inputs (plain data, SecretRefs only) plus the resolved ids and the
// ownership record. After a refresh the exclude lists hold only the entries that are really on the
// policy, so the engine's diff of inputs shows exactly which exclusions went missing.
import type { CaPolicy } from "./merge";
import { exclusionsOf } from "./merge";
import {
    EXCLUSION_KINDS, INPUT_KEYS, KINDS, entriesOf, idKey, idsOf,
    type ConditionalAccessExclusionInputs, type ConditionalAccessExclusionOutputs, type ConditionalAccessExclusionState, type ExclusionIds,
} from "./model";
import type { KnownIds } from "./resolve";

/** The inputs part of a state or of the engine's news, without __provider and outputs. */
export function inputsOf(v: Record<string, any>): ConditionalAccessExclusionInputs {
    const out: Record<string, unknown> = {};
    for (const k of INPUT_KEYS) if (v[k] !== undefined) out[k] = v[k];
    return out as unknown as ConditionalAccessExclusionInputs;
}

/** Spelling -> id pairs recorded in state, so unchanged entries are not looked up again. */
export function knownIds(state: Partial<ConditionalAccessExclusionState>): KnownIds {
    const known = { applications: new Map<string, string>(), groups: new Map<string, string>(), users: new Map<string, string>() };
    for (const kind of EXCLUSION_KINDS) {
        const entries = entriesOf(state, kind), ids = idsOf(state, KINDS[kind].idsOutput);
        if (entries.length !== ids.length) continue; // not aligned: trust nothing, look everything up
        entries.forEach((e, i) => { if (ids[i]) known[kind].set(e, ids[i]); });
    }
    return known;
}

export function buildState(inputs: ConditionalAccessExclusionInputs, policy: Pick<CaPolicy, "id" | "displayName">, resolved: ExclusionIds, owned: ExclusionIds): ConditionalAccessExclusionState {
    const outputs: ConditionalAccessExclusionOutputs = {
        policyId: policy.id,
        policyDisplayName: policy.displayName,
        applicationIds: resolved.applications, groupIds: resolved.groups, userIds: resolved.users,
        ownedApplicationIds: owned.applications, ownedGroupIds: owned.groups, ownedUserIds: owned.users,
    };
    return { ...inputsOf(inputs), ...outputs };
}

/**
 * State as observed on `policy`: entries (and their ids) that are not on the policy any more are
 * dropped from the exclude lists and from ownership; nothing is looked up by name.
 */
export function observedState(state: ConditionalAccessExclusionState, policy: CaPolicy): ConditionalAccessExclusionState {
    const present = exclusionsOf(policy);
    const next: Record<string, unknown> = { ...state, policyDisplayName: policy.displayName };
    for (const kind of EXCLUSION_KINDS) {
        const { input, idsOutput, ownedOutput } = KINDS[kind];
        const on = new Set(present[kind].map(idKey));
        const entries = entriesOf(state, kind), ids = idsOf(state, idsOutput);
        if (entries.length === ids.length) {
            const keep = ids.map((id) => on.has(idKey(id)));
            if (state[input] !== undefined) next[input] = entries.filter((_, i) => keep[i]);
            next[idsOutput] = ids.filter((_, i) => keep[i]);
        }
        next[ownedOutput] = idsOf(state, ownedOutput).filter((id) => on.has(idKey(id)));
    }
    return next as unknown as ConditionalAccessExclusionState;
}
