// The Fido2SecurityKeyMethod dynamic provider, loaded by `require` inside Pulumi's dynamic-provider
// host (see core/dynamic.ts). Each method wires one Graph client to an operation of
// fido2/operations.ts, bounds it with a deadline, and lets out only scrubbed errors.
import type * as pulumi from "@pulumi/pulumi";
import { randomBytes } from "node:crypto";
import { KeyedLock } from "../core/keyed-lock";
import { ProviderError } from "../core/errors";
import type { SecretConfig } from "../core/secrets";
import { configView } from "../core/stack-config";
import type { GraphConnection } from "../graph/types";
import { fido2Gateway, type Fido2Gateway } from "../fido2/gateway";
import { inputsOf, type Fido2SecurityKeyMethodState } from "../fido2/model";
import { createFido2, createLookups, deleteFido2, diffLookups, planFido2Diff, readFido2, updateFido2 } from "../fido2/operations";
import { validateInputs } from "../fido2/validation";
import { checkWithLookups } from "./check-lookups";
import { sharedObjectOperation, type OperationName } from "./shared-object-operation";

const OPERATION_TIMEOUT_MS = 10 * 60_000;
const WHAT = "Fido2SecurityKeyMethod";

// Module state is fine here: the host loads this file once by require(). Two resources of one stack
// share one configuration: their writes take turns, so they never race each other's read-modify-write.
const writes = new KeyedLock();
let stackConfig: SecretConfig | undefined;

function withGateway<T>(op: OperationName, graph: GraphConnection | undefined, fn: (gw: Fido2Gateway) => Promise<T>): Promise<T> {
    return sharedObjectOperation({ op, graph, what: WHAT, timeoutMs: OPERATION_TIMEOUT_MS, config: stackConfig, writes, gateway: (gc) => fido2Gateway(gc, WHAT) }, fn);
}

// any: the engine's property bags (Pulumi's ResourceProvider signature); check validates them
function requireState(props: any, op: string): Fido2SecurityKeyMethodState {
    if (!props || !props.graph || !Array.isArray(props.ownedGroupIds)) {
        throw new ProviderError("StateInvalid", `the state of this ${WHAT} lacks ownedGroupIds or graph; it cannot be ${op}`);
    }
    return props as Fido2SecurityKeyMethodState;
}

export const fido2SecurityKeyMethodImpl = {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        stackConfig = configView(req.config);
    },

    async check(olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
        const creating = !olds || !Array.isArray(olds.ownedGroupIds);
        return checkWithLookups(news, validateInputs(news ?? {}), creating, () => withGateway("checked", news.graph, (gw) => createLookups(gw, inputsOf(news))));
    },

    async diff(_id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
        const plan = planFido2Diff(olds, news);
        if (!plan.changed) return { changes: false, replaces: [], deleteBeforeReplace: false };
        if (!plan.hasUnknowns) {
            const state = requireState(olds, "diffed");
            await withGateway("diffed", news.graph, (gw) => diffLookups(gw, state, inputsOf(news), plan));
        }
        return { changes: true, replaces: plan.replaces, deleteBeforeReplace: false };
    },

    async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
        const state = await withGateway("created", inputs.graph, (gw) => createFido2(gw, inputsOf(inputs)));
        // the configuration is one per tenant; the id names it (several resources may share it)
        return { id: `fido2/${randomBytes(4).toString("hex")}`, outs: state };
    },

    async read(id: string, props: any): Promise<pulumi.dynamic.ReadResult> {
        const state = requireState(props, "refreshed");
        const observed = await withGateway("refreshed", state.graph, (gw) => readFido2(gw, state));
        // pruned groups and drifted settings also go back as inputs, so the engine's diff names them
        return { id, props: observed, inputs: inputsOf(observed) };
    },

    async update(_id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
        const state = requireState(olds, "updated");
        return { outs: await withGateway("updated", news.graph, (gw) => updateFido2(gw, state, inputsOf(news))) };
    },

    async delete(_id: string, props: any): Promise<void> {
        const state = requireState(props, "deleted");
        await withGateway("deleted", state.graph, (gw) => deleteFido2(gw, state));
    },
};
