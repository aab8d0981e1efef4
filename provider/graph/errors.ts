// Graph failures -> ProviderError. Stable codes by HTTP status, the Graph error code and request id
// kept as details, and a message that names the call ("GET v1.0/groups"), the service's own words
// and, where there is one, what the user can do. Never a token or secret: none reaches this code,
// and ProviderError redacts anything token-shaped as a last guard.
import { ProviderError, type ErrorCode } from "../core/errors";
import { parseNetworkMessage, NETWORK_ERROR_NAME } from "./transport";
import type { AttemptFailure } from "./retry";

export interface RequestLabel {
    method: string;
    version: string;
    /** path without the query string */
    path: string;
    /** what the caller was doing, e.g. `CloudTrustPolicy "WHfB pilot": read policy` */
    description?: string;
}

export function resourceLabel(l: RequestLabel): string {
    return `${l.method} ${l.version}${l.path.startsWith("/") ? "" : "/"}${l.path}`;
}

function prefix(l: RequestLabel): string {
    return `${l.description ? `${l.description}: ` : ""}Graph ${resourceLabel(l)}`;
}

export const STATUS_CODES: Record<number, ErrorCode> = {
    400: "GRAPH_BAD_REQUEST",
    401: "GRAPH_UNAUTHORIZED",
    403: "GRAPH_FORBIDDEN",
    404: "GRAPH_NOT_FOUND",
    405: "GRAPH_BAD_REQUEST",
    409: "GRAPH_CONFLICT",
    412: "GRAPH_PRECONDITION_FAILED",
    429: "GRAPH_THROTTLED",
};

export function codeForStatus(status: number): ErrorCode {
    return STATUS_CODES[status] ?? (status >= 500 ? "GRAPH_SERVICE_ERROR" : "GRAPH_HTTP_ERROR");
}

const HINTS: Record<number, string> = {
    401: "the access token was refused; check graph.tenantId, the credential and the authority",
    403: "grant the app the Microsoft Graph application permission this call needs, with admin consent",
    429: "the service throttled the tenant; retry later",
};

/** Intune puts a JSON document in error.message; take its Message without the support boilerplate. */
export function readableGraphMessage(message: unknown): string {
    if (typeof message !== "string") return "";
    const trimmed = message.trim();
    if (trimmed.startsWith("{")) {
        try {
            const doc = JSON.parse(trimmed);
            if (typeof doc?.Message === "string") return doc.Message.split(" - Operation ID")[0].trim();
        } catch { /* not JSON after all */ }
    }
    return trimmed;
}

export interface HeadersLike { get(name: string): string | null }

/** A non-2xx Graph response. */
export function errorFromResponse(l: RequestLabel, status: number, bodyText: string, headers: HeadersLike, attempts = 1): ProviderError {
    let graphCode: string | undefined, message = "", requestId = headers.get("request-id") ?? undefined;
    try {
        const env = JSON.parse(bodyText)?.error;
        if (env && typeof env === "object") {
            graphCode = typeof env.code === "string" ? env.code : undefined;
            message = readableGraphMessage(env.message);
            requestId = env.innerError?.["request-id"] ?? requestId;
        }
    } catch {
        message = bodyText.slice(0, 300);
    }
    const hint = HINTS[status];
    const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
    const text = `${prefix(l)} failed${tries}: HTTP ${status}${graphCode ? ` ${graphCode}` : ""}${message ? `: ${message}` : ""}${hint ? ` (${hint})` : ""}${requestId ? ` [request-id ${requestId}]` : ""}`;
    return new ProviderError(codeForStatus(status), text, {
        resource: resourceLabel(l), httpStatus: status, serviceCode: graphCode, requestId,
        retryable: status === 429 || status === 503,
    });
}

export function timeoutError(l: RequestLabel, ms: number, attempts: number): ProviderError {
    const tries = attempts > 1 ? ` (${attempts} attempts)` : "";
    return new ProviderError("GRAPH_TIMEOUT", `${prefix(l)} timed out after ${ms} ms${tries}`, { resource: resourceLabel(l), retryable: true });
}

