// One provider operation's context: where SecretRefs resolve from (the process environment and the
// stack config given to `configure`), the clock, and every secret value resolved so far, so that
// errors leaving the operation can be scrubbed of them whatever library produced the text.
import type { ResolvedDirectoryConnection } from "../ad/connection";
import { scrubbedError, type ProviderError } from "../core/errors";
import { resolveSecret, type SecretConfig, type SecretRef } from "../core/secrets";
import type { SecretResolver } from "../graph/types";
import type { DirectoryConnection } from "./model";

export interface OperationContext {
    env: NodeJS.ProcessEnv;
    config?: SecretConfig;
    now: () => Date;
    /** values of every secret resolved in this operation */
    readonly secrets: Set<string>;
    /** per I/O call (publisher, Graph); the whole operation has its own deadline */
    callTimeoutMs: number;
}

export function newContext(opts: Partial<Omit<OperationContext, "secrets">> = {}): OperationContext {
    return { env: opts.env ?? process.env, config: opts.config, now: opts.now ?? (() => new Date()), secrets: new Set(), callTimeoutMs: opts.callTimeoutMs ?? 120_000 };
}

/** Resolves a SecretRef and remembers the value for scrubbing. */
export function secretResolver(ctx: OperationContext): SecretResolver {
    return (ref: SecretRef, input?: string) => {
        const value = resolveSecret(ref, ctx.config, { input, env: ctx.env });
        ctx.secrets.add(value);
        return value;
    };
}

export function resolveDirectory(d: DirectoryConnection, ctx: OperationContext): ResolvedDirectoryConnection {
    return {
        urls: d.urls, username: d.username, password: secretResolver(ctx)(d.password, "directory.password"),
        caCertificate: d.caCertificate, tlsServerName: d.tlsServerName, allowPlainLdap: d.allowPlainLdap, timeoutMs: d.timeoutMs,
    };
}

/** The error to let out of an operation: a ProviderError with a scrubbed message, details kept. */
export function scrubError(e: unknown, ctx: OperationContext): ProviderError {
    return scrubbedError(e, ctx.secrets);
}
