// The Entra v2 endpoints MSAL talks to (azure-identity-local.md): OIDC discovery (issuer built from
// the Host header so msal-common's issuer check passes), the token endpoint for client_credentials
// with a client secret, a certificate assertion or a federated assertion (GitHub OIDC / workload
// identity), and the JWKS. Errors are Entra-shaped (error, error_description "AADSTS<n>: ...",
// error_codes...). Unknown form parameters (MSAL telemetry) are ignored.
import { X509Certificate, createHash, timingSafeEqual, type KeyObject } from "node:crypto";
import { decodeJwt, keysFromJwks, verifyJwt } from "./jwt";
import { newGuid } from "./ids";
import { GRAPH_APP_ID, GRAPH_RESOURCE, TOKEN_LIFETIME_SEC, type TokenService } from "./tokens";
import type { EmulatorApp, EmulatorRequest, EmulatorResponse } from "./types";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

export interface OAuthDeps {
    tenantId: string;
    /** tenant names accepted in the path besides the GUID (the initial domain) */
    tenantDomains: string[];
    tokens: TokenService;
    app(clientId: string): EmulatorApp | undefined;
    servicePrincipalId(appId: string): string;
    /** fetches a federated credential's JWKS (loopback URLs only) */
    fetchJwks(url: string): Promise<any>;
}

const JSON_CT = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store, no-cache", pragma: "no-cache" };

/** True for the Entra endpoints this file serves (faults there answer in Entra's error shape). */
export function isOAuthPath(p: string): boolean {
    return /^\/[^/]+\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token|discovery\/v2\.0\/keys)$/i.test(p);
}

/**
 * An injected HTTP failure of the token endpoint, as Entra words one: `server_error` AADSTS50000
 * for 5xx, `temporarily_unavailable` AADSTS90033 for 429/503 (a client must be able to tell these
 * transient failures from a refused credential, which is final).
 */
export function stsFault(req: EmulatorRequest, status: number, headers: Record<string, string>): EmulatorResponse {
    const r = status === 429 || status === 503
        ? stsError(req, status, "temporarily_unavailable", 90033, "A transient error has occurred. Please try again.")
        : status >= 500
            ? stsError(req, status, "server_error", 50000, "There was an error issuing a token or an issue with our sign-in service.")
            : stsError(req, status, "invalid_request", 900144, `Injected fault: HTTP ${status}.`);
    return { ...r, headers: { ...r.headers, ...headers } };
}

