// The resource's lifecycle over a Fido2Gateway: create, read (refresh), update, delete, and the
// lookups check and diff need. Every group name is resolved BEFORE the configuration is read, so a
// failed lookup ends the operation before any write.
import { stableJson } from "../core/stable-json";
import { sameEntries, sameTenant } from "../conditional-access/diff";
import { idKey } from "../conditional-access/model";
import { resolveGroups } from "../conditional-access/resolve";
import { containsUnknown } from "../intune/check-common";
import type { Fido2Gateway } from "./gateway";
import { sameSetting, targetIdsOf } from "./merge";
import {
    SETTING_KEYS, declaredSettings, inputsOf, listOf,
    type Fido2Config, type Fido2SecurityKeyMethodInputs, type Fido2SecurityKeyMethodState,
} from "./model";
import { reconcileFido2, settledConfig } from "./reconcile";

export interface OperationOptions {
    maxRounds?: number;
    /** spacing of the settled reads (tests against an emulator without lag shorten it) */
    spacingMs?: number;
}

/** Spelling -> id pairs recorded in state, so unchanged groups are not looked up again. */
function knownGroups(state: Partial<Fido2SecurityKeyMethodState>): Map<string, string> {
    const entries = listOf(state.includeGroups), ids = listOf(state.groupIds);
    const known = new Map<string, string>();
    if (entries.length === ids.length) entries.forEach((e, i) => { if (ids[i]) known.set(e, ids[i]); });
    return known;
}

const resolve = (gw: Fido2Gateway, inputs: Partial<Fido2SecurityKeyMethodInputs>, known?: Map<string, string>) =>
    resolveGroups(gw.query, "includeGroups", listOf(inputs.includeGroups), known);

function buildState(inputs: Fido2SecurityKeyMethodInputs, groupIds: string[], owned: string[]): Fido2SecurityKeyMethodState {
    return { ...inputsOf(inputs), groupIds, ownedGroupIds: owned };
}

export async function createFido2(gw: Fido2Gateway, inputs: Fido2SecurityKeyMethodInputs, opts: OperationOptions = {}): Promise<Fido2SecurityKeyMethodState> {
    const ids = await resolve(gw, inputs);
    const r = await reconcileFido2(gw, { want: ids, previouslyOwned: [], settings: declaredSettings(inputs), ...opts });
    return buildState(inputs, ids, r.owned);
}

export async function updateFido2(gw: Fido2Gateway, olds: Fido2SecurityKeyMethodState, news: Fido2SecurityKeyMethodInputs, opts: OperationOptions = {}): Promise<Fido2SecurityKeyMethodState> {
    const ids = await resolve(gw, news, knownGroups(olds));
    const r = await reconcileFido2(gw, { want: ids, previouslyOwned: listOf(olds.ownedGroupIds), settings: declaredSettings(news), ...opts });
    return buildState(news, ids, r.owned);
}

/** Removes exactly the targets this resource added; every setting stays as it is (destroy restores nothing). */
export async function deleteFido2(gw: Fido2Gateway, state: Fido2SecurityKeyMethodState, opts: OperationOptions = {}): Promise<void> {
    await reconcileFido2(gw, { want: [], previouslyOwned: listOf(state.ownedGroupIds), settings: {}, ...opts });
}

/** Refresh: the state as the configuration is now (settled: a lagging replica must not look like drift). */
export async function readFido2(gw: Fido2Gateway, state: Fido2SecurityKeyMethodState, opts: OperationOptions = {}): Promise<Fido2SecurityKeyMethodState> {
    return observedState(state, await settledConfig(gw, opts.spacingMs));
}

/**
 * State as observed on `config`: groups that are no longer targets are dropped from includeGroups,
 * groupIds and ownership, and each declared setting takes the value the tenant has, so the engine's
 * diff of inputs names exactly what drifted. Settings the program does not declare stay out of state.
 */
export function observedState(state: Fido2SecurityKeyMethodState, config: Fido2Config): Fido2SecurityKeyMethodState {
    const on = new Set(targetIdsOf(config).map(idKey));
    const next: Record<string, unknown> = { ...state };
    const entries = listOf(state.includeGroups), ids = listOf(state.groupIds);
    if (entries.length === ids.length) {
        const keep = ids.map((id) => on.has(idKey(id)));
        if (state.includeGroups !== undefined) next.includeGroups = entries.filter((_, i) => keep[i]);
        next.groupIds = ids.filter((_, i) => keep[i]);
    }
    next.ownedGroupIds = listOf(state.ownedGroupIds).filter((id) => on.has(idKey(id)));
    for (const k of SETTING_KEYS) {
        if (state[k] === undefined || sameSetting(k, config[k], state[k])) continue;
        next[k] = k === "keyRestrictions"
            ? { isEnforced: config.keyRestrictions?.isEnforced ?? false, enforcementType: config.keyRestrictions?.enforcementType ?? null, aaGuids: config.keyRestrictions?.aaGuids ?? [] }
            : config[k] ?? null;
    }
    return next as unknown as Fido2SecurityKeyMethodState;
}

export interface Fido2DiffPlan {
    replaces: string[];
    groupsChanged: boolean;
    changed: boolean;
    hasUnknowns: boolean;
}

/** What changed between the state and the new inputs, without I/O. */
export function planFido2Diff(olds: Partial<Fido2SecurityKeyMethodState>, news: Partial<Fido2SecurityKeyMethodInputs>): Fido2DiffPlan {
    const replaces = sameTenant(olds.graph, news.graph) ? [] : ["graph"];
    const groupsChanged = !sameEntries(listOf(olds.includeGroups), listOf(news.includeGroups));
    const settingsChanged = SETTING_KEYS.some((k) => stableJson(olds[k]) !== stableJson(news[k]));
    const graphChanged = stableJson(olds.graph) !== stableJson(news.graph);
    return { replaces, groupsChanged, changed: replaces.length > 0 || groupsChanged || settingsChanged || graphChanged, hasUnknowns: containsUnknown(news) };
}

/** New groups must resolve (an unknown name fails the preview, naming it, before anything is written). */
export async function diffLookups(gw: Fido2Gateway, olds: Fido2SecurityKeyMethodState, news: Fido2SecurityKeyMethodInputs, plan: Fido2DiffPlan): Promise<void> {
    // in another tenant nothing recorded in state means anything: look everything up there
    if (plan.groupsChanged || plan.replaces.length) await resolve(gw, news, plan.replaces.length ? new Map() : knownGroups(olds));
}

/** The read-only lookups of a create, run in `check` (the only call a preview makes for a new resource). */
export async function createLookups(gw: Fido2Gateway, inputs: Fido2SecurityKeyMethodInputs): Promise<void> {
    await resolve(gw, inputs);
}
