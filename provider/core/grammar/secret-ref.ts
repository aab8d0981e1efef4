// Where a secret belongs, the input is a reference resolved inside the provider at run time (docs/resources/):
// { env: "NAME" } or { config: "key" }. A plain value would be stored in Pulumi state. Nothing of
// the value is repeated in a message: a reference whose name does not have a name's shape may be a
// secret pasted into the wrong place.
import { isSecretRef } from "../secrets";

/** Environment variable names as shells set them; config keys as `pulumi config set` takes them. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;
const CONFIG_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,255}$/;

export const SECRET_REF_SHAPE = 'a reference { env: "NAME" } or { config: "key" }';

export function secretRefProblem(path: string, v: unknown, required: boolean): string | undefined {
    if (v === undefined) return required ? `${path} is required: ${SECRET_REF_SHAPE}` : undefined;
    if (typeof v === "string") return `${path} must be ${SECRET_REF_SHAPE}, never the secret itself (a value would be stored in Pulumi state)`;
    if (!isSecretRef(v)) return `${path} must be exactly one of { env: "NAME" } or { config: "key" } with a non-empty name`;
    if ("env" in v ? !ENV_NAME.test(v.env) : !CONFIG_KEY.test(v.config)) {
        return `${path} names ${"env" in v ? "an environment variable" : "a config key"} that is not a name (letters, digits, _${"env" in v ? "" : " . : / -"}); is it the secret itself?`;
    }
    return undefined;
}