const TLS_RE = /^(UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|CERT_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/;
export const isTlsCode = (code: string): boolean => TLS_RE.test(code);

const AADSTS_HINTS: Record<string, string> = {
    "7000215": "the client secret is wrong or expired; check the secret graph.credential.clientSecret refers to",
    "7000222": "the client secret has expired; create a new one",
    "700016": "no app with this client id in the tenant; check graph.credential.clientId and graph.tenantId",
    "70021": "the app has no federated credential matching this token's issuer, subject and audience",
    "700211": "the app has no federated credential for this token issuer",
    "700213": "the app has no federated credential for this token subject",
    "700024": "the client assertion has expired or is not yet valid; check the clock",
    "700027": "the certificate is not registered on the app, or the assertion signature is wrong",
    "90002": "the tenant does not exist in this cloud; check graph.tenantId and graph.authorityHost",
    "1002012": "the scope must be <resource>/.default for app-only tokens",
};

/** Entra's transient token failures: server_error (50000) and temporarily_unavailable (90033). */
const TRANSIENT_AADSTS = new Set(["50000", "90033"]);
/**
 * A token endpoint failing for a transient reason is reported as retryable (the next `pulumi up`
 * may succeed) but not retried within the operation: @azure/identity has already retried it, and
 * MSAL then answers every token request of that app from its throttling cache (60 s without a
 * Retry-After), so another attempt now could only fail the same way.
 */
const NOT_RETRIED_TOKEN: AttemptFailure = { kind: "fatal" };

export interface MappedException {
    error: ProviderError;
    failure: AttemptFailure;
    /** MSAL hid the cause (discovery/TLS/issuer): worth probing the authority for a clearer message */
    diagnoseAuthority: boolean;
}

/** An exception thrown by the SDK before a response existed: credential failures and network errors. */
export function errorFromException(l: RequestLabel, e: unknown, endpoints: { graphEndpoint: string; authorityHost?: string }, attempts = 1): MappedException {
    if (e instanceof ProviderError) return { error: e, failure: { kind: "fatal" }, diagnoseAuthority: false };
    const name = String((e as any)?.code ?? (e as any)?.name ?? "");
    const message = String((e as any)?.message ?? e);
    const tries = attempts > 1 ? ` after ${attempts} attempts` : "";

    if (name === NETWORK_ERROR_NAME) {
        const { code, detail } = parseNetworkMessage(message);
        if (isTlsCode(code)) {
            return {
                error: new ProviderError("GRAPH_TLS",
                    `${prefix(l)} failed: the TLS certificate of ${endpoints.graphEndpoint} is not trusted (${code}: ${detail}); set graph.caCertificate to the PEM of the CA that issued it`,
                    { resource: resourceLabel(l), serviceCode: code, input: "graph.caCertificate" }),
                failure: { kind: "fatal" }, diagnoseAuthority: false,
            };
        }
        return {
            error: new ProviderError("GRAPH_NETWORK", `${prefix(l)} failed${tries}: network error ${code}: ${detail}`, { resource: resourceLabel(l), serviceCode: code, retryable: true }),
            failure: { kind: "network", code }, diagnoseAuthority: false,
        };
    }

    const aadsts = /AADSTS(\d+):\s*(.*?)(?=\s+Trace ID:|\s+-\s+Correlation ID:|\s+-\s+Trace ID:|\r?\n|$)/s.exec(message);
    if (aadsts && TRANSIENT_AADSTS.has(aadsts[1])) {
        // Entra's own "try again" (server_error, temporarily_unavailable). Not retried here: see NOT_RETRIED_TOKEN
        return {
            error: new ProviderError("GRAPH_AUTH", `${prefix(l)}: could not get a token: AADSTS${aadsts[1]}: ${aadsts[2].trim()} (Entra's token endpoint failed; this is transient, run again)`,
                { resource: resourceLabel(l), serviceCode: `AADSTS${aadsts[1]}`, retryable: true }),
            failure: NOT_RETRIED_TOKEN, diagnoseAuthority: false,
        };
    }
    if (aadsts) {
        const hint = AADSTS_HINTS[aadsts[1]];
        return {
            error: new ProviderError("GRAPH_AUTH", `${prefix(l)}: could not get a token: AADSTS${aadsts[1]}: ${aadsts[2].trim()}${hint ? ` (${hint})` : ""}`,
                { resource: resourceLabel(l), serviceCode: `AADSTS${aadsts[1]}`, input: "graph.credential" }),
            failure: { kind: "fatal" }, diagnoseAuthority: false,
        };
    }
    // foreign text: @azure/identity's error text
    if (/Credential|Authentication/i.test(name) && /\[object Object\]|Error\(s\): Not Available/.test(message)) {
        // MSAL's text when the token endpoint answered an HTTP error without an Entra error body
        // (an outage page, a proxy): nothing useful to quote, and nothing was sent to Graph
        return {
            error: new ProviderError("GRAPH_AUTH",
                `${prefix(l)}: could not get a token: the token endpoint of ${endpoints.authorityHost ?? "the authority"} answered with an error that is not Entra's (an outage or a proxy in the way?); run again, and check graph.authorityHost if it persists`,
                { resource: resourceLabel(l), serviceCode: name, input: "graph.authorityHost", retryable: true }),
            failure: NOT_RETRIED_TOKEN, diagnoseAuthority: false,
        };
    }
    // foreign text: @azure/identity's error text
    if (/Credential|Authentication|Access token is undefined/i.test(name) || /endpoints_resolution_error|CredentialUnavailable/.test(message)) {
        // foreign text: @azure/identity's error text
        const opaque = /endpoints_resolution_error/.test(message);
        return {
            error: new ProviderError("GRAPH_AUTH", `${prefix(l)}: could not get a token (${name || "credential error"}): ${message.split("\n")[0]}`,
                { resource: resourceLabel(l), serviceCode: name || undefined, input: "graph.credential" }),
            failure: { kind: "fatal" }, diagnoseAuthority: opaque,
        };
    }
    return {
        error: new ProviderError("GRAPH_ERROR", `${prefix(l)} failed: ${name ? `${name}: ` : ""}${message}`, { resource: resourceLabel(l), cause: e }),
        failure: { kind: "fatal" }, diagnoseAuthority: false,
    };
}
