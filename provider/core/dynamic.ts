// The one way this package builds a Pulumi dynamic provider.
//
// Pulumi serializes the provider object into every resource's state (`__provider`) and the
// dynamic-provider host re-creates it from that text for each operation. So the object we hand
// to Pulumi holds nothing but a module path and an export name: each method `require`s the
// compiled implementation at call time, inside the host process. The serialized text stays a few
// hundred bytes, captures no sockets, clients or secrets, and picks up fixes on `npm update`
// without a state migration.
import type * as pulumi from "@pulumi/pulumi";

/** Pulumi type tokens: pulumi-nodejs:dynamic/entra-kerberos:<ClassName> (docs/resources/). */
export const DYNAMIC_MODULE = "entra-kerberos";

/**
 * A provider whose methods load `require(modulePath)[exportName]` on every call.
 * `modulePath` must resolve from the directory `pulumi` runs in, so it is a package path
 * such as "pulumi-entra-kerberos/bin/provider/resources/kerberos-server-impl".
 */
export function lazyProvider(modulePath: string, exportName: string): pulumi.dynamic.ResourceProvider {
    // Plain functions (not arrows) and only string captures: the closure serializer turns these
    // into a tiny module with two string constants.
    return {
        // The host calls this once per provider text with the stack config; an implementation that
        // resolves { config: "key" } SecretRefs keeps it (in its own module, which is not serialized).
        async configure(req: pulumi.dynamic.ConfigureRequest) {
            const impl = require(modulePath)[exportName];
            if (typeof impl.configure === "function") await impl.configure(req);
        },
        // any: Pulumi's dynamic.ResourceProvider types every property bag as any; the implementation checks them
        async check(olds: any, news: any) {
            return require(modulePath)[exportName].check(olds, news);
        },
        async diff(id: string, olds: any, news: any) {
            return require(modulePath)[exportName].diff(id, olds, news);
        },
        async create(inputs: any) {
            return require(modulePath)[exportName].create(inputs);
        },
        async read(id: string, props: any) {
            return require(modulePath)[exportName].read(id, props);
        },
        async update(id: string, olds: any, news: any) {
            return require(modulePath)[exportName].update(id, olds, news);
        },
        async delete(id: string, props: any) {
            return require(modulePath)[exportName].delete(id, props);
        },
    };
}

/** Package path of a compiled module of this package, for lazyProvider. */
export function packageModule(relativeToPackageRoot: string): string {
    return `pulumi-entra-kerberos/${relativeToPackageRoot}`;
}
