// PEM certificates (a private CA to trust). Parsed here, without I/O, so a text that merely has the
// BEGIN line is refused in check rather than when the first TLS connection builds its context.
import { X509Certificate } from "node:crypto";
import { characterProblem } from "./text";

const BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function pemCertificateProblem(path: string, v: unknown): string | undefined {
    const expected = `${path} must be PEM text of one or more certificates (-----BEGIN CERTIFICATE-----...)`;
    if (typeof v !== "string" || characterProblem(v, { lineBreaks: true })) return expected;
    const blocks = v.match(BLOCK) ?? [];
    if (blocks.length === 0) return expected;
    // what is left between the blocks must be blank: a private key pasted along would be stored in state
    if (v.replace(BLOCK, "").trim() !== "") return `${path} holds something besides certificates; give only the CA certificate(s)`;
    for (const [i, pem] of blocks.entries()) {
        try { new X509Certificate(pem); } catch { return `${path}: certificate ${i + 1} is not a valid X.509 certificate`; }
    }
    return undefined;
}