function stsError(req: EmulatorRequest, status: number, error: string, code: number, text: string): EmulatorResponse {
    const now = new Date();
    const traceId = newGuid();
    const correlationId = req.query.get("client-request-id") ?? req.clientRequestId;
    const ts = now.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
    return {
        status,
        headers: JSON_CT,
        body: {
            error,
            error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${ts}`,
            error_codes: [code],
            timestamp: ts,
            trace_id: traceId,
            correlation_id: correlationId,
            error_uri: `${req.origin}/error?code=${code}`,
        },
    };
}

export async function handleOAuth(req: EmulatorRequest, deps: OAuthDeps): Promise<EmulatorResponse | undefined> {
    const m = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token|discovery\/v2\.0\/keys)$/i.exec(req.path);
    if (!m) return undefined;
    const tenantSeg = decodeURIComponent(m[1]);
    const known = tenantSeg.toLowerCase() === deps.tenantId.toLowerCase() || deps.tenantDomains.some((d) => d.toLowerCase() === tenantSeg.toLowerCase());
    if (!known) {
        return stsError(req, 400, "invalid_tenant", 90002, `Tenant '${tenantSeg}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    const what = m[2].toLowerCase();
    if (what.startsWith("v2.0")) return req.method === "GET" ? discovery(req, deps) : undefined;
    if (what.startsWith("discovery")) return req.method === "GET" ? { status: 200, headers: JSON_CT, body: deps.tokens.jwks() } : undefined;
    if (req.method !== "POST") return stsError(req, 405, "invalid_request", 900561, "The endpoint only accepts POST requests.");
    return token(req, deps, `${req.origin}${req.path}`);
}

function discovery(req: EmulatorRequest, deps: OAuthDeps): EmulatorResponse {
    const base = `${req.origin}/${deps.tenantId}`;
    return {
        status: 200,
        headers: JSON_CT,
        body: {
            token_endpoint: `${base}/oauth2/v2.0/token`,
            token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            jwks_uri: `${base}/discovery/v2.0/keys`,
            response_modes_supported: ["query", "fragment", "form_post"],
            subject_types_supported: ["pairwise"],
            id_token_signing_alg_values_supported: ["RS256"],
            response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
            scopes_supported: ["openid", "profile", "email", "offline_access"],
            issuer: `${base}/v2.0`,
            request_uri_parameter_supported: false,
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            kerberos_endpoint: `${base}/kerberos`,
            tenant_region_scope: "NA",
            cloud_instance_name: "microsoftonline.com",
            cloud_graph_host_name: "graph.windows.net",
            msgraph_host: "graph.microsoft.com",
        },
    };
}

function form(req: EmulatorRequest): Record<string, string> {
    return typeof req.body === "object" && req.body !== null && !Buffer.isBuffer(req.body) ? req.body : {};
}

async function token(req: EmulatorRequest, deps: OAuthDeps, tokenUrl: string): Promise<EmulatorResponse> {
    const f = form(req);
    if (f.grant_type !== "client_credentials") {
        return stsError(req, 400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${f.grant_type ?? ""}'. Only client_credentials is available in the lab.`);
    }
    if (!f.client_id) return stsError(req, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
    const app = deps.app(f.client_id);
    if (!app) {
        return stsError(req, 400, "unauthorized_client", 700016, `Application with identifier '${f.client_id}' was not found in the directory '${deps.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
    }
    const scopes = String(f.scope ?? "").split(" ").filter(Boolean);
    if (scopes.length !== 1 || !scopes[0].endsWith("/.default")) {
        return stsError(req, 400, "invalid_scope", 1002012, `The provided value for scope ${f.scope ?? ""} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const resource = scopes[0].slice(0, -"/.default".length);
    const audience = resource === GRAPH_RESOURCE || resource === GRAPH_APP_ID || resource === `${GRAPH_RESOURCE}/` ? GRAPH_RESOURCE : resource;

    let failure: EmulatorResponse | undefined;
    if (f.client_secret !== undefined) {
        failure = checkSecret(req, app, f.client_secret);
    } else if (f.client_assertion !== undefined) {
        if (f.client_assertion_type !== JWT_BEARER) {
            return stsError(req, 400, "invalid_request", 50027, `client_assertion_type must be '${JWT_BEARER}'.`);
        }
        failure = await checkAssertion(req, deps, app, f.client_assertion, tokenUrl);
    } else {
        return stsError(req, 401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    if (failure) return failure;

    const access_token = deps.tokens.issue({
        appId: app.clientId, appDisplayName: app.displayName, servicePrincipalId: deps.servicePrincipalId(app.clientId), roles: app.roles, audience,
    });
    return { status: 200, headers: JSON_CT, body: { token_type: "Bearer", expires_in: TOKEN_LIFETIME_SEC, ext_expires_in: TOKEN_LIFETIME_SEC, access_token } };
}

function checkSecret(req: EmulatorRequest, app: EmulatorApp, given: string): EmulatorResponse | undefined {
    const want = app.clientSecret;
    const ok = want !== undefined && want.length === given.length && timingSafeEqual(Buffer.from(want), Buffer.from(given));
    if (ok) return undefined;
    return stsError(req, 401, "invalid_client", 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
}

async function checkAssertion(req: EmulatorRequest, deps: OAuthDeps, app: EmulatorApp, assertion: string, tokenUrl: string): Promise<EmulatorResponse | undefined> {
    const jwt = decodeJwt(assertion);
    if (!jwt) return stsError(req, 401, "invalid_client", 50012, "Client assertion is not a valid JWT.");
    const p = jwt.payload;
    // A certificate assertion is self-issued by the app (iss = sub = client id, aud = token endpoint);
    // anything else is a federated token from an external issuer.
    if (p.iss === app.clientId && p.sub === app.clientId) return checkCertificateAssertion(req, app, assertion, jwt.header, tokenUrl);
    return checkFederated(req, deps, app, assertion, jwt.header, p);
}

function checkCertificateAssertion(req: EmulatorRequest, app: EmulatorApp, assertion: string, header: any, tokenUrl: string): EmulatorResponse | undefined {
    if (!app.certificatePem) {
        return stsError(req, 401, "invalid_client", 700027, `Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${header["x5t#S256"] ?? header.x5t ?? ""}']`);
    }
    const cert = new X509Certificate(app.certificatePem);
    const s256 = createHash("sha256").update(cert.raw).digest("base64url");
    const s1 = createHash("sha1").update(cert.raw).digest("base64url");
    if ((header["x5t#S256"] && header["x5t#S256"] !== s256) || (header.x5t && header.x5t !== s1)) {
        return stsError(req, 401, "invalid_client", 700027, `Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${header["x5t#S256"] ?? header.x5t}']`);
    }
    const r = verifyJwt(assertion, [cert.publicKey as KeyObject], { audience: tokenUrl, issuer: app.clientId, subject: app.clientId, clockToleranceSec: 300 });
    if (r.ok) return undefined;
    if (r.reason === "expired" || r.reason === "notYetValid") return stsError(req, 401, "invalid_client", 700024, "Client assertion is not within its valid time range.");
    if (r.reason === "audience") return stsError(req, 401, "invalid_client", 700212, `The audience of the client assertion must be the token endpoint '${tokenUrl}'.`);
    return stsError(req, 401, "invalid_client", 700027, "Client assertion failed signature validation.");
}

async function checkFederated(req: EmulatorRequest, deps: OAuthDeps, app: EmulatorApp, assertion: string, header: any, p: any): Promise<EmulatorResponse | undefined> {
    const aud = ([] as unknown[]).concat(p.aud ?? []).join(",");
    const noMatch = () => stsError(req, 400, "invalid_request", 70021,
        `No matching federated identity record found for presented assertion. Assertion Issuer: '${p.iss}'. Assertion Subject: '${p.sub}'. Assertion Audience: '${aud}'.`);
    const candidates = (app.federated ?? []).filter((fc) => fc.issuer === p.iss && fc.subject === p.sub && ([] as unknown[]).concat(p.aud ?? []).includes(fc.audience ?? EXCHANGE_AUDIENCE));
    if (candidates.length === 0) return noMatch();
    for (const fc of candidates) {
        const jwks = fc.jwks ?? (fc.jwksUrl ? await deps.fetchJwks(fc.jwksUrl).catch(() => undefined) : undefined);
        const keys = keysFromJwks(jwks, header.kid);
        const r = verifyJwt(assertion, keys, { issuer: fc.issuer, subject: fc.subject, audience: fc.audience ?? EXCHANGE_AUDIENCE, clockToleranceSec: 60 });
        if (r.ok) return undefined;
        if (r.reason === "expired" || r.reason === "notYetValid") return stsError(req, 400, "invalid_client", 700024, "Client assertion is not within its valid time range.");
        if (r.reason === "signature") return stsError(req, 401, "invalid_client", 50013, "Assertion failed signature validation. [Reason - The key was not found.]");
    }
    return noMatch();
}
