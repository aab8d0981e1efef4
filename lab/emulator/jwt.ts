// Minimal JWS/JWT over node:crypto: RS256 signing for the emulator's tokens, and verification of
// RS256/PS256/ES256 assertions (MSAL signs certificate assertions with PS256, GitHub OIDC uses RS256).
// Why not jose: jose 6 is ESM-only, and this package compiles to CommonJS and runs its tests under
// ts-jest, which cannot require() an ES module on Node 20. node:crypto does everything needed here.
import { createPublicKey, sign as cryptoSign, verify as cryptoVerify, constants, type KeyObject, type JsonWebKey } from "node:crypto";

export const b64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");

export interface DecodedJwt {
    header: Record<string, any>;
    payload: Record<string, any>;
    signingInput: string;
    signature: Buffer;
}

export function decodeJwt(token: string): DecodedJwt | undefined {
    const parts = token.split(".");
    if (parts.length !== 3) return undefined;
    try {
        const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
        const payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
        if (typeof header !== "object" || header === null || typeof payload !== "object" || payload === null) return undefined;
        return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], "base64url") };
    } catch {
        return undefined;
    }
}

type Alg = "RS256" | "RS384" | "RS512" | "PS256" | "ES256";
const HASH: Record<Alg, string> = { RS256: "sha256", RS384: "sha384", RS512: "sha512", PS256: "sha256", ES256: "sha256" };

/** Signs a JWT with RS256 (or ES256 for EC keys). */
export function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: KeyObject): string {
    const alg = (header.alg as Alg) ?? "RS256";
    const input = `${b64url(JSON.stringify({ ...header, alg }))}.${b64url(JSON.stringify(payload))}`;
    const sig = cryptoSign(HASH[alg], Buffer.from(input), keyParams(alg, privateKey));
    return `${input}.${b64url(sig)}`;
}

function keyParams(alg: Alg, key: KeyObject): any {
    if (alg === "PS256") return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
    if (alg === "ES256") return { key, dsaEncoding: "ieee-p1363" };
    return key;
}

export function verifySignature(jwt: DecodedJwt, key: KeyObject): boolean {
    const alg = jwt.header.alg as Alg;
    if (!(alg in HASH)) return false;
    try {
        return cryptoVerify(HASH[alg], Buffer.from(jwt.signingInput), keyParams(alg, key), jwt.signature);
    } catch {
        return false;
    }
}

export type JwtFailure = "malformed" | "signature" | "expired" | "notYetValid" | "issuer" | "audience" | "subject";

export interface JwtChecks {
    issuer?: string | string[];
    audience?: string | string[];
    subject?: string;
    clockToleranceSec?: number;
    now?: number;
}

/** Verifies signature (with the first key that validates) and the registered claims. */
export function verifyJwt(token: string, keys: KeyObject[], checks: JwtChecks):
    { ok: true; jwt: DecodedJwt } | { ok: false; reason: JwtFailure; jwt?: DecodedJwt } {
    const jwt = decodeJwt(token);
    if (!jwt) return { ok: false, reason: "malformed" };
    if (!keys.some((k) => verifySignature(jwt, k))) return { ok: false, reason: "signature", jwt };
    const reason = checkClaims(jwt.payload, checks);
    return reason ? { ok: false, reason, jwt } : { ok: true, jwt };
}

export function checkClaims(p: Record<string, any>, c: JwtChecks): JwtFailure | undefined {
    const now = c.now ?? Math.floor(Date.now() / 1000);
    const tol = c.clockToleranceSec ?? 60;
    if (typeof p.exp !== "number" || p.exp + tol < now) return "expired";
    if (typeof p.nbf === "number" && p.nbf - tol > now) return "notYetValid";
    if (c.issuer !== undefined && !([] as string[]).concat(c.issuer).includes(p.iss)) return "issuer";
    if (c.audience !== undefined) {
        const auds = ([] as unknown[]).concat(p.aud ?? []);
        if (!([] as string[]).concat(c.audience).some((a) => auds.includes(a))) return "audience";
    }
    if (c.subject !== undefined && p.sub !== c.subject) return "subject";
    return undefined;
}

export function publicKeyFromJwk(jwk: JsonWebKey): KeyObject | undefined {
    try {
        return createPublicKey({ key: jwk, format: "jwk" });
    } catch {
        return undefined;
    }
}

/** Keys of a JWKS that could have signed this token (by kid when the token names one). */
export function keysFromJwks(jwks: any, kid?: string): KeyObject[] {
    const list: any[] = Array.isArray(jwks?.keys) ? jwks.keys : [];
    return list
        .filter((k) => kid === undefined || k.kid === undefined || k.kid === kid)
        .map((k) => publicKeyFromJwk(k))
        .filter((k): k is KeyObject => k !== undefined);
}
