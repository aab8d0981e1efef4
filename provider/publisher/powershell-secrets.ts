// Keeping the resolved secrets (domain password, cloud password, SSH private key) out of what the
// child process can expose and out of what this adapter reports. Secrets reach the child on stdin
// only; these helpers cover the rest: the child's environment (a SecretRef { env } means the
// secret IS in this process's environment, and children inherit it by default) and every text
// that leaves the adapter (logs, error messages), in case the module or ssh echoes something.
import { scrubText } from "../core/errors";

/**
 * Shorter values are not scrubbed out of text (replacing every "ab" would mangle messages); in the
 * child's environment they are still matched, exactly.
 */
const MIN_SUBSTRING_LENGTH = 6;

/** The forms a secret may take in output: as is, and base64 as it was framed on stdin. */
function variants(secret: string): string[] {
    const b64 = Buffer.from(secret, "utf8").toString("base64");
    const out = [secret, b64, b64.replace(/=+$/, "")];
    // a PEM key is multi-line; its lines are what could show up one at a time
    if (secret.includes("\n")) out.push(...secret.split(/\r?\n/).filter((l) => l.length >= 16 && !l.startsWith("-----")));
    return out.filter((v) => v.length > 0);
}

export type Scrubber = (text: string) => string;

/** Replaces every secret (and its base64 form) with "***", then applies the package-wide redaction. */
export function makeScrubber(secrets: (string | undefined)[]): Scrubber {
    const all = secrets.filter((s): s is string => typeof s === "string" && s.length > 0).flatMap(variants)
        .filter((v) => v.length >= MIN_SUBSTRING_LENGTH);
    return (text) => scrubText(text, all);
}

/**
 * The environment for the child: this process's, minus every variable whose value holds one of the
 * secrets (exactly, or as a substring for values long enough to tell).
 */
export function childEnvironment(base: NodeJS.ProcessEnv, secrets: (string | undefined)[]): NodeJS.ProcessEnv {
    const vals = secrets.filter((s): s is string => typeof s === "string" && s.length > 0);
    const out: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(base)) {
        if (v === undefined) continue;
        const holdsSecret = vals.some((s) => v === s || (s.length >= MIN_SUBSTRING_LENGTH && v.includes(s)));
        if (!holdsSecret) out[k] = v;
    }
    return out;
}
