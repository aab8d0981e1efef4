// One Graph client per provider operation, from the product's one client factory, closed when the
// operation ends. Secrets are resolved from their references here, inside the provider process,
// and every value resolved is scrubbed from errors on the way out, whatever library wrote the text.
import { isProviderError, ProviderError, redactSecrets } from "../core/errors";
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
        throw scrubbed(e, resolved);
    } finally {
        await gc?.close().catch(() => undefined);
    }
}

function scrubbed(e: unknown, secrets: Set<string>): unknown {
    const scrub = (text: string) => {
        let out = text;
        for (const s of secrets) if (s) out = out.split(s).join("***");
        return redactSecrets(out);
    };
    if (isProviderError(e)) {
        const message = scrub(e.message);
        if (message === e.message) return e;
        const clean = new ProviderError(e.code, message, {
            input: e.input, resource: e.resource, httpStatus: e.httpStatus, serviceCode: e.serviceCode, requestId: e.requestId, retryable: e.retryable,
        });
        // keep a partial-create record (see partial-create.ts) on the scrubbed copy
        for (const k of ["id", "properties", "reasons"]) if (k in e) (clean as any)[k] = (e as any)[k];
        return clean;
    }
    return new ProviderError("INTERNAL_ERROR", scrub(String((e as Error)?.message ?? e)));
}
