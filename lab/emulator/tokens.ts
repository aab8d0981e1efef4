// The emulator's signing key, access-token issuance and the bearer check every Graph route uses.
// Tokens look like real app-only Graph tokens (v1 issuer sts.windows.net, `roles`, `idtyp: app`).
import { generateKeyPairSync, createHash, type KeyObject } from "node:crypto";
import { b64url, signJwt, verifyJwt } from "./jwt";
import { newGuid } from "./ids";
import type { TokenClaims } from "./types";

export const GRAPH_RESOURCE = "https://graph.microsoft.com";
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
export const TOKEN_LIFETIME_SEC = 3599; // > 300 s so MSAL serves it from cache (azure-identity-local.md)

export class TokenService {
    private readonly privateKey: KeyObject;
    private readonly publicKey: KeyObject;
    readonly kid: string;

    constructor(readonly tenantId: string) {
        // Generated per start: a restart invalidates outstanding tokens, like a key rollover would.
        const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        const der = publicKey.export({ type: "spki", format: "der" });
        this.kid = b64url(createHash("sha256").update(der).digest()).slice(0, 27);
    }

    get issuer(): string {
        return `https://sts.windows.net/${this.tenantId}/`;
    }

    jwks(): { keys: any[] } {
        const jwk = this.publicKey.export({ format: "jwk" }) as Record<string, unknown>;
        return { keys: [{ ...jwk, kty: "RSA", use: "sig", alg: "RS256", kid: this.kid }] };
    }

    issue(opts: { appId: string; appDisplayName?: string; servicePrincipalId: string; roles: string[]; audience: string }): string {
        const now = Math.floor(Date.now() / 1000);
        const payload: Record<string, unknown> = {
            aud: opts.audience,
            iss: this.issuer,
            iat: now,
            nbf: now - 5,
            exp: now + TOKEN_LIFETIME_SEC,
            app_displayname: opts.appDisplayName,
            appid: opts.appId,
            appidacr: "1",
            azp: opts.appId,
            idp: this.issuer,
            idtyp: "app",
            oid: opts.servicePrincipalId,
            roles: opts.roles,
            sub: opts.servicePrincipalId,
            tid: this.tenantId,
            uti: b64url(Buffer.from(newGuid().replace(/-/g, ""), "hex")),
            ver: "1.0",
        };
        return signJwt({ typ: "JWT", alg: "RS256", kid: this.kid }, payload, this.privateKey);
    }

    /** Validates "Bearer <jwt>" for the given audiences; undefined when missing or invalid. */
    verify(authorization: string | undefined, audiences: string[] = [GRAPH_RESOURCE, GRAPH_APP_ID]): TokenClaims | undefined {
        const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
        if (!m) return undefined;
        const r = verifyJwt(m[1], [this.publicKey], { issuer: this.issuer, audience: audiences, clockToleranceSec: 60 });
        if (!r.ok) return undefined;
        const p = r.jwt.payload;
        if (p.tid !== this.tenantId || typeof p.appid !== "string") return undefined;
        return { ...p, roles: Array.isArray(p.roles) ? p.roles : [] } as TokenClaims;
    }

    /** Why a bearer header was refused, in Graph's wording (for the 401 message). */
    explain(authorization: string | undefined, audiences: string[] = [GRAPH_RESOURCE, GRAPH_APP_ID]): string {
        const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
        if (!m) return "Access token is empty.";
        const r = verifyJwt(m[1], [this.publicKey], { issuer: this.issuer, audience: audiences, clockToleranceSec: 60 });
        if (r.ok) return "Access token validation failure.";
        switch (r.reason) {
            case "expired": return "Lifetime validation failed, the token is expired.";
            case "audience": return "Access token validation failure. Invalid audience.";
            case "issuer": return "Access token validation failure. Invalid issuer.";
            case "malformed": return "IDX14100: JWT is not well formed.";
            default: return "Access token validation failure. Invalid signature.";
        }
    }
}
