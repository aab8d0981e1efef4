// The lab's private certificate authority: one CA per lab directory, and server certificates
// it signs for each DC and for the Graph emulator. openssl does the work; keys stay mode 600.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface LabCa { dir: string; certPath: string; keyPath: string }
export interface ServerCert { certPath: string; keyPath: string }

function openssl(args: string[], cwd: string): void {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** Creates the CA under <labDir>/ca once; later calls reuse it. */
export function ensureLabCa(labDir: string): LabCa {
    const dir = path.join(labDir, "ca");
    const ca: LabCa = { dir, certPath: path.join(dir, "ca.pem"), keyPath: path.join(dir, "ca.key") };
    if (fs.existsSync(ca.certPath) && fs.existsSync(ca.keyPath)) return ca;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "3650",
        "-subj", "/CN=Entra Kerberos Lab Root CA/O=lab.test",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout", ca.keyPath, "-out", ca.certPath], dir);
    fs.chmodSync(ca.keyPath, 0o600);
    return ca;
}

/** Issues (or reuses) a serverAuth certificate for the given DNS names and IPs. */
export function issueServerCert(ca: LabCa, name: string, dnsNames: string[], ips: string[]): ServerCert {
    const out: ServerCert = { certPath: path.join(ca.dir, `${name}.crt`), keyPath: path.join(ca.dir, `${name}.key`) };
    if (fs.existsSync(out.certPath) && fs.existsSync(out.keyPath)) return out;
    const csr = path.join(ca.dir, `${name}.csr`);
    const ext = path.join(ca.dir, `${name}.ext`);
    const san = [...dnsNames.map((d) => `DNS:${d}`), ...ips.map((i) => `IP:${i}`)].join(",");
    fs.writeFileSync(ext, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`);
    openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", `/CN=${dnsNames[0] ?? ips[0]}`,
        "-keyout", out.keyPath, "-out", csr], ca.dir);
    openssl(["x509", "-req", "-in", csr, "-CA", ca.certPath, "-CAkey", ca.keyPath, "-CAcreateserial", "-days", "3650",
        "-sha256", "-extfile", ext, "-out", out.certPath], ca.dir);
    fs.chmodSync(out.keyPath, 0o600);
    fs.rmSync(csr);
    return out;
}
