// Provisions one lab forest (a single-DC domain) into <labDir>/dcs/<name>, once.
import * as fs from "node:fs";
import * as path from "node:path";
import { ForestSpec, LabForest } from "../layout";
import { findExecutable } from "./install";
import { stopDc } from "./lifecycle";
import { checkSpec, DC_HOST, dcPaths, DcPaths, labForestOf } from "./paths";
import { envWithoutSecrets, runOrThrow } from "./run";
import { renderSmbConf } from "./smbconf";
import { hasSnapshot, takeSnapshot } from "./snapshot";
import { installDcCertificate } from "./tls";

/**
 * samba-tool only takes the admin password as --adminpass on its command line, where `ps` shows
 * it. This shim reads it from stdin and appends it to sys.argv inside the Python process, so
 * /proc/<pid>/cmdline never contains it. argv[1] is the samba-tool script, run as __main__.
 */
const ADMINPASS_FROM_STDIN = [
    "import runpy, sys",
    "pw = sys.stdin.readline().rstrip('\\n')",
    "sys.argv = sys.argv[1:] + ['--adminpass=' + pw]",
    "runpy.run_path(sys.argv[0], run_name='__main__')",
].join("\n");

/**
 * The Python that samba-tool's shebang names (Debian's /usr/bin/python3): a `python3` found first
 * in PATH (pyenv, venv) has no `samba` module.
 */
function interpreterOf(script: string): string {
    const first = fs.readFileSync(script, "utf8").split("\n", 1)[0];
    const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
    if (!m) return "/usr/bin/python3";
    // "#!/usr/bin/env python3" would find the wrong python again; Debian's is the one with samba
    return m[1].endsWith("/env") ? "/usr/bin/python3" : m[1];
}

export function isProvisioned(p: DcPaths): boolean {
    return fs.existsSync(p.provisioned) && hasSnapshot(p);
}

export async function provisionForest(labDir: string, spec: ForestSpec, adminPassword: string): Promise<LabForest> {
    checkSpec(spec);
    const forest = labForestOf(spec);
    const p = dcPaths(labDir, spec.name);
    if (isProvisioned(p)) return forest;
    // one line on stdin carries it to samba-tool (see ADMINPASS_FROM_STDIN)
    if (!adminPassword || /[\r\n\0]/.test(adminPassword)) throw new Error(`forest ${spec.name}: the admin password must be non-empty and on one line`);
    const sambaTool = findExecutable("samba-tool");
    if (!sambaTool) throw new Error("samba-tool is not installed: call ensureSambaInstalled() first");

    // A tree without marker + snapshot is a provision that did not finish: start from scratch
    // (stopping first, in case a DC was somehow left running on the old tree).
    await stopDc(labDir, forest);
    fs.rmSync(p.dir, { recursive: true, force: true });
    fs.rmSync(p.snapshot, { recursive: true, force: true });
    for (const d of [path.dirname(p.conf), p.logDir, p.runDir]) fs.mkdirSync(d, { recursive: true });
    fs.chmodSync(p.dir, 0o700); // private/ holds the domain's secrets
    fs.writeFileSync(p.conf, renderSmbConf(forest, p));
    installDcCertificate(labDir, forest, p);

    const t0 = Date.now();
    const output = await runOrThrow(`samba-tool domain provision (${spec.name})`, interpreterOf(sambaTool), [
        "-c", ADMINPASS_FROM_STDIN, sambaTool,
        "domain", "provision", "-s", p.conf, `--targetdir=${p.dir}`,
        `--realm=${forest.realm}`, `--domain=${spec.name.toUpperCase()}`, "--server-role=dc",
        "--dns-backend=SAMBA_INTERNAL", `--host-name=${DC_HOST}`,
    ], { input: `${adminPassword}\n`, secrets: [adminPassword], cwd: p.dir, env: envWithoutSecrets({ LANG: "C.UTF-8" }) });
    fs.writeFileSync(path.join(p.logDir, "provision.out"), output); // already redacted

    // Marker first, then the snapshot (which therefore contains the marker); provisioned = both exist.
    fs.writeFileSync(p.provisioned, JSON.stringify({ forest, provisionedAt: new Date().toISOString(), provisionSeconds: (Date.now() - t0) / 1000 }, null, 2) + "\n");
    await takeSnapshot(p);
    return forest;
}
