// The Graph calls of Fido2SecurityKeyMethod, over the package's one Graph client and retry policy.
// The authentication methods policy has no per-tenant limit of its own in Microsoft's throttling
// guidance (https://learn.microsoft.com/en-us/graph/throttling-limits), so requests are not paced;
// Graph's global limits answer 429 with Retry-After, which the retry policy honours.
import { graphRequest, graphSendOnce, type GraphClient } from "../graph";
import type { SendFailure } from "../graph/request";
import type { DirectoryQuery } from "../conditional-access/resolve";
import { graphListAll } from "../graph";
import type { Fido2PatchBody } from "./merge";
import { CONFIG_PATH, type Fido2Config } from "./model";

/** The configuration operations the read-modify-write needs (Graph in production, fakes in unit tests). */
export interface Fido2Api {
    get(): Promise<Fido2Config>;
    /** One attempt of the write, never repeated with the same body (graphSendOnce): undefined when it succeeded. */
    patchOnce(body: Fido2PatchBody, attempt: number): Promise<SendFailure | undefined>;
}

export interface Fido2Gateway extends Fido2Api {
    query: DirectoryQuery;
}

export function fido2Gateway(gc: GraphClient, description: string): Fido2Gateway {
    return {
        get: () => graphRequest<Fido2Config>(gc, { method: "GET", version: "v1.0", path: CONFIG_PATH, description: `${description}: read the FIDO2 method configuration` }),
        // the body was merged from a read: one attempt, never re-sent (graph/retry.ts)
        patchOnce: (body, attempt) => graphSendOnce(gc, { method: "PATCH", version: "v1.0", path: CONFIG_PATH, body, description: `${description}: write the FIDO2 method configuration` }, attempt),
        query: (collection, filter, select) =>
            graphListAll(gc, { version: "v1.0", path: `/${collection}`, query: { $filter: filter, $select: select.join(",") }, description: `${description}: look up ${collection}` }),
    };
}
