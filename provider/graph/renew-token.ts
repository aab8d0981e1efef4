// Graph middleware, first in the chain (client.ts): a 401 means the request was refused before it
// was processed, so when the credential is the process's shared one (credential-cache.ts) its
// cached token may simply be one the authority no longer accepts. The credential is renewed and the
// request sent once more with a fresh token; a second 401 is reported as before.
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";

export interface Renewable {
    renew(): void;
}

/** Headers the next attempt sets again: leaving them would append a second value. */
const SET_PER_ATTEMPT = ["Authorization", "SdkVersion"];

export class RenewRejectedToken implements Middleware {
    private next?: Middleware;

    constructor(private readonly credential: Renewable) {}

    async execute(context: Context): Promise<void> {
        await this.next!.execute(context);
        if (context.response?.status !== 401) return;
        this.credential.renew();
        const headers = context.options?.headers as Headers | Record<string, string> | undefined;
        for (const h of SET_PER_ATTEMPT) {
            if (headers instanceof Headers) headers.delete(h);
            else if (headers) for (const k of Object.keys(headers)) if (k.toLowerCase() === h.toLowerCase()) delete headers[k];
        }
        await this.next!.execute(context);
    }

    setNext(next: Middleware): void {
        this.next = next;
    }
}
