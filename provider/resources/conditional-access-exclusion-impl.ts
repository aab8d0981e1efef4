// The ConditionalAccessExclusion dynamic provider, loaded by `require` inside Pulumi's
// dynamic-provider host (see core/dynamic.ts). Each method wires one Graph client and the tenant's
// conditional-access pacer to an operation of conditional-access/operations.ts, bounds it with a
// deadline, and lets out only scrubbed errors.
import type * as pulumi from "@pulumi/pulumi";
import { randomBytes } from "node:crypto";
import { KeyedLock } from "../core/keyed-lock";
import { ProviderError } from "../core/errors";
import type { SecretConfig } from "../core/secrets";
import { configView } from "../core/stack-config";
import { PacerRegistry } from "../graph/pacer";
import type { GraphConnection } from "../graph/types";
import { hasChanges, planDiff } from "../conditional-access/diff";
import { graphGateway, type CaGateway } from "../conditional-access/graph-gateway";
import type { ConditionalAccessExclusionState } from "../conditional-access/model";
import { createExclusion, createLookups, deleteExclusion, diffLookups, readExclusion, stateLabel, updateExclusion } from "../conditional-access/operations";
import { inputsOf } from "../conditional-access/state";
import { validateInputs } from "../conditional-access/validation";
import { checkWithLookups } from "./check-lookups";
import { sharedObjectOperation, type OperationName } from "./shared-object-operation";

/**
 * 1 request per second per tenant (docs/sources.md, Graph §4), plus a margin: the limit is enforced on
 * arrival, and two requests sent 1000 ms apart can arrive closer than that.
 */
export const CA_REQUEST_INTERVAL_MS = 1100;
/** Outer bound of one operation. Generous: pacing queues every resource of a stack behind one tenant's 1 request/second. */
const OPERATION_TIMEOUT_MS = 15 * 60_000;

// Module state is fine here: the host loads this file once by require() (it is not serialized),
// so every ConditionalAccessExclusion of one `pulumi up` shares the tenant's pacer, and their
// writes take turns: two resources of one stack never race each other's read-modify-write (which
// would cost extra rounds of the tenant's 1 request/second), only other processes can.
const pacers = new PacerRegistry(CA_REQUEST_INTERVAL_MS);
const writes = new KeyedLock();
let stackConfig: SecretConfig | undefined;

function withGateway<T>(op: OperationName, graph: GraphConnection | undefined, label: string, fn: (gw: CaGateway) => Promise<T>): Promise<T> {
    const what = `ConditionalAccessExclusion on ${label}`;
    return sharedObjectOperation({
        op, graph, what, timeoutMs: OPERATION_TIMEOUT_MS, config: stackConfig, writes,
        gateway: (gc, tenant) => graphGateway(gc, pacers.for(tenant), what),
    }, fn);
}

// any: the engine's property bags (Pulumi's ResourceProvider signature); check validates them
function requireState(props: any, op: string): ConditionalAccessExclusionState {
    if (!props || typeof props.policyId !== "string" || !props.graph) {
        throw new ProviderError("StateInvalid", `the state of this ConditionalAccessExclusion lacks policyId or graph; it cannot be ${op}`);
    }
    return props as ConditionalAccessExclusionState;
}

export const conditionalAccessExclusionImpl = {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        stackConfig = configView(req.config);
    },

    async check(olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
        const creating = !olds || typeof olds.policyId !== "string";
        return checkWithLookups(news, validateInputs(news ?? {}), creating, () => withGateway("checked", news.graph, `policy "${news.policy}"`, (gw) => createLookups(gw, inputsOf(news))));
    },

    async diff(_id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
        const plan = planDiff(olds, news);
        if (!hasChanges(plan)) return { changes: false, replaces: [], deleteBeforeReplace: false };
        // values known only after other resources are created: nothing to look up yet
        if (plan.hasUnknowns) return { changes: true, replaces: plan.policyChanged ? [...plan.replaces, "policy"] : plan.replaces, deleteBeforeReplace: false };
        const state = requireState(olds, "diffed");
        const extra = await withGateway("diffed", news.graph, stateLabel(state), (gw) => diffLookups(gw, state, inputsOf(news), plan));
        return { changes: true, replaces: [...plan.replaces, ...extra], deleteBeforeReplace: false };
    },

    async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
        const state = await withGateway("created", inputs.graph, `policy "${inputs.policy}"`, (gw) => createExclusion(gw, inputsOf(inputs)));
        // several resources may hold exclusions on one policy: the id names the policy and this resource
        return { id: `${state.policyId}/${randomBytes(4).toString("hex")}`, outs: state };
    },

    async read(id: string, props: any): Promise<pulumi.dynamic.ReadResult> {
        const state = requireState(props, "refreshed");
        const observed = await withGateway("refreshed", state.graph, stateLabel(state), (gw) => readExclusion(gw, state));
        // the pruned lists also go back as inputs, so the engine's diff shows the missing exclusions
        return { id, props: observed, inputs: inputsOf(observed) };
    },

    async update(_id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
        const state = requireState(olds, "updated");
        const outs = await withGateway("updated", news.graph, stateLabel(state), (gw) => updateExclusion(gw, state, inputsOf(news)));
        return { outs };
    },

    async delete(_id: string, props: any): Promise<void> {
        const state = requireState(props, "deleted");
        await withGateway("deleted", state.graph, stateLabel(state), (gw) => deleteExclusion(gw, state));
    },
};
