// GraphConnection (docs/resources/): one Entra tenant over Microsoft Graph. Plain data, stored in Pulumi
// state as-is, so it holds secret *references* only.
import type { SecretRef } from "../core/secrets";

export type { SecretRef } from "../core/secrets";

export type GraphCredentialConfig =
    | { type: "default" }
    | { type: "azureCli" }
    | { type: "managedIdentity"; clientId?: string }
    | { type: "workloadIdentity"; clientId: string; tokenFilePath?: string }
    | { type: "githubOidc"; clientId: string }                  // ClientAssertionCredential over the Actions OIDC token
    | { type: "clientSecret"; clientId: string; clientSecret: SecretRef }
    | { type: "clientCertificate"; clientId: string; certificatePem: SecretRef }; // PEM with the private key and the certificate

export interface GraphConnection {
    tenantId: string;
    credential: GraphCredentialConfig;
    /** default https://graph.microsoft.com (sovereign clouds, local lab) */
    graphEndpoint?: string;
    /** default https://login.microsoftonline.com */
    authorityHost?: string;
    /** PEM, for a private endpoint such as the local lab; added to (not replacing) the public roots */
    caCertificate?: string;
}

export type GraphVersion = "v1.0" | "beta";
export type GraphMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Resolves a secret reference to its value inside the provider process (see core/secrets.ts). */
export type SecretResolver = (ref: SecretRef, input?: string) => string;
