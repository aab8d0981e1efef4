// The shape both Intune dynamic providers share, loaded by `require` inside Pulumi's dynamic-provider
// host (core/dynamic.ts): the stack config from `configure` for { config } SecretRefs, and a
// whole-operation deadline around each call. What each resource does lives in provider/intune.
import type * as pulumi from "@pulumi/pulumi";
import { withDeadline } from "../core/deadline";
import type { SecretConfig } from "../core/secrets";
import { configView } from "../core/stack-config";
import type { SessionOptions } from "../intune/graph-session";

/** Whole-operation bounds; each Graph call has its own timeout and retries inside these. */
const DEADLINE_MS = { create: 300_000, read: 120_000, update: 300_000, delete: 180_000 };

export interface IntuneOperations {
    // any: the engine's property bags (Pulumi's ResourceProvider signature); check() validates them before use
    check(news: any): pulumi.dynamic.CheckResult;
    diff(olds: any, news: any): { changes: boolean };
    create(inputs: any, s: SessionOptions): Promise<pulumi.dynamic.CreateResult>;
    read(id: string, props: any, s: SessionOptions): Promise<pulumi.dynamic.ReadResult>;
    update(id: string, olds: any, news: any, s: SessionOptions): Promise<any>;
    delete(id: string, props: any, s: SessionOptions): Promise<void>;
}

export function intuneProvider(kind: string, ops: IntuneOperations) {
    // per provider object; the module holding it is loaded by require() in the host, never serialized
    let stackConfig: SecretConfig | undefined;
    const session = (): SessionOptions => ({ config: stackConfig });
    const name = (p: any) => `${kind} "${String(p?.displayName)}"`;
    return {
        async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
            stackConfig = configView(req.config);
        },
        async check(_olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
            return ops.check(news ?? {});
        },
        async diff(_id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
            return { changes: ops.diff(olds ?? {}, news).changes, replaces: [], deleteBeforeReplace: false };
        },
        async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
            return withDeadline(DEADLINE_MS.create, `${name(inputs)}: create`, () => ops.create(inputs, session()));
        },
        async read(id: string, props: any): Promise<pulumi.dynamic.ReadResult> {
            return withDeadline(DEADLINE_MS.read, `${name(props)}: refresh`, () => ops.read(id, props ?? {}, session()));
        },
        async update(id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
            return { outs: await withDeadline(DEADLINE_MS.update, `${name(news)}: update`, () => ops.update(id, olds ?? {}, news, session())) };
        },
        async delete(id: string, props: any): Promise<void> {
            await withDeadline(DEADLINE_MS.delete, `${name(props)}: delete`, () => ops.delete(id, props ?? {}, session()));
        },
    };
}
