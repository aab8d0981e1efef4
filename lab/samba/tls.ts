// Gives a DC its LDAPS certificate from the lab CA, copied into the DC's own tls/ dir
// (Samba insists the key is mode 600 and owned by the user it runs as).
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { ensureLabCa, issueServerCert } from "../ca";
import { LabForest } from "../layout";
import { DcPaths } from "./paths";

/** Path of the lab CA certificate; the same file ensureLabCa() creates. */
export function labCaCertPath(labDir: string): string {
    return path.join(labDir, "ca", "ca.pem");
}

export function readLabCaPem(labDir: string): string {
    const p = labCaCertPath(labDir);
    if (!fs.existsSync(p)) throw new Error(`lab CA not found at ${p}: provision the forest first`);
    return fs.readFileSync(p, "utf8");
}

/** True if the certificate names exactly this DC (a forest re-created on another IP needs a new one). */
function certMatches(certPath: string, forest: LabForest): boolean {
    const san = new crypto.X509Certificate(fs.readFileSync(certPath)).subjectAltName ?? "";
    const names = san.split(",").map((s) => s.trim());
    return names.includes(`DNS:${forest.dcHostName}`) && names.includes(`IP Address:${forest.ip}`);
}

export function installDcCertificate(labDir: string, forest: LabForest, p: DcPaths): void {
    const ca = ensureLabCa(labDir);
    const certName = `dc-${forest.name}`;
    let cert = issueServerCert(ca, certName, [forest.dcHostName], [forest.ip]);
    if (!certMatches(cert.certPath, forest)) {
        // issueServerCert reuses a cert by name; this one is for another host/IP, so issue afresh
        fs.rmSync(cert.certPath, { force: true });
        fs.rmSync(cert.keyPath, { force: true });
        cert = issueServerCert(ca, certName, [forest.dcHostName], [forest.ip]);
    }
    fs.mkdirSync(p.tlsDir, { recursive: true, mode: 0o700 });
    fs.copyFileSync(cert.keyPath, path.join(p.tlsDir, "key.pem"));
    fs.chmodSync(path.join(p.tlsDir, "key.pem"), 0o600);
    fs.copyFileSync(cert.certPath, path.join(p.tlsDir, "cert.pem"));
    fs.copyFileSync(ca.certPath, path.join(p.tlsDir, "ca.pem"));
}
