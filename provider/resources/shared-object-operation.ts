// The one way a resource that edits a shared tenant object (a Conditional Access policy, the FIDO2
// method configuration) runs a provider operation: the Graph connection must be there (inputs or
// state), the whole operation is bounded by a deadline, one Graph client is made for it (secrets
// scrubbed from its errors), and writes to one tenant take turns within this process, so two
// resources of one stack never race each other's read-modify-write (only other processes can).
import { withDeadline } from "../core/deadline";
import { KeyedLock } from "../core/keyed-lock";
import { ProviderError } from "../core/errors";
import type { SecretConfig } from "../core/secrets";
import type { GraphClient } from "../graph";
import type { GraphConnection } from "../graph/types";
// the package's one "Graph client per provider operation, secrets scrubbed from errors" helper
import { withGraph } from "../intune/graph-session";

export type OperationName = "checked" | "diffed" | "created" | "refreshed" | "updated" | "deleted";
const WRITES: readonly OperationName[] = ["created", "updated", "deleted"];

export interface SharedObjectOperation<G> {
    op: OperationName;
    graph: GraphConnection | undefined;
    /** how messages name the resource, e.g. `ConditionalAccessExclusion on policy "Require MFA"` */
    what: string;
    timeoutMs: number;
    config: SecretConfig | undefined;
    /** the resource kind's lock (module state of its provider file) */
    writes: KeyedLock;
    /** the resource's gateway over this operation's client; `tenant` keys per-tenant state such as a pacer */
    gateway: (gc: GraphClient, tenant: string) => G;
}

export function sharedObjectOperation<G, T>(o: SharedObjectOperation<G>, fn: (gw: G) => Promise<T>): Promise<T> {
    const graph = o.graph;
    if (!graph || typeof graph !== "object") throw new ProviderError("StateInvalid", `${o.what}: no graph connection in the inputs or state; it cannot be ${o.op}`, { input: "graph" });
    return withDeadline(o.timeoutMs, `${o.what}: ${o.op}`, () => withGraph(graph, { config: o.config }, (gc) => {
        const tenant = `${gc.endpoints.graphEndpoint}|${String(graph.tenantId).toLowerCase()}`;
        const gw = o.gateway(gc, tenant);
        return WRITES.includes(o.op) ? o.writes.run(tenant, () => fn(gw)) : fn(gw);
    }));
}
