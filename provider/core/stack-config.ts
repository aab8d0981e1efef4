// The stack config a dynamic provider receives in `configure`, as the plain key -> value view that
// resolveSecret takes for { config: "key" } references. Values are read lazily, one key at a time.
import type * as pulumi from "@pulumi/pulumi";
import type { SecretConfig } from "./secrets";

export function configView(config: pulumi.dynamic.Config): SecretConfig {
    return new Proxy({}, { get: (_t, key) => (typeof key === "string" ? config.get(key) : undefined) });
}
