// Lab secrets: generated once per lab directory, kept only in .lab/lab.json (mode 600, git-ignored)
// and handed to processes through environment variables, never through argv or logs.
import { randomBytes } from "node:crypto";
import type { ForestSpec, LabInfo } from "./layout";

/** AD-complexity-safe random password (upper, lower, digit, symbol). */
export function generatePassword(): string {
    return `Lab-${randomBytes(12).toString("base64url")}-9a`;
}

export function adminPasswordEnv(forestName: string): string {
    return `LAB_${forestName.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_ADMIN_PASSWORD`;
}

export const GRAPH_CLIENT_SECRET_ENV = "LAB_GRAPH_CLIENT_SECRET";

/** Keeps existing secrets, adds missing ones. */
export function ensureSecrets(existing: Record<string, string> | undefined, forests: ForestSpec[]): Record<string, string> {
    const secrets = { ...(existing ?? {}) };
    for (const f of forests) secrets[adminPasswordEnv(f.name)] ??= generatePassword();
    secrets[GRAPH_CLIENT_SECRET_ENV] ??= randomBytes(24).toString("base64url");
    return secrets;
}

/** The environment a process needs to use the lab's SecretRefs ({ env: "LAB_..." }). */
export function labEnv(lab: Pick<LabInfo, "secrets" | "caCertPath">): Record<string, string> {
    return { ...lab.secrets };
}
