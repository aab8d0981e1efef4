// The just-provisioned state of a DC, kept beside it so reset can bring the domain back in about
// a second instead of re-provisioning (~7 s). Only ever copied while the DC is stopped: the TDB
// files are not consistent while samba has them open.
import * as fs from "node:fs";
import * as path from "node:path";
import { DcPaths } from "./paths";
import { runOrThrow } from "./run";

// Kept across a restore: logs stay readable, and the launcher pid file is the stopped DC's business.
const KEEP_ON_RESTORE = new Set(["log", "launcher.pid"]);

/** Copies the DC tree (minus logs) to <name>.snapshot; written to a temp name first so a crash never leaves half a snapshot. */
export async function takeSnapshot(p: DcPaths): Promise<void> {
    const tmp = `${p.snapshot}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    // cp -a keeps modes, owners and xattrs (provision stores the sysvol NT ACLs in xattrs)
    await runOrThrow("snapshot copy", "cp", ["-a", "--", p.dir, tmp]);
    for (const keep of KEEP_ON_RESTORE) fs.rmSync(path.join(tmp, keep), { recursive: true, force: true });
    fs.rmSync(p.snapshot, { recursive: true, force: true });
    fs.renameSync(tmp, p.snapshot);
}

export function hasSnapshot(p: DcPaths): boolean {
    return fs.existsSync(p.snapshot);
}

/** Replaces the DC tree with the snapshot (the caller has stopped the DC). */
export async function restoreSnapshot(p: DcPaths): Promise<void> {
    if (!hasSnapshot(p)) throw new Error(`no snapshot at ${p.snapshot}: provision the forest first`);
    for (const entry of fs.readdirSync(p.dir)) {
        if (!KEEP_ON_RESTORE.has(entry)) fs.rmSync(path.join(p.dir, entry), { recursive: true, force: true });
    }
    await runOrThrow("snapshot restore", "cp", ["-a", "--", `${p.snapshot}/.`, p.dir]);
}
