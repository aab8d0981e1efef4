// Where the lab lives on disk and what `lab up` writes to .lab/lab.json.
// Everything the lab creates stays under one directory (default: <repo>/.lab, git-ignored),
// and every address it binds is on loopback.
import * as path from "node:path";

export interface ForestSpec {
    /** short name, also the NetBIOS domain (upper-cased) */
    name: string;
    /** DNS name of the forest root domain (one domain per lab forest) */
    domain: string;
    /** the loopback address the DC binds (LDAP ports are fixed in Samba, so one address per DC) */
    ip: string;
}

export const DEFAULT_FORESTS: ForestSpec[] = [
    { name: "corp", domain: "corp.lab.test", ip: "127.0.0.2" },
    { name: "fabrikam", domain: "fabrikam.lab.test", ip: "127.0.0.3" },
    { name: "contoso", domain: "contoso.lab.test", ip: "127.0.0.4" },
];

export const EMULATOR_HOST = "127.0.0.1";
export const EMULATOR_PORT = 47443;

/**
 * The forests and emulator port of this lab. A second lab can run beside the default one (the lab's
 * own CLI test does this) by moving it: ENTRA_KERBEROS_LAB_IP_BASE=127.0.0.50 puts its DCs on .50,
 * .51, .52 and ENTRA_KERBEROS_LAB_PORT its emulator on another port.
 */
export function labForestSpecs(env: NodeJS.ProcessEnv = process.env): ForestSpec[] {
    const base = env.ENTRA_KERBEROS_LAB_IP_BASE;
    if (!base) return DEFAULT_FORESTS;
    const m = /^127\.(\d+)\.(\d+)\.(\d+)$/.exec(base);
    if (!m || Number(m[3]) + DEFAULT_FORESTS.length > 255) throw new Error(`ENTRA_KERBEROS_LAB_IP_BASE ${base} must be a 127.x.y.z address with room for ${DEFAULT_FORESTS.length} DCs`);
    return DEFAULT_FORESTS.map((f, i) => ({ ...f, ip: `127.${m[1]}.${m[2]}.${Number(m[3]) + i}` }));
}

export function labEmulatorUrl(env: NodeJS.ProcessEnv = process.env): string {
    return `https://${EMULATOR_HOST}:${Number(env.ENTRA_KERBEROS_LAB_PORT ?? EMULATOR_PORT)}`;
}

/** One lab forest as recorded in lab.json. */
export interface LabForest extends ForestSpec {
    realm: string;                 // upper-cased domain
    baseDn: string;                // DC=corp,DC=lab,DC=test
    dcHostName: string;            // dc1.corp.lab.test
    ldapsUrl: string;              // ldaps://127.0.0.2:636
    adminUpn: string;              // Administrator@corp.lab.test
    adminDn: string;
    adminPasswordEnv: string;      // name of the env var the lab CLI exports for SecretRef { env }
}

export interface LabGraphApp {
    clientId: string;
    clientSecretEnv: string;       // the lab writes the secret itself into lab.json's `secrets`
    roles: string[];               // Graph application permissions granted to the app
}

/** .lab/lab.json. `secrets` is the only place lab secrets are written (git-ignored, mode 600). */
export interface LabInfo {
    version: 1;
    labDir: string;
    caCertPath: string;
    forests: LabForest[];
    emulator: {
        url: string;               // https://127.0.0.1:47443 (Graph base URL, authority host and lab publisher)
        tenantId: string;
        app: LabGraphApp;
        pid?: number;
    };
    publisher: { endpoint: string };
    secrets: Record<string, string>; // env-var name -> value, e.g. LAB_CORP_ADMIN_PASSWORD
}

export function repoRoot(): string {
    // compiled files live in bin/lab, sources in lab/: both are two levels below the root
    const here = __dirname;
    return path.basename(path.dirname(here)) === "bin" ? path.resolve(here, "../..") : path.resolve(here, "..");
}

export function defaultLabDir(): string {
    return process.env.ENTRA_KERBEROS_LAB_DIR ?? path.join(repoRoot(), ".lab");
}

export function labJsonPath(labDir = defaultLabDir()): string {
    return path.join(labDir, "lab.json");
}

export function baseDnOf(domain: string): string {
    return domain.split(".").map((p) => `DC=${p}`).join(",");
}
