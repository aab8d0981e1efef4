// Starting and stopping one lab DC: `samba -F` in its own session/process group, detached from
// the caller so a DC outlives `lab up`; stopped by its recorded PID, never by name.
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import { LabForest } from "../layout";
import { findExecutable } from "./install";
import { checkSpec, dcPaths, DcPaths } from "./paths";
import { ldapsAnswers, tcpPortAnswers } from "./probe";
import { isSambaFor, liveGroupMembers, readPidFile, signalGroup, sleep } from "./procs";
import { envWithoutSecrets, tail } from "./run";
import { readLabCaPem } from "./tls";

export const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

/** The PID of the running samba master of this DC, from our launcher.pid or samba's own pid file. */
function runningPid(p: DcPaths): number | undefined {
    for (const file of [p.launcherPid, `${p.runDir}/samba.pid`]) {
        const pid = readPidFile(file);
        if (pid && isSambaFor(pid, p.dir)) return pid;
    }
    return undefined;
}

function outputSince(file: string, offset: number): string {
    try {
        const buf = fs.readFileSync(file);
        return buf.subarray(Math.min(offset, buf.length)).toString("utf8");
    } catch {
        return "";
    }
}

/** Waits until verified LDAPS answers, or throws once `deadReason()` reports the process gone or time runs out. */
async function waitForLdaps(forest: LabForest, caPem: string, deadReason: () => string | undefined, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const dead = deadReason();
        if (dead) throw new Error(dead);
        if (await ldapsAnswers(forest, caPem, 2000)) return;
        if (Date.now() > deadline) throw new Error(`no verified LDAPS answer on ${forest.ip}:636 within ${timeoutMs / 1000} s`);
        await sleep(200);
    }
}

export async function startDc(labDir: string, forest: LabForest): Promise<number> {
    checkSpec(forest);
    const p = dcPaths(labDir, forest.name);
    if (!fs.existsSync(p.provisioned)) throw new Error(`forest ${forest.name} is not provisioned (${p.dir})`);
    const caPem = readLabCaPem(labDir);

    const existing = runningPid(p);
    if (existing) {
        fs.writeFileSync(p.launcherPid, `${existing}\n`); // may have been found via samba's own pid file
        await waitForLdaps(forest, caPem, () => (isSambaFor(existing, p.dir) ? undefined : `samba ${existing} exited`), START_TIMEOUT_MS);
        return existing;
    }
    // Samba would fail to bind and exit, but a foreign listener could answer our probe first.
    if (await tcpPortAnswers(forest.ip, 636)) throw new Error(`${forest.ip}:636 is already in use by another process (another lab's DC?); forest ${forest.name} not started`);
    const sambaBin = findExecutable("samba");
    if (!sambaBin) throw new Error("samba is not installed: call ensureSambaInstalled() first");

    fs.mkdirSync(p.logDir, { recursive: true });
    fs.mkdirSync(p.runDir, { recursive: true });
    // No samba of ours runs, so samba's own pid file is stale; a reused PID in it would block start.
    fs.rmSync(`${p.runDir}/samba.pid`, { force: true });
    const out = fs.openSync(p.sambaOut, "a");
    const offset = fs.fstatSync(out).size; // error messages show this run's output only
    let child: ChildProcess;
    try {
        // detached = setsid(): own session and process group (pgid == pid), so stopDc can signal the group.
        child = spawn(sambaBin, ["-F", "--debug-stdout", "-s", p.conf], { detached: true, stdio: ["ignore", out, out], cwd: p.dir, env: envWithoutSecrets() });
    } finally {
        fs.closeSync(out);
    }
    let exit: string | undefined;
    child.once("exit", (code, signal) => { exit = `samba exited during start (${signal ?? `code ${code}`})`; });
    child.once("error", (e) => { exit = `samba could not be started: ${e.message}`; });
    child.unref();
    const pid = child.pid;
    if (pid === undefined) {
        await sleep(50); // the 'error' event carries the reason
        throw new Error(exit ?? "samba could not be started");
    }
    fs.writeFileSync(p.launcherPid, `${pid}\n`);

    try {
        await waitForLdaps(forest, caPem, () => exit, START_TIMEOUT_MS);
    } catch (e) {
        await stopDc(labDir, forest).catch(() => { /* report the start failure, not this */ });
        throw new Error(`forest ${forest.name}: ${(e as Error).message}\n--- ${p.sambaOut} (tail) ---\n${tail(outputSince(p.sambaOut, offset))}`);
    }
    return pid;
}

export async function stopDc(labDir: string, forest: LabForest): Promise<void> {
    const p = dcPaths(labDir, forest.name);
    // The group is what we signal: its leader may already be gone while forked workers remain.
    const pgid = runningPid(p) ?? readPidFile(p.launcherPid);
    const ours = () => (pgid ? liveGroupMembers(pgid).filter((m) => isSambaFor(m, p.dir)) : []);
    if (pgid && ours().length > 0) {
        signalGroup(pgid, "SIGTERM");
        if (!(await waitUntil(() => ours().length === 0, STOP_GRACE_MS))) {
            signalGroup(pgid, "SIGKILL");
            if (!(await waitUntil(() => ours().length === 0, 5000))) {
                throw new Error(`forest ${forest.name}: samba process group ${pgid} survived SIGKILL: ${ours().join(" ")}`);
            }
        }
    }
    fs.rmSync(p.launcherPid, { force: true });
}

async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
        if (Date.now() > deadline) return false;
        await sleep(50);
    }
    return true;
}

export async function dcStatus(labDir: string, forest: LabForest): Promise<{ running: boolean; pid?: number; ldapsOk: boolean }> {
    const p = dcPaths(labDir, forest.name);
    const pid = runningPid(p);
    if (!pid) return { running: false, ldapsOk: false };
    let caPem: string;
    try { caPem = readLabCaPem(labDir); } catch { return { running: true, pid, ldapsOk: false }; }
    return { running: true, pid, ldapsOk: await ldapsAnswers(forest, caPem) };
}
