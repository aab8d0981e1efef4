// One @azure/identity credential per identity per process, so its token cache serves every
// resource of a run: without it each operation built its own credential and fetched its own token
// (two per Kerberos server read: one for Graph, one for the lab publisher), one extra round trip
// to the authority each time.
//
// The key says WHO the credential is (authority, tenant, type, client id) plus a fingerprint of
// what PROVES it (the resolved client secret or certificate, the GitHub OIDC request token, the
// AZURE_* environment the default chains read, the trusted CAs): two resources share a credential
// only when they would have built the same one. The fingerprint is a per-process HMAC
// (core/shared-cache.ts), so no key holds a secret, and a secret rotated in the environment gives
// a new credential. Entries live 30 minutes; tokens are refreshed by MSAL as before.
import type { TokenCredential } from "@azure/identity";
import { Agent } from "undici";
import { fingerprint, SharedCache, type SharedCacheOptions } from "../core/shared-cache";
import { createCredential, type CredentialContext } from "./credential";
import { strictConnect } from "./tls";
import type { GraphConnection } from "./types";

/** Fingerprints of trust lists (trustList returns one array per distinct CA text), ~140 PEMs each. */
const caPrints = new WeakMap<string[], string>();
function caPrint(ca: string[] | undefined): string {
    if (!ca) return "";
    let p = caPrints.get(ca);
    if (p === undefined) caPrints.set(ca, (p = fingerprint(ca.join("\n"))));
    return p;
}

/**
 * getToken calls that arrive while one is in flight for the same scopes share it. @azure/identity
 * does not: the first reads of a run, started together, would each fetch a token before any is cached.
 */
export function singleFlight(credential: TokenCredential): TokenCredential {
    const inFlight = new Map<string, ReturnType<TokenCredential["getToken"]>>();
    return {
        getToken(scopes, options) {
            // options carry per-call things (abort signal, tenant, claims): only plain calls are shared
            if (options && Object.values(options).some((v) => v !== undefined)) return credential.getToken(scopes, options);
            const key = ([] as string[]).concat(scopes).join(" ");
            let p = inFlight.get(key);
            if (!p) {
                p = credential.getToken(scopes, options);
                inFlight.set(key, p);
                const done = () => { if (inFlight.get(key) === p) inFlight.delete(key); };
                p.then(done, done);
            }
            return p;
        },
    };
}

/** What the credential classes read from the environment on their own (DefaultAzureCredential's chain and friends). */
const IDENTITY_ENV = /^(AZURE_|IDENTITY_|MSI_|IMDS_|ACTIONS_ID_TOKEN_REQUEST_)/;

/** The cache key of a connection's credential; resolves (and so records for scrubbing) its secret, never contains it. */
export function credentialKey(conn: GraphConnection, ctx: Pick<CredentialContext, "endpoints" | "ca" | "resolveSecret" | "env">): string {
    const c = conn.credential;
    let proof: string | undefined;
    switch (c?.type) {
        case "clientSecret": proof = ctx.resolveSecret(c.clientSecret, "graph.credential.clientSecret"); break;
        case "clientCertificate": proof = ctx.resolveSecret(c.certificatePem, "graph.credential.certificatePem"); break;
        default: proof = undefined;
    }
    // secret and certificate credentials read nothing from the environment; the others may
    const env = c?.type === "clientSecret" || c?.type === "clientCertificate" ? "" : Object.entries({ ...process.env, ...ctx.env })
        .filter(([k, v]) => IDENTITY_ENV.test(k) && v !== undefined).sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`).join("\n");
    const clientId = c && "clientId" in c ? String(c.clientId ?? "") : "";
    const tokenFile = c?.type === "workloadIdentity" ? c.tokenFilePath ?? "" : "";
    return [
        ctx.endpoints.authorityHost, String(conn.tenantId).toLowerCase(), c?.type ?? "?", clientId.toLowerCase(), tokenFile,
        fingerprint(proof, env, caPrint(ctx.ca)),
    ].join("|");
}

/**
 * A shared credential that can start over. A token cached for the whole process is also rejected
 * for the whole process when the authority stops accepting it before it expires (a revoked token;
 * in the lab, an emulator restarted with new signing keys). Whoever sees such a 401 calls renew():
 * later getToken calls go to a fresh credential, which fetches a fresh token.
 */
export class RenewableCredential implements TokenCredential {
    private current: TokenCredential;

    constructor(private readonly make: () => TokenCredential) {
        this.current = singleFlight(make());
    }

    getToken(...args: Parameters<TokenCredential["getToken"]>): ReturnType<TokenCredential["getToken"]> {
        return this.current.getToken(...args);
    }

    renew(): void {
        this.current = singleFlight(this.make());
    }
}

export class CredentialRegistry {
    private readonly cache: SharedCache<RenewableCredential>;

    constructor(options: Partial<SharedCacheOptions> = {}) {
        this.cache = new SharedCache<RenewableCredential>({ ttlMs: 30 * 60_000, maxEntries: 64, ...options });
    }

    /**
     * The process's credential for this connection. It must outlive any one Graph client, so it
     * gets its own dispatcher (for the GitHub OIDC token request behind a private CA), never the
     * client's, which is closed with the client.
     */
    credential(conn: GraphConnection, ctx: CredentialContext): RenewableCredential {
        return this.cache.get(credentialKey(conn, ctx), () => new RenewableCredential(() => createCredential(conn, {
            ...ctx,
            dispatcher: new Agent({ connect: strictConnect(ctx.ca) }),
        })));
    }

    /** For tests. */
    clear(): void {
        this.cache.clear();
    }

    get size(): number {
        return this.cache.size;
    }
}

/** The registry of this process: every Graph client and the lab publisher take credentials from here. */
export const sharedCredentials = new CredentialRegistry();
