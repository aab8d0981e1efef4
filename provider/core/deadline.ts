// Deadlines for whole provider operations. Pulumi sends customTimeouts to providers, but the Node
// dynamic-provider host ignores them (and its `cancel` is a no-op), so every operation bounds
// itself. The inner I/O has its own, shorter timeouts (LDAP, HTTPS, Graph); this is the outer
// bound that turns a hung step into an error the user can act on instead of a hung `pulumi up`.
import { ProviderError } from "./errors";

/**
 * Runs `fn` and rejects with OperationTimeout after `ms`. The work itself cannot be aborted from
 * here; every operation of this package converges when re-run, so a retry after a timeout is safe.
 */
export async function withDeadline<T>(ms: number, what: string, fn: () => Promise<T>, input?: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProviderError("OperationTimeout",
            `${what} did not finish within ${Math.round(ms / 1000)} s; it is safe to run it again` +
            (input ? ` (or raise ${input})` : ""), { input, retryable: true })), ms);
    });
    try {
        return await Promise.race([fn(), expired]);
    } finally {
        clearTimeout(timer);
    }
}
