// Public types of the Graph emulator. Other lab parts (the Kerberos publisher mounted at
// /lab/kerberos, the lab CLI, e2e tests) code against these names; keep them stable.
import type { IncomingHttpHeaders } from "node:http";
import type { ConsistencySettings } from "./consistency";

/** An app registration the token endpoint knows, with its Graph application permissions. */
export interface EmulatorApp {
    clientId: string;
    displayName?: string;
    /** client_credentials with client_secret */
    clientSecret?: string;
    /** PEM certificate (public part) for client_assertion signed with its key */
    certificatePem?: string;
    /** federated identity credentials (GitHub OIDC, workload identity): JWKS inline or at a loopback URL */
    federated?: { issuer: string; subject: string; audience?: string; jwksUrl?: string; jwks?: any }[];
    /** Graph application permissions (app roles), e.g. "Policy.Read.All" */
    roles: string[];
}

/** What verifyAccessToken returns for a valid bearer token (v1-style app-only Graph token). */
export interface TokenClaims {
    tid: string;
    appid: string;
    azp?: string;
    oid: string;
    sub: string;
    roles: string[];
    aud: string;
    iss: string;
    idtyp?: string;
    iat?: number;
    exp?: number;
    [k: string]: unknown;
}

export interface EmulatorRequest {
    method: string;
    /** URL path as sent (still percent-encoded), without the query */
    path: string;
    /** for mounted handlers: the path below the mount prefix ("/" at the prefix itself) */
    subPath: string;
    url: URL;
    query: URLSearchParams;
    headers: IncomingHttpHeaders;
    /** parsed JSON or form body (object), else the text; undefined when empty */
    body: any;
    rawBody: Buffer;
    /** the request-id this response will carry (Graph's correlation id) */
    requestId: string;
    clientRequestId: string;
    remoteAddress: string;
    /** origin the client used (from the Host header), e.g. https://127.0.0.1:47443 */
    origin: string;
}

export interface EmulatorResponse {
    status: number;
    headers?: Record<string, string>;
    /** objects are sent as JSON; strings and Buffers as-is; undefined sends no body */
    body?: unknown;
}

export type EmulatorHandler = (req: EmulatorRequest) => Promise<EmulatorResponse | undefined>;

export interface RequestLogEntry {
    method: string;
    path: string;
    status: number;
    at: number;
    /** served by an `interleave` fault rule on behalf of a simulated concurrent client */
    injected?: true;
}

/** A request an `interleave` fault rule serves just before the matching one (Graph paths only). */
export interface InterleavedRequest {
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    /** Graph path, e.g. "/v1.0/identity/conditionalAccess/policies/{id}" */
    path: string;
    /** JSON body */
    body?: unknown;
}

/** One fault injection rule. Matching is by method (optional) and path glob (`*` = any characters). */
export interface FaultRule {
    id?: string;
    method?: string;
    /** pathname glob, e.g. "/v1.0/groups*" or "/beta/deviceManagement/configurationPolicies/*" */
    path: string;
    /** delay before handling (or before the injected failure) */
    latencyMs?: number;
    /** respond with this status and a Graph error body instead of handling */
    status?: number;
    /** with status 429/503: Retry-After header value in seconds; omit for no header */
    retryAfter?: number;
    /** destroy the connection with a TCP reset instead of answering */
    reset?: boolean;
    /** never answer (the client must time out) */
    hang?: boolean;
    /** apply to at most this many matching requests, then stop applying */
    times?: number;
    /** apply only to every Nth matching request (N, 2N, ...) */
    everyNth?: number;
    /**
     * Race injection: serve this request first, as a concurrent client would (with the bearer token
     * of the matching request, through the same routes, permissions and throttling), then serve the
     * matching request normally. With `times: 1` this is "another writer got in between". Not
     * combinable with status, reset or hang.
     */
    interleave?: InterleavedRequest;
    /**
     * With status, reset or hang: handle the request first, then fail instead of answering. The
     * change is made and the answer is lost (a reset or hang after a POST is the "did my create
     * happen?" case a client must survive without a duplicate).
     */
    after?: boolean;
}

export interface FaultRuleState extends FaultRule {
    id: string;
    matched: number;
    applied: number;
}

export interface ThrottleSettings {
    /** conditionalAccessPolicy: 1 request per second per tenant, 429 without Retry-After */
    conditionalAccess: { enabled: boolean; requests: number; windowMs: number };
    /** Intune device configuration v2 (configurationPolicies, settings, assignments, settingDefinitions) and
     *  the v1 deviceConfigurations bucket: writes and all requests per tenant and per app, per window */
    intune: {
        enabled: boolean;
        windowMs: number;
        tenantWrites: number;
        tenantAll: number;
        appWrites: number;
        appAll: number;
    };
}

export interface GraphEmulatorOptions {
    host?: string;
    /** 0 = ephemeral */
    port?: number;
    certPath: string;
    keyPath: string;
    tenantId?: string;
    /** persist tenant state as JSON on each write, load on start */
    stateFile?: string;
    apps?: EmulatorApp[];
    /** PEM bundle trusted when fetching a federated credential's jwksUrl (loopback only) */
    caPath?: string;
    /** partial override of the default throttling (see ThrottleSettings) */
    throttling?: DeepPartial<ThrottleSettings>;
    /** seed the lab directory (groups, users, policies...) when no state file exists; default true */
    seed?: boolean;
    /** eventual consistency of reads (consistency.ts); default off */
    consistency?: Partial<ConsistencySettings>;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
