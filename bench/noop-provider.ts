// The floor of the engine-level comparison: a dynamic provider that does nothing. Built like the
// package's own providers (core/dynamic.ts lazyProvider: the serialized provider holds a module path
// and requires this compiled file in the host), so both stacks pay the same serialization, gRPC and
// state costs, and the difference between them is our providers' work.
import type * as pulumi from "@pulumi/pulumi";

export const noopProvider = {
    async check(_olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
        return { inputs: news };
    },
    async diff(): Promise<pulumi.dynamic.DiffResult> {
        return { changes: false };
    },
    async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
        return { id: "noop", outs: inputs };
    },
    async read(id: string, props: any): Promise<pulumi.dynamic.ReadResult> {
        return { id, props };
    },
    async update(_id: string, _olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: news };
    },
    async delete(): Promise<void> {
        // nothing to remove
    },
};
