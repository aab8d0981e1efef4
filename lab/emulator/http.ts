// Response helpers: Graph's JSON envelope, its error body, and the Intune flavour of that body.
import type { EmulatorRequest, EmulatorResponse } from "./types";
import type { ErrorKind } from "./errors";
import { innerErrorDate, newGuid } from "./ids";

export const GRAPH_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

export function json(status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse {
    return { status, body, headers: { "content-type": GRAPH_JSON, ...headers } };
}

export const noContent = (): EmulatorResponse => ({ status: 204 });

/** Which service's error vocabulary a route speaks. */
export type Flavor = "directory" | "intune";

const CODES: Record<Flavor, Record<ErrorKind, string>> = {
    // Entra directory objects, CA policies and audit logs (v1.0)
    directory: {
        badRequest: "BadRequest",
        badId: "Request_BadRequest",
        invalidFilter: "Request_BadRequest",
        unsupportedQuery: "Request_UnsupportedQuery",
        notFound: "Request_ResourceNotFound",
        forbidden: "Authorization_RequestDenied",
        methodNotAllowed: "BadRequest",
        conflict: "Request_MultipleObjectsWithSameKeyValue",
    },
    // Intune (beta deviceManagement): generic HTTP-ish codes, message is a JSON document in a string
    intune: {
        badRequest: "BadRequest",
        badId: "BadRequest",
        invalidFilter: "BadRequest",
        unsupportedQuery: "BadRequest",
        notFound: "NotFound",
        forbidden: "Forbidden",
        methodNotAllowed: "BadRequest",
        conflict: "Conflict",
    },
};

export function codeFor(flavor: Flavor, kind: ErrorKind): string {
    return CODES[flavor][kind];
}

/** Graph's error envelope: {"error":{"code","message","innerError":{date,request-id,client-request-id}}}. */
export function graphError(req: Pick<EmulatorRequest, "requestId" | "clientRequestId">, status: number, code: string,
    message: string, headers: Record<string, string> = {}): EmulatorResponse {
    return json(status, {
        error: {
            code,
            message,
            innerError: { date: innerErrorDate(), "request-id": req.requestId, "client-request-id": req.clientRequestId },
        },
    }, headers);
}

/**
 * Intune wraps its own error document, serialized, in `error.message` (docs/sources.md, Graph §3), with the
 * request's activity id and CRLF-indented JSON like the real service.
 */
export function intuneMessage(req: Pick<EmulatorRequest, "requestId">, text: string, retryAfter: number | null = null): string {
    const doc = {
        _version: 3,
        Message: `${text} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${req.requestId} - Url: https://fef.lab.manage.microsoft.com/DeviceConfigV2/StatelessDeviceConfigurationFEService/deviceManagement`,
        CustomApiErrorPhrase: "",
        RetryAfter: retryAfter,
        ErrorSourceService: "",
        HttpHeaders: "{}",
    };
    return JSON.stringify(doc, null, 1).replace(/\n/g, "\r\n");
}

export function flavoredError(req: EmulatorRequest, flavor: Flavor, status: number, kind: ErrorKind, message: string,
    headers: Record<string, string> = {}, codeOverride?: string): EmulatorResponse {
    const code = codeOverride ?? codeFor(flavor, kind);
    const msg = flavor === "intune" ? intuneMessage(req, message) : message;
    return graphError(req, status, code, msg, headers);
}

export function newRequestId(): string {
    return newGuid();
}
