// The package's one error type. Every failure a user can see (check, diff, create, refresh, the lab)
// is a ProviderError with a stable `code` that tests and policy can match on, and a message that
// names the input or resource at fault. Messages must never carry a secret: callers pass names of
// secrets (SecretRef descriptions), never values, and `redactSecrets` is applied as a last guard.

/**
 * Every code a ProviderError may carry: one spelling each (docs/operations.md, "Troubleshooting by
 * error code", says what each means). The Graph and Intune/Conditional Access areas spell theirs in
 * capitals, the others in PascalCase; a code is never spelt both ways.
 */
export const ERROR_CODES = [
    // input, stack config and state (any resource)
    "DomainInvalid", "CONFIG_INVALID", "SECRET_REF_INVALID", "SECRET_NOT_FOUND", "StateInvalid", "OperationTimeout", "INTERNAL_ERROR",
    // Active Directory over LDAP
    "DirectoryConfigInvalid", "DirectoryUnreachable", "DirectoryTimeout", "DirectoryConnectionLost", "DirectoryTlsFailed",
    "DirectoryAuthFailed", "DirectoryAccessDenied", "DirectoryNotAd", "DirectoryWrongDomain", "DirectoryNoSuchObject",
    "DirectoryAlreadyExists", "DirectoryConstraintViolation", "DirectoryUnwillingToPerform", "DirectoryOperationFailed",
    "PlainLdapRefused", "PrivilegedGroupRefused", "GroupNotFound", "GroupAmbiguous", "ListLockBusy",
    // the Kerberos server and its publisher
    "RotationTooSoon", "KerberosServerIncomplete", "KerberosServerNotInSync", "KerberosServerNotRemoved",
    "KerberosTrustChildDomain", "KerberosTrustNameCollision", "CloudTenantBlocked", "DomainSecretsReadFailed", "DomainStrongAuthRequired",
    "PublisherConfigInvalid", "PublisherUnreachable", "PublisherTlsFailed", "PublisherAuthFailed", "PublisherCommandFailed",
    "PublisherOutputInvalid", "PublisherFramingFailed", "PublisherTimeout", "PublisherShellNotFound", "PublisherShellFailed",
    "PublisherModuleMissing", "PublisherModuleOutdated", "PublisherRuntimeMissing", "PublisherPlatformUnsupported",
    "PublisherInteractionRequired", "PublishDeferred", "PublisherSshUnreachable", "PublisherSshAuthFailed", "PublisherSshHostKeyRejected", "PublisherSshFailed",
    // the rollout
    "WaveNotInSync", "WaveNotReady",
    // Microsoft Graph
    "GRAPH_CONFIG", "GRAPH_AUTH", "GRAPH_TLS", "GRAPH_NETWORK", "GRAPH_TIMEOUT", "GRAPH_ERROR", "GRAPH_RESPONSE_INVALID", "GRAPH_READS_UNSETTLED",
    "GRAPH_BAD_REQUEST", "GRAPH_UNAUTHORIZED", "GRAPH_FORBIDDEN", "GRAPH_NOT_FOUND", "GRAPH_CONFLICT", "GRAPH_PRECONDITION_FAILED",
    "GRAPH_THROTTLED", "GRAPH_HTTP_ERROR", "GRAPH_SERVICE_ERROR",
    // Intune
    "POLICY_AMBIGUOUS", "POLICY_NOT_OURS", "POLICY_TEMPLATE_BASED", "POLICY_GONE", "ASSIGNMENT_CONFLICT", "CATALOG_DEFINITION_MISSING", "TOO_MANY_REALMS",
    // Conditional Access
    "CA_POLICY_NOT_FOUND", "CA_POLICY_AMBIGUOUS", "CA_POLICY_DELETED", "CA_POLICY_CHANGED",
    "CA_LOOKUP_NOT_FOUND", "CA_LOOKUP_AMBIGUOUS", "CA_LOOKUP_DUPLICATE", "CA_CONCURRENT_WRITES",
    // the FIDO2 security key method
    "FIDO2_CONCURRENT_WRITES",
    // the lab publisher's own HTTP API (lab/publisher/), which the lab adapter passes through
    "BadRequest", "Forbidden", "MethodNotAllowed", "InvalidAuthenticationToken", "UnknownDomain", "LabInjectedFault",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** True for a code of this package (e.g. one the lab publisher sent back over HTTP). */
export const isErrorCode = (v: unknown): v is ErrorCode => typeof v === "string" && (ERROR_CODES as readonly string[]).includes(v);

export interface ProviderErrorDetails {
    /** The input at fault, as a path a user recognises: "graph.credential.clientSecret", "directory.urls[1]". */
    input?: string;
    /** The remote resource involved: "GET beta/deviceManagement/configurationPolicies/{id}". */
    resource?: string;
    /** HTTP status of the failed call, when there was a response. */
    httpStatus?: number;
    /** The remote service's own error code (Graph `error.code`, LDAP result name, AADSTS number...). */
    serviceCode?: string;
    /** Correlation id to quote to the service's support (Graph `request-id`). */
    requestId?: string;
    /** True when repeating the same call later may succeed (throttling, transient network). */
    retryable?: boolean;
    /** The underlying error; kept for debugging, never rendered into `message`. */
    cause?: unknown;
}

export class ProviderError extends Error {
    readonly code: ErrorCode;
    readonly input?: string;
    readonly resource?: string;
    readonly httpStatus?: number;
    readonly serviceCode?: string;
    readonly requestId?: string;
    readonly retryable: boolean;

    constructor(code: ErrorCode, message: string, details: ProviderErrorDetails = {}) {
        super(redactSecrets(message));
        this.name = "ProviderError";
        this.code = code;
        this.input = details.input;
        this.resource = details.resource;
        this.httpStatus = details.httpStatus;
        this.serviceCode = details.serviceCode;
        this.requestId = details.requestId;
        this.retryable = details.retryable ?? false;
        // Non-enumerable, so JSON.stringify / snapshots of the error never walk into the cause
        // (an SDK error may hold request objects with headers).
        if (details.cause !== undefined) Object.defineProperty(this, "cause", { value: details.cause, enumerable: false });
        Object.setPrototypeOf(this, ProviderError.prototype);
    }

    /** A plain object for logs and Pulumi diagnostics: code, message and the safe details only. */
    toJSON(): Record<string, unknown> {
        const out: Record<string, unknown> = { code: this.code, message: this.message };
        for (const k of ["input", "resource", "httpStatus", "serviceCode", "requestId"] as const) {
            if (this[k] !== undefined) out[k] = this[k];
        }
        if (this.retryable) out.retryable = true;
        return out;
    }
}

export function isProviderError(e: unknown, code?: ErrorCode): e is ProviderError {
    return e instanceof ProviderError && (code === undefined || e.code === code);
}

// Defence in depth: a JWT (three base64url parts starting with "eyJ"), a bearer header value,
// a PEM private key block, or `client_secret=`/`password=` form fields are replaced before any
// message leaves the process, even if an upstream library echoed one.
const REDACTIONS: [RegExp, string][] = [
    [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, "[redacted private key]"],
    [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, "[redacted token]"],
    [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [redacted]"],
    [/\b(client_secret|client_assertion|password|access_token|refresh_token)=[^&\s"]+/gi, "$1=[redacted]"],
];

export function redactSecrets(text: string): string {
    let out = text;
    for (const [re, rep] of REDACTIONS) out = out.replace(re, rep);
    return out;
}

/** Replaces every given secret value (longest first, so one inside another is not half-replaced) and anything secret-shaped. */
export function scrubText(text: string, secrets: Iterable<string | undefined>): string {
    let out = text;
    for (const s of [...secrets].filter((x): x is string => !!x).sort((a, b) => b.length - a.length)) out = out.split(s).join("***");
    return redactSecrets(out);
}

/**
 * The error to let out of a provider operation: a ProviderError whose message carries none of
 * `secrets`, whatever library wrote the text. Its details are kept, and so is anything else it
 * carries (a partial-create record, intune/partial-create.ts, whose reasons are scrubbed too).
 */
export function scrubbedError(e: unknown, secrets: Iterable<string | undefined>): ProviderError {
    const list = [...secrets];
    if (!(e instanceof ProviderError)) return new ProviderError("INTERNAL_ERROR", scrubText(String((e as Error)?.message ?? e), list));
    const message = scrubText(e.message, list);
    const reasons: unknown = (e as any).reasons;
    const cleanReasons = Array.isArray(reasons) ? reasons.map((r) => scrubText(String(r), list)) : reasons;
    if (message === e.message && JSON.stringify(cleanReasons) === JSON.stringify(reasons)) return e;
    const clean = new ProviderError(e.code, message, {
        input: e.input, resource: e.resource, httpStatus: e.httpStatus, serviceCode: e.serviceCode, requestId: e.requestId, retryable: e.retryable,
    });
    for (const k of Object.keys(e)) if (!(k in clean)) (clean as any)[k] = (e as any)[k];
    if (cleanReasons !== undefined) (clean as any).reasons = cleanReasons;
    return clean;
}
