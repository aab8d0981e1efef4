// The product's one Graph client factory: a credential from GraphConnection.credential, and a
// @microsoft/microsoft-graph-client Client wired per azure-identity-local.md (baseUrl = graphEndpoint,
// customHosts = its hostname only, an undici Agent trusting the private CA, MSAL pointed at the
// authority with instance discovery off for non-Microsoft authorities). Every resource uses this.
import type { TokenCredential } from "@azure/identity";
import { AuthenticationHandler, Client, TelemetryHandler, type ClientOptions, type FetchOptions } from "@microsoft/microsoft-graph-client";
// v3 does not export this from the package root; the explicit /index.js works for CJS and nodenext
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import { Agent } from "undici";
import { createCredential } from "./credential";
import { resolveEndpoints, type ResolvedEndpoints } from "./endpoints";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry";
import { trustList } from "./tls";
import { FetchHandler } from "./transport";
import type { GraphConnection, SecretResolver } from "./types";

export interface GraphClientOptions {
    /** environment for credentials that read it (GitHub OIDC); default process.env */
    env?: NodeJS.ProcessEnv;
    /** retry/timeout overrides (tests use small delays) */
    retry?: Partial<RetryPolicy>;
    /** use this credential instead of building one from conn.credential */
    credential?: TokenCredential;
}

export interface GraphClient {
    readonly sdk: Client;
    readonly credential: TokenCredential;
    readonly tenantId: string;
    readonly endpoints: ResolvedEndpoints;
    readonly retry: RetryPolicy;
    /** the undici dispatcher carrying the private CA, when one is configured */
    readonly dispatcher?: Agent;
    /** closes pooled connections */
    close(): Promise<void>;
}

export function createGraphClient(conn: GraphConnection, resolveSecret: SecretResolver, opts: GraphClientOptions = {}): GraphClient {
    const endpoints = resolveEndpoints(conn);
    const ca = trustList(conn.caCertificate);
    const dispatcher = ca ? new Agent({ connect: { ca } }) : undefined;
    const credential = opts.credential ?? createCredential(conn, { endpoints, ca, resolveSecret, env: opts.env ?? process.env, dispatcher });
    const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [endpoints.scope] });
    const options: ClientOptions = {
        // the SDK chains the array in order; no RetryHandler (retry.ts is the one policy)
        middleware: [new AuthenticationHandler(authProvider), new TelemetryHandler(), new FetchHandler()],
        baseUrl: endpoints.graphEndpoint,
        customHosts: new Set([endpoints.graphHostname]), // hostname only: the SDK's matcher drops the port
        ...(dispatcher ? { fetchOptions: { dispatcher } as FetchOptions } : {}), // `dispatcher` is not in the FetchOptions type
    };
    const sdk = Client.initWithMiddleware(options);
    return {
        sdk, credential, tenantId: conn.tenantId, endpoints, dispatcher,
        retry: { ...DEFAULT_RETRY, ...(opts.retry ?? {}) },
        close: async () => { await dispatcher?.close(); },
    };
}
