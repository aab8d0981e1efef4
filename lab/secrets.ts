// Lab secrets: generated once per lab directory, kept only in .lab/lab.json (mode 600, git-ignored)
// and handed to processes through environment variables, never through argv or logs.
import { randomBytes } from "node:crypto";
import type { ForestSpec } from "./layout";
import { LAB_APP_SECRET_ENV } from "./emulator/seed";

/** AD-complexity-safe random password (upper, lower, digit, symbol). */
export function generatePassword(): string {
    return `Lab-${randomBytes(12).toString("base64url")}-9a`;
}

export function adminPasswordEnv(forestName: string): string {
    return `LAB_${forestName.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_ADMIN_PASSWORD`;
}


/** Keeps existing secrets, adds missing ones. */
export function ensureSecrets(existing: Record<string, string> | undefined, forests: ForestSpec[]): Record<string, string> {
    const secrets = { ...(existing ?? {}) };
    for (const f of forests) secrets[adminPasswordEnv(f.name)] ??= generatePassword();
    secrets[LAB_APP_SECRET_ENV] ??= randomBytes(24).toString("base64url");
    return secrets;
}
