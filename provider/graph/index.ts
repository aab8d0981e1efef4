// The Graph port: one client factory, one request helper with the one retry policy, paging.
export { createGraphClient, type GraphClient, type GraphClientOptions } from "./client";
export { graphRequest, graphRequestRaw, graphRequestUrl, graphSendOnce, type GraphRequestSpec, type GraphResult, type SendFailure } from "./request";
export { graphListAll, graphPages, type ListSpec } from "./paging";
export { DEFAULT_RETRY, type RetryPolicy } from "./retry";
export { resolveEndpoints } from "./endpoints";
export type { GraphConnection, GraphCredentialConfig, GraphMethod, GraphVersion, SecretRef, SecretResolver } from "./types";
export { PacerRegistry, RequestPacer } from "./pacer";
