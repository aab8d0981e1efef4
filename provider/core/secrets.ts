// Secrets are references, never values (docs/resources/): state stores `{ env: "NAME" }` or
// `{ config: "key" }`, and the provider resolves it inside its own process at the moment of use.
import { ProviderError } from "./errors";

export type SecretRef =
    | { env: string }      // an environment variable of the process running pulumi
    | { config: string };  // a stack config key set with `pulumi config set --secret`

/** The stack config the provider received in `configure`, as plain key -> value. */
export type SecretConfig = Readonly<Record<string, string | undefined>>;

export function isSecretRef(v: unknown): v is SecretRef {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
    const keys = Object.keys(v);
    if (keys.length !== 1) return false;
    const val = (v as Record<string, unknown>)[keys[0]];
    return (keys[0] === "env" || keys[0] === "config") && typeof val === "string" && val.length > 0;
}

/** Names the reference (never the value), for messages: `environment variable "X"`. */
export function describeSecretRef(ref: SecretRef): string {
    return "env" in ref ? `environment variable "${ref.env}"` : `stack config key "${ref.config}"`;
}

/**
 * Resolves a reference to its value. Throws SECRET_NOT_FOUND naming the reference when it is
 * unset or empty. `input` names the input that held the reference, for the message.
 */
export function resolveSecret(
    ref: SecretRef,
    config?: SecretConfig,
    opts: { input?: string; env?: NodeJS.ProcessEnv } = {},
): string {
    if (!isSecretRef(ref)) {
        throw new ProviderError("SECRET_REF_INVALID",
            `${opts.input ?? "secret"} must be a reference { env: "NAME" } or { config: "key" }, not a value`,
            { input: opts.input });
    }
    const value = "env" in ref ? (opts.env ?? process.env)[ref.env] : config?.[ref.config];
    if (value === undefined || value === "") {
        const where = opts.input ? ` (${opts.input})` : "";
        const hint = "env" in ref
            ? "set it in the environment of the process running pulumi"
            : "set it with `pulumi config set --secret`";
        throw new ProviderError("SECRET_NOT_FOUND", `secret ${describeSecretRef(ref)}${where} is not set; ${hint}`,
            { input: opts.input });
    }
    return value;
}
