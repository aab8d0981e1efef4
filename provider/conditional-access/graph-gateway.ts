// The Graph calls of ConditionalAccessExclusion, over the package's one Graph client and retry
// policy. Every conditionalAccess request (read, list page, write, and each retry) waits for the
// tenant's pacer slot: the service allows 1 request per second per tenant and answers 429 without
// Retry-After (docs/sources.md, Graph §4). Directory lookups (groups, users, service principals) are not
// under that limit and are not paced.
import { isProviderError } from "../core/errors";
import { graphListAll, graphRequest, graphSendOnce, type GraphClient } from "../graph";
import type { RequestPacer } from "../graph/pacer";
import type { CaPolicy, PatchBody } from "./merge";
import type { PolicyDirectory } from "./policy-lookup";
import type { PolicyApi } from "./reconcile";
import type { DirectoryQuery } from "./resolve";

export interface CaGateway extends PolicyApi, PolicyDirectory {
    query: DirectoryQuery;
}

const POLICIES = "/identity/conditionalAccess/policies";

export function graphGateway(gc: GraphClient, pacer: RequestPacer, description: string): CaGateway {
    const pace = () => pacer.wait();
    return {
        async get(id: string): Promise<CaPolicy | undefined> {
            try {
                return await graphRequest<CaPolicy>(gc, { method: "GET", version: "v1.0", path: `${POLICIES}/${id}`, pace, description: `${description}: read policy` });
            } catch (e) {
                if (isProviderError(e, "GRAPH_NOT_FOUND")) return undefined;
                throw e;
            }
        },
        async list(): Promise<CaPolicy[]> {
            return graphListAll<CaPolicy>(gc, { version: "v1.0", path: POLICIES, pace, description: `${description}: list policies` });
        },
        patchOnce(id: string, body: PatchBody, attempt: number) {
            // the body was merged from a read: one attempt, never re-sent (graph/retry.ts)
            return graphSendOnce(gc, { method: "PATCH", version: "v1.0", path: `${POLICIES}/${id}`, body, pace, description: `${description}: write exclusions` }, attempt);
        },
        query: directoryQuery(gc, description),
    };
}

/** Filtered directory queries (groups, users, service principals), all pages; not under the conditional-access limit, so not paced. */
export function directoryQuery(gc: GraphClient, description: string): DirectoryQuery {
    return (collection, filter, select) =>
        graphListAll(gc, { version: "v1.0", path: `/${collection}`, query: { $filter: filter, $select: select.join(",") }, description: `${description}: look up ${collection}` });
}
