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
import { RenewableCredential, sharedCredentials } from "./credential-cache";
import { resolveEndpoints, type ResolvedEndpoints } from "./endpoints";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry";
import { strictConnect, trustList } from "./tls";
import { RenewRejectedToken } from "./renew-token";
import { FetchHandler } from "./transport";
import type { GraphConnection, SecretResolver } from "./types";

export interface GraphClientOptions {
    /** environment for credentials that read it (GitHub OIDC); default process.env */
    env?: NodeJS.ProcessEnv;
    /** retry/timeout overrides (tests use small delays) */
    retry?: Partial<RetryPolicy>;
    /** use this credential instead of building one from conn.credential */
    credential?: TokenCredential;
    /**
     * false: build a credential for this client alone instead of taking the process's shared one
     * (credential-cache.ts), e.g. a test that must see its own token request
     */
    shareCredential?: boolean;
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
    // one pool per client (closed with it); the TLS context with the trust list is shared (core/tls-context.ts)
    // always an Agent of our own, so verification cannot be switched off from the environment (tls.ts)
    const dispatcher = new Agent({ connect: strictConnect(ca) });
    const credentialContext = { endpoints, ca, resolveSecret, env: opts.env ?? process.env, dispatcher };
    const credential = opts.credential
        ?? (opts.shareCredential === false ? createCredential(conn, credentialContext) : sharedCredentials.credential(conn, credentialContext));
    const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [endpoints.scope] });
    const options: ClientOptions = {
        // the SDK chains the array in order; no RetryHandler (retry.ts is the one policy)
        // a shared credential may hold a token the authority stopped accepting: renew it and retry once (renew-token.ts)
        middleware: [
            ...(credential instanceof RenewableCredential ? [new RenewRejectedToken(credential)] : []),
            new AuthenticationHandler(authProvider), new TelemetryHandler(), new FetchHandler(),
        ],
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
