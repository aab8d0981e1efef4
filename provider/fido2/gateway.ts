// The Graph calls of Fido2SecurityKeyMethod, over the package's one Graph client and retry policy.
// Not paced: no per-tenant limit of this endpoint is known to this package (an assumption, listed in
// docs/lab.md, Limits); a 429 with Retry-After is waited out by the retry policy (graph/retry.ts).
import { graphRequest, graphSendOnce, type GraphClient } from "../graph";
import type { SendFailure } from "../graph/request";
import { directoryQuery } from "../conditional-access/graph-gateway";
import type { DirectoryQuery } from "../conditional-access/resolve";
import type { Fido2PatchBody } from "./merge";
import { CONFIG_PATH, type Fido2Config } from "./model";

/** The configuration operations the read-modify-write needs. */
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
        query: directoryQuery(gc, description),
    };
}
