// Background processes the lab starts (the emulator; Samba DCs have their own launcher): started
// detached in their own process group, recorded by PID in a file, stopped by that PID.
import { spawn } from "node:child_process";
import * as fs from "node:fs";

/** Alive and not a zombie (this machine's init reaps orphans late, so an exited child can linger as Z). */
export function isRunning(pid: number | undefined): pid is number {
    if (!pid) return false;
    try { return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8")); } catch { return false; }
}

export function readPid(pidFile: string): number | undefined {
    try {
        const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
        return isRunning(pid) ? pid : undefined;
    } catch { return undefined; }
}

/** Starts `command args` detached with stdout/stderr appended to logFile; env carries secrets, never argv. */
export function startDetached(command: string, args: string[], opts: { pidFile: string; logFile: string; env: NodeJS.ProcessEnv; cwd: string }): number {
    const log = fs.openSync(opts.logFile, "a", 0o600);
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ["ignore", log, log] });
    fs.closeSync(log);
    child.unref();
    fs.writeFileSync(opts.pidFile, String(child.pid), { mode: 0o600 });
    return child.pid!;
}

/** SIGTERM to the process group, then SIGKILL after a grace period; removes the pid file. */
export async function stopByPidFile(pidFile: string, graceMs = 10_000): Promise<boolean> {
    const pid = readPid(pidFile);
    fs.rmSync(pidFile, { force: true });
    if (!pid) return false;
    const signal = (s: NodeJS.Signals) => { try { process.kill(-pid, s); } catch { try { process.kill(pid, s); } catch { /* gone */ } } };
    signal("SIGTERM");
    const deadline = Date.now() + graceMs;
    while (isRunning(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isRunning(pid)) signal("SIGKILL");
    return true;
}
