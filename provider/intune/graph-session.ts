// One Graph client per provider operation, from the product's one client factory, closed when the
// operation ends. Secrets are resolved from their references here, inside the provider process,
// and every value resolved is scrubbed from errors on the way out, whatever library wrote the text.
import { scrubbedError } from "../core/errors";
import { resolveSecret, type SecretConfig } from "../core/secrets";
import { createGraphClient, type GraphClient, type GraphClientOptions, type GraphConnection } from "../graph";

export interface SessionOptions {
    /** stack config from the provider's `configure`, for { config: "key" } references */
    config?: SecretConfig;
    env?: NodeJS.ProcessEnv;
    /** client options (tests shorten the retry delays) */
    client?: GraphClientOptions;
}

export async function withGraph<T>(conn: GraphConnection, opts: SessionOptions, fn: (gc: GraphClient) => Promise<T>): Promise<T> {
    const resolved = new Set<string>();
    let gc: GraphClient | undefined;
    try {
        gc = createGraphClient(conn, (ref, input) => {
            const v = resolveSecret(ref, opts.config, { input, env: opts.env });
            resolved.add(v);
            return v;
        }, opts.client);
        return await fn(gc);
    } catch (e) {
        throw scrubbedError(e, resolved);
    } finally {
        await gc?.close().catch(() => undefined);
    }
}
