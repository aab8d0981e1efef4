// The CloudTrustPolicy dynamic provider, loaded by `require` inside Pulumi's dynamic-provider host
// (core/dynamic.ts). Thin: validation, diff and the Graph work live in provider/intune.
import type * as pulumi from "@pulumi/pulumi";
import { withDeadline } from "../core/deadline";
import type { SecretConfig } from "../core/secrets";
import { configView } from "../core/stack-config";
import {
    checkCloudTrustPolicy, createCloudTrustPolicy, deleteCloudTrustPolicy, diffCloudTrustPolicy, readCloudTrustPolicy, updateCloudTrustPolicy,
} from "../intune/cloud-trust-policy";
import type { SessionOptions } from "../intune/graph-session";

/** Whole-operation bounds; each Graph call has its own timeout and retries inside these. */
const DEADLINE_MS = { create: 300_000, read: 120_000, update: 300_000, delete: 180_000 };

// Module state is fine here: this file is loaded by require() in the host, never serialized.
let stackConfig: SecretConfig | undefined;
const session = (): SessionOptions => ({ config: stackConfig });
const name = (p: any) => `CloudTrustPolicy "${String(p?.displayName)}"`;

export const cloudTrustPolicyProvider = {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        stackConfig = configView(req.config);
    },

    async check(_olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
        return checkCloudTrustPolicy(news ?? {});
    },

    async diff(_id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
        return { changes: diffCloudTrustPolicy(olds ?? {}, news).changes, replaces: [], deleteBeforeReplace: false };
    },

    async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
        return withDeadline(DEADLINE_MS.create, `${name(inputs)}: create`, () => createCloudTrustPolicy(inputs, session()));
    },

    async read(id: string, props: any): Promise<pulumi.dynamic.ReadResult> {
        return withDeadline(DEADLINE_MS.read, `${name(props)}: refresh`, () => readCloudTrustPolicy(id, props ?? {}, session()));
    },

    async update(id: string, _olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: await withDeadline(DEADLINE_MS.update, `${name(news)}: update`, () => updateCloudTrustPolicy(id, news, session())) };
    },

    async delete(id: string, props: any): Promise<void> {
        await withDeadline(DEADLINE_MS.delete, `${name(props)}: delete`, () => deleteCloudTrustPolicy(id, props ?? {}, session()));
    },
};
