// Installs Samba's AD DC from Debian packages, without letting the packages start the system's
// own smbd/nmbd/samba-ad-dc: those would listen on every interface and take 139/445.
import * as fs from "node:fs";
import * as path from "node:path";
import { runOrThrow } from "./run";

/** samba-ad-provision is only a Recommends of samba-ad-dc, but provisioning fails without its schema files. */
export const SAMBA_PACKAGES = ["samba", "samba-ad-dc", "samba-ad-provision", "ldb-tools", "winbind"];

const POLICY_RC_D = "/usr/sbin/policy-rc.d";
const SEARCH_DIRS = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** Absolute path of an executable, looked up in PATH and the sbin dirs (root's PATH may lack /usr/sbin). */
export function findExecutable(name: string): string | undefined {
    const dirs = [...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean), ...SEARCH_DIRS];
    for (const d of dirs) {
        const p = path.join(d, name);
        try { fs.accessSync(p, fs.constants.X_OK); return p; } catch { /* keep looking */ }
    }
    return undefined;
}

export function sambaIsInstalled(): boolean {
    return findExecutable("samba") !== undefined && findExecutable("samba-tool") !== undefined
        && fs.existsSync("/usr/share/samba/setup/ad-schema"); // samba-ad-provision's schema files
}

// One install at a time per process: parallel callers share the same promise.
let installing: Promise<void> | undefined;

export function ensureSambaInstalled(log: (s: string) => void = () => {}): Promise<void> {
    if (sambaIsInstalled()) return Promise.resolve();
    installing ??= install(log).finally(() => { installing = undefined; });
    return installing;
}

async function install(log: (s: string) => void): Promise<void> {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    // Block service starts during the install unless the machine already does (Docker images ship one).
    const ownGuard = !fs.existsSync(POLICY_RC_D);
    if (ownGuard) fs.writeFileSync(POLICY_RC_D, "#!/bin/sh\n# written by the entra-kerberos lab for the duration of an apt-get install\nexit 101\n", { mode: 0o755 });
    try {
        const t0 = Date.now();
        log("samba: apt-get update");
        await runOrThrow("apt-get update", "apt-get", ["update"], { env });
        log(`samba: apt-get install ${SAMBA_PACKAGES.join(" ")}`);
        await runOrThrow("apt-get install", "apt-get",
            ["install", "-y", "--no-install-recommends", "-o", "Dpkg::Options::=--force-confold", ...SAMBA_PACKAGES], { env });
        log(`samba: installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } finally {
        if (ownGuard) fs.rmSync(POLICY_RC_D, { force: true });
    }
    if (!sambaIsInstalled()) throw new Error("samba packages installed but samba/samba-tool/ad-schema not found");
}
