// The Graph client's middleware chain, built here instead of the SDK default so that:
// - there is ONE retry policy (ours, in retry.ts): the SDK's RetryHandler is left out;
// - network failures keep their cause. The SDK's own terminal handler lets `fetch failed` through
//   and GraphError then drops `cause` (azure-identity-local.md §c); ours names the error code
//   (ECONNRESET, UNABLE_TO_VERIFY_LEAF_SIGNATURE, ...) in the message so it can be classified.
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";

export const NETWORK_ERROR_NAME = "GraphNetworkError";

/** One link of an error's cause chain, as far as these walks read it. */
type CauseLink = { name?: unknown; code?: unknown; message?: unknown; cause?: unknown } | undefined;

/** The most specific error code in an error's cause chain ("ABORTED" for aborts). */
export function networkCode(e: unknown): string {
    for (let cur = e as CauseLink, depth = 0; cur && depth < 6; cur = cur.cause as CauseLink, depth++) {
        if (cur.name === "AbortError" || cur.name === "TimeoutError") return "ABORTED";
        if (typeof cur.code === "string" && cur.code !== "") return cur.code;
    }
    return "UNKNOWN";
}

function innermostMessage(e: unknown): string {
    let msg = e instanceof Error ? e.message : String(e);
    for (let cur = (e as CauseLink)?.cause as CauseLink, depth = 0; cur && depth < 6; cur = cur.cause as CauseLink, depth++) {
        if (typeof cur.message === "string" && cur.message) msg = cur.message;
    }
    return msg;
}

/** Terminal middleware: fetch with the options the client assembled (including our undici dispatcher). */
export class FetchHandler implements Middleware {
    async execute(context: Context): Promise<void> {
        try {
            context.response = await fetch(context.request, context.options as RequestInit);
        } catch (e) {
            const err = new Error(`[${networkCode(e)}] ${innermostMessage(e)}`);
            err.name = NETWORK_ERROR_NAME;
            throw err;
        }
    }
}

/** Parses the code back out of a GraphError built from a FetchHandler failure. */
export function parseNetworkMessage(message: string): { code: string; detail: string } {
    const m = /^\[([A-Za-z0-9_]+)\]\s*(.*)$/s.exec(message);
    return m ? { code: m[1], detail: m[2] } : { code: "UNKNOWN", detail: message };
}
