// Scans a text for every secret the lab uses: exact values (passwords, the Graph client secret,
// private keys given as values) and shapes no value list can name (access tokens the provider got
// at run time, PEM private-key blocks). Records each scan; returns what was found, by name only.
import { record } from "./results";

export interface NamedSecret {
    /** how to name it in a failure message (never the value) */
    name: string;
    value: string;
}

const SHAPES: { name: string; re: RegExp }[] = [
    // a JWT: what the emulator issues as access tokens, and what federated assertions are
    { name: "a JWT (access token or assertion)", re: /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
    { name: "a PEM private key", re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
    { name: "a bearer header", re: /Bearer\s+[A-Za-z0-9._~+/=-]{20,}/ },
];

/** Secret values worth scanning for: long enough not to match by accident, each line of a PEM body too. */
export function expandSecrets(secrets: NamedSecret[]): NamedSecret[] {
    const out: NamedSecret[] = [];
    for (const s of secrets) {
        if (s.value.length >= 8) out.push(s);
        if (s.value.includes("-----BEGIN")) {
            // a key re-wrapped or re-encoded would not match whole: its base64 lines still would
            for (const line of s.value.split(/\r?\n/)) if (/^[A-Za-z0-9+/=]{40,}$/.test(line)) out.push({ name: `${s.name} (a line of it)`, value: line });
        }
    }
    return out;
}

/** The names of the secrets found in `text` (empty when clean); records the scan. */
export function scanForSecrets(target: string, text: string, secrets: NamedSecret[]): string[] {
    const list = expandSecrets(secrets);
    const found = list.filter((s) => text.includes(s.value)).map((s) => s.name);
    for (const shape of SHAPES) if (shape.re.test(text)) found.push(shape.name);
    record({ kind: "secretScan", target, bytes: Buffer.byteLength(text), secrets: list.length + SHAPES.length, hits: found.length });
    return found;
}
