// The AzureADKerberosServer dynamic provider, loaded by `require` inside Pulumi's dynamic-provider
// host (see core/dynamic.ts): check/diff/create/read/update/delete over the reconciler. Each
// operation has its own deadline, resolves its secrets itself and lets out only scrubbed errors.
import type * as pulumi from "@pulumi/pulumi";
import { withDeadline } from "../core/deadline";
import { ProviderError } from "../core/errors";
import type { SecretConfig } from "../core/secrets";
import { configView } from "../core/stack-config";
import { newContext, scrubError, type OperationContext } from "../kerberos/context";
import { planDiff } from "../kerberos/diff";
import {
    DEFAULT_TIMEOUTS_SECONDS, DRIFT_INPUT, REPLACES_DOMAIN_INPUT, inputsOf, normalizeDomain, type AzureADKerberosServerInputs, type OperationTimeouts,
} from "../kerberos/model";
import { converge, readServer, removeServer } from "../kerberos/reconciler";
import { inputWarnings, UNKNOWN, validateInputs } from "../kerberos/validation";

/** Per I/O call (publisher request, Graph request) at most this long, and never longer than the operation. */
const CALL_TIMEOUT_MS = 120_000;

// The stack config from `configure`, for { config: "key" } SecretRefs. Module state is fine here:
// this file is loaded by require() in the host (one module instance), not serialized.
let stackConfig: SecretConfig | undefined;

async function run<T>(op: keyof OperationTimeouts, inputs: Partial<AzureADKerberosServerInputs>, fn: (ctx: OperationContext) => Promise<T>): Promise<T> {
    const seconds = inputs.timeouts?.[op] ?? DEFAULT_TIMEOUTS_SECONDS[op];
    const ctx = newContext({ config: stackConfig, callTimeoutMs: Math.min(CALL_TIMEOUT_MS, seconds * 1000) });
    const domain = typeof inputs.domain === "string" ? normalizeDomain(inputs.domain) : "(no domain)";
    try {
        if (typeof inputs.domain !== "string" || !inputs.directory || !inputs.publisher) {
            throw new ProviderError("StateInvalid", `the state of this AzureADKerberosServer lacks its inputs (domain, directory, publisher); it cannot be ${op === "read" ? "refreshed" : op + "d"}`);
        }
        return await withDeadline(seconds * 1000, `AzureADKerberosServer ${domain}: ${op}`, () => fn(ctx), `timeouts.${op}`);
    } catch (e) {
        throw scrubError(e, ctx);
    }
}

function state(inputs: AzureADKerberosServerInputs, outputs: object): Record<string, unknown> {
    return { ...inputsOf(inputs), ...outputs };
}

/** The checked inputs, with the previous domain named when this change replaces the server (see model.ts). */
function markReplacement(olds: Record<string, unknown>, news: Record<string, unknown>): Record<string, unknown> {
    const before = olds.domain, after = news.domain;
    const replaces = typeof before === "string" && typeof after === "string" && after !== UNKNOWN && normalizeDomain(before) !== normalizeDomain(after);
    return replaces ? { ...news, [REPLACES_DOMAIN_INPUT]: normalizeDomain(before) } : news;
}

export const azureADKerberosServerProvider = {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        stackConfig = configView(req.config);
    },

    // any: the engine's property bags (Pulumi's ResourceProvider signature); check validates them
    async check(olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
        // a check result has no warnings; the engine shows what a provider writes to stderr
        for (const w of inputWarnings(news ?? {})) process.stderr.write(`warning: AzureADKerberosServer ${typeof news?.domain === "string" ? news.domain : ""}: ${w}\n`);
        return { inputs: markReplacement(olds ?? {}, news ?? {}), failures: validateInputs(news ?? {}) };
    },

    async diff(_id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
        const plan = planDiff(olds, news, new Date());
        return { changes: plan.changes, replaces: plan.replaces, deleteBeforeReplace: false };
    },

    async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
        return run("create", inputs, async (ctx) => {
            const r = await converge(inputs, { existing: false }, ctx);
            return { id: normalizeDomain(inputs.domain), outs: state(inputs, r.outputs) };
        });
    },

    async read(id: string, props: any): Promise<pulumi.dynamic.ReadResult> {
        return run("read", props ?? {}, async (ctx) => {
            const inputs = inputsOf(props);
            const outputs = await readServer(inputs, {
                lastRotatedOn: props.lastRotatedOn ?? null,
                cloudId: props.cloudId, cloudDomainDnsName: props.cloudDomainDnsName, cloudKeyVersion: props.cloudKeyVersion, cloudKeyUpdatedOn: props.cloudKeyUpdatedOn,
            }, ctx);
            // The observed reasons also go back as the (hidden) input of the same name, whose desired
            // value the Resource class sets to []: the engine's input diff then prints the reasons.
            return { id, props: state(inputs, outputs), inputs: { ...inputs, [DRIFT_INPUT]: outputs.driftReasons } };
        });
    },

    async update(_id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
        return run("update", news, async (ctx) => {
            const r = await converge(news, {
                existing: true, previousTrigger: olds.keyRotation?.trigger, lastRotatedOn: olds.lastRotatedOn ?? null, previousOwner: olds.listOwner,
                cloud: { cloudId: olds.cloudId, cloudDomainDnsName: olds.cloudDomainDnsName, cloudKeyVersion: olds.cloudKeyVersion, cloudKeyUpdatedOn: olds.cloudKeyUpdatedOn },
            }, ctx);
            return { outs: state(news, r.outputs) };
        });
    },

    async delete(_id: string, props: any): Promise<void> {
        await run("delete", props ?? {}, (ctx) => removeServer(inputsOf(props), ctx));
    },
};
