// Errors raised inside route handlers. A handler throws an EmuError with a *kind*; the router turns it
// into the wire shape of the service that owns the route (directory-style codes such as
// Request_ResourceNotFound on v1.0, or Intune's BadRequest/NotFound with a JSON-in-a-string message).
export type ErrorKind =
    | "badRequest"        // malformed body, wrong @odata.type, invalid value
    | "badId"             // an id that is not a GUID
    | "invalidFilter"     // $filter that does not parse
    | "unsupportedQuery"  // $filter/$orderby/$expand the resource does not support
    | "notFound"
    | "forbidden"
    | "methodNotAllowed"
    | "conflict";

export class EmuError extends Error {
    constructor(readonly status: number, readonly kind: ErrorKind, message: string, readonly code?: string) {
        super(message);
    }
}

export const badRequest = (message: string, code?: string) => new EmuError(400, "badRequest", message, code);
export const notFound = (message: string) => new EmuError(404, "notFound", message);
export const unsupported = (message: string) => new EmuError(400, "unsupportedQuery", message);
export const invalidFilter = (message: string) => new EmuError(400, "invalidFilter", message);
export const badId = (id: string) => new EmuError(400, "badId", `Invalid object identifier '${id}'.`);
