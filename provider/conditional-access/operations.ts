// The resource's lifecycle over a CaGateway: create, read (refresh), update, delete, and the
// lookups diff needs. Order matters for safety: every name is resolved BEFORE the policy is read,
// so a failed lookup ends the operation before any write, and nothing but request pacing sits
// between the read and the write.
import { ProviderError } from "../core/errors";
import type { DiffPlan } from "./diff";
import type { CaGateway } from "./graph-gateway";
import { emptyIds, ownedOf, type ConditionalAccessExclusionInputs, type ConditionalAccessExclusionState } from "./model";
import { findPolicy, policyLabel } from "./policy-lookup";
import { PolicyReads, policyGone, reconcileExclusions } from "./reconcile";
import { noKnownIds, resolveExclusions } from "./resolve";
import { buildState, knownIds, observedState } from "./state";

export interface OperationOptions {
    /** writes per operation before giving up on a policy that keeps changing */
    maxRounds?: number;
}

export async function createExclusion(gw: CaGateway, inputs: ConditionalAccessExclusionInputs, opts: OperationOptions = {}): Promise<ConditionalAccessExclusionState> {
    const resolved = await resolveExclusions(gw.query, inputs);
    const policy = await findPolicy(gw, inputs.policy);
    const r = await reconcileExclusions(gw, {
        policyId: policy.id, policyLabel: policyLabel(policy), want: resolved, previouslyOwned: emptyIds(),
        firstRead: policy, ifMissing: "error", maxRounds: opts.maxRounds,
    });
    return buildState(inputs, r.policy ?? policy, resolved, r.owned);
}

export async function updateExclusion(gw: CaGateway, olds: ConditionalAccessExclusionState, news: ConditionalAccessExclusionInputs, opts: OperationOptions = {}): Promise<ConditionalAccessExclusionState> {
    const resolved = await resolveExclusions(gw.query, news, knownIds(olds));
    // a `policy` that names another policy is a replacement (diff); here it can only be a new spelling of the same one
    const policy = news.policy === olds.policy ? undefined : await findPolicy(gw, news.policy);
    if (policy && policy.id.toLowerCase() !== olds.policyId.toLowerCase()) {
        throw new ProviderError("CA_POLICY_CHANGED", `policy now names ${policyLabel(policy)}, not ${stateLabel(olds)}; this needs a replacement, which diff should have planned`, { input: "policy" });
    }
    const r = await reconcileExclusions(gw, {
        policyId: olds.policyId, policyLabel: stateLabel(olds), want: resolved, previouslyOwned: ownedOf(olds),
        firstRead: policy, ifMissing: "error", maxRounds: opts.maxRounds,
    });
    return buildState(news, r.policy ?? { id: olds.policyId, displayName: olds.policyDisplayName }, resolved, r.owned);
}

/** Refresh: the state as the policy is now. A deleted policy is an error naming it, never a silent re-create. */
export async function readExclusion(gw: CaGateway, state: ConditionalAccessExclusionState): Promise<ConditionalAccessExclusionState> {
    // settled: a lagging replica must not make a refresh report our entries missing (or the policy gone)
    const policy = await new PolicyReads(gw, state.policyId, stateLabel(state)).settled();
    if (!policy) throw policyGone(stateLabel(state));
    return observedState(state, policy);
}

/** Removes exactly the entries this resource added; a policy that is gone has nothing left to remove. */
export async function deleteExclusion(gw: CaGateway, state: ConditionalAccessExclusionState, opts: OperationOptions = {}): Promise<void> {
    await reconcileExclusions(gw, {
        policyId: state.policyId, policyLabel: stateLabel(state), want: emptyIds(), previouslyOwned: ownedOf(state),
        ifMissing: "done", maxRounds: opts.maxRounds,
    });
}

/**
 * The lookups behind a diff: new entries must resolve (an unknown name fails the preview, naming
 * it, before anything is written), and a changed `policy` is a replacement unless it is another
 * spelling of the same policy. Returns the replacing input names.
 */
export async function diffLookups(gw: CaGateway, olds: ConditionalAccessExclusionState, news: ConditionalAccessExclusionInputs, plan: DiffPlan): Promise<string[]> {
    // in another tenant nothing recorded in state means anything: look everything up there
    const sameTenant = !plan.replaces.includes("graph");
    if (plan.changedKinds.length || !sameTenant) await resolveExclusions(gw.query, news, sameTenant ? knownIds(olds) : noKnownIds());
    if (!plan.policyChanged && sameTenant) return [];
    const policy = await findPolicy(gw, news.policy);
    if (!sameTenant) return [];
    return policy.id.toLowerCase() === String(olds.policyId).toLowerCase() ? [] : ["policy"];
}

/**
 * The read-only lookups of a create, run in `check` so that `pulumi preview` of a NEW resource already
 * fails on an unknown or ambiguous group, user, application or policy (the engine calls only `check`
 * for a resource it will create). Only GETs: nothing is written.
 */
export async function createLookups(gw: CaGateway, inputs: ConditionalAccessExclusionInputs): Promise<void> {
    await resolveExclusions(gw.query, inputs);
    await findPolicy(gw, inputs.policy);
}

export function stateLabel(s: Pick<ConditionalAccessExclusionState, "policyId" | "policyDisplayName">): string {
    return policyLabel({ id: s.policyId, displayName: s.policyDisplayName });
}
