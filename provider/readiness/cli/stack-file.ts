// A stack's config as the root program sees it, read from Pulumi.<stack>.yaml without the Pulumi
// CLI: the value of `<project>:cloudKerberosTrust`, and the plain values of the stack's other keys
// for { config: "key" } references. Encrypted values (`secure:`) need the stack's secrets provider,
// which only the Pulumi CLI has: a reference to one is refused, naming the key, before any network call.
import * as fs from "node:fs";
import * as path from "node:path";
import yaml from "js-yaml";
import type { SecretConfig } from "../../core/secrets";
import { CONFIG_KEY } from "../../components/cloud-kerberos-trust-config";
import { ArgumentError } from "./args";

export interface StackConfig {
    file: string;
    value: unknown;
    config: SecretConfig;
}

function projectName(dir: string): string | undefined {
    const file = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(file)) return undefined;
    const doc = yaml.load(fs.readFileSync(file, "utf8")) as { name?: unknown } | undefined;
    return typeof doc?.name === "string" ? doc.name : undefined;
}

/** Every { config: "key" } reference in the value whose key holds an encrypted value. */
function encryptedReferences(value: unknown, encrypted: Set<string>): string[] {
    if (Array.isArray(value)) return value.flatMap((v) => encryptedReferences(v, encrypted));
    if (!value || typeof value !== "object") return [];
    const o = value as Record<string, unknown>;
    if (Object.keys(o).length === 1 && typeof o.config === "string") return encrypted.has(o.config) ? [o.config] : [];
    return Object.values(o).flatMap((v) => encryptedReferences(v, encrypted));
}

export function readStackConfig(dir: string, stack: string): StackConfig {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new ArgumentError(`--dir ${JSON.stringify(dir)} is not a directory`);
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new ArgumentError(`--stack ${stack}: ${file} does not exist`);
    const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | undefined;
    const entries = Object.entries(doc?.config ?? {});
    const project = projectName(dir);
    const keys = entries.map(([k]) => k).filter((k) => k.endsWith(`:${CONFIG_KEY}`));
    const key = keys.find((k) => k === `${project}:${CONFIG_KEY}`) ?? (keys.length === 1 ? keys[0] : undefined);
    if (!key) throw new ArgumentError(`--stack ${stack}: ${file} has ${keys.length === 0 ? "no" : "more than one"} <project>:${CONFIG_KEY} key${project ? ` (project ${project})` : ""}`);
    const plain: Record<string, string> = {};
    const encrypted = new Set<string>();
    for (const [k, v] of entries) {
        const short = k.slice(k.indexOf(":") + 1);
        if (typeof v === "string") { plain[k] = v; plain[short] = v; }
        else if (v && typeof v === "object" && "secure" in v) { encrypted.add(k); encrypted.add(short); }
    }
    const value = entries.find(([k]) => k === key)![1];
    const refused = encryptedReferences(value, encrypted);
    if (refused.length > 0) {
        throw new ArgumentError(`--stack ${stack}: stack config key ${refused[0]} is encrypted; the readiness command cannot decrypt it without the Pulumi CLI: use an { env: "NAME" } reference for it`);
    }
    return { file, value, config: plain };
}
