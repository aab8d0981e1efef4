// GraphConnection.credential -> one @azure/identity credential class, 1:1 (docs/resources/). Every class that
// talks to an authority gets the same authorityHost / disableInstanceDiscovery / tlsOptions trio
// (azure-identity-local.md); secrets are resolved from their references here and nowhere else.
import { isGuid } from "../core/grammar";
import {
    AzureCliCredential, ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential,
    DefaultAzureCredential, ManagedIdentityCredential, WorkloadIdentityCredential, type TokenCredential,
} from "@azure/identity";
import type { Dispatcher } from "undici";
import { ProviderError } from "../core/errors";
import { describeSecretRef } from "../core/secrets";
import type { ResolvedEndpoints } from "./endpoints";
import { fetchGitHubOidcToken, githubOidcSource } from "./github-oidc";
import type { GraphConnection, SecretResolver } from "./types";

export interface AuthorityOptions {
    authorityHost: string;
    disableInstanceDiscovery?: true;
    /**
     * Spread by @azure/identity's HTTP client into its https.Agent: `rejectUnauthorized` is set
     * explicitly, since Node's default follows NODE_TLS_REJECT_UNAUTHORIZED (see tls.ts).
     */
    tlsOptions: { ca?: string[]; rejectUnauthorized: true };
}

/** The options shared by the credentials that talk to an Entra authority. */
export function authorityOptions(ep: ResolvedEndpoints, ca: string[] | undefined): AuthorityOptions {
    return {
        authorityHost: ep.authorityHost,
        ...(ep.disableInstanceDiscovery ? { disableInstanceDiscovery: true as const } : {}),
        tlsOptions: { rejectUnauthorized: true, ...(ca ? { ca } : {}) },
    };
}

export interface CredentialContext {
    endpoints: ResolvedEndpoints;
    ca?: string[];
    resolveSecret: SecretResolver;
    env: NodeJS.ProcessEnv;
    /** used for the GitHub OIDC token request, so a private CA applies there too */
    dispatcher?: Dispatcher;
}

function requireClientId(id: unknown): string {
    if (!isGuid(id)) {
        throw new ProviderError("GRAPH_CONFIG", `graph.credential.clientId must be the app's client id (a GUID), got "${String(id)}"`, { input: "graph.credential.clientId" });
    }
    return id;
}

export function createCredential(conn: GraphConnection, ctx: CredentialContext): TokenCredential {
    const tenantId = conn.tenantId;
    if (typeof tenantId !== "string" || tenantId.trim() === "") {
        throw new ProviderError("GRAPH_CONFIG", "graph.tenantId is required (the tenant GUID or its initial domain)", { input: "graph.tenantId" });
    }
    const common = authorityOptions(ctx.endpoints, ctx.ca);
    const c = conn.credential;
    switch (c?.type) {
        case "default":
            return new DefaultAzureCredential({ tenantId, ...common });
        case "azureCli":
            return new AzureCliCredential({ tenantId });
        case "managedIdentity":
            // IMDS / App Service endpoints, no authority involved
            return c.clientId === undefined ? new ManagedIdentityCredential() : new ManagedIdentityCredential({ clientId: c.clientId });
        case "workloadIdentity":
            return new WorkloadIdentityCredential({ tenantId, clientId: requireClientId(c.clientId), tokenFilePath: c.tokenFilePath, ...common });
        case "githubOidc": {
            const src = githubOidcSource(ctx.env);
            return new ClientAssertionCredential(tenantId, requireClientId(c.clientId), () => fetchGitHubOidcToken(src, ctx.dispatcher), common);
        }
        case "clientSecret": {
            const secret = ctx.resolveSecret(c.clientSecret, "graph.credential.clientSecret");
            return new ClientSecretCredential(tenantId, requireClientId(c.clientId), secret, common);
        }
        case "clientCertificate": {
            const pem = ctx.resolveSecret(c.certificatePem, "graph.credential.certificatePem");
            if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem) || !/-----BEGIN CERTIFICATE-----/.test(pem)) {
                throw new ProviderError("GRAPH_CONFIG",
                    `graph.credential.certificatePem (${describeSecretRef(c.certificatePem)}) must hold a PEM private key and its certificate`,
                    { input: "graph.credential.certificatePem" });
            }
            return new ClientCertificateCredential(tenantId, requireClientId(c.clientId), { certificate: pem }, common);
        }
        default:
            throw new ProviderError("GRAPH_CONFIG",
                `graph.credential.type must be one of default, azureCli, managedIdentity, workloadIdentity, githubOidc, clientSecret, clientCertificate; got "${String((c as { type?: unknown } | undefined)?.type)}"`,
                { input: "graph.credential.type" });
    }
}
