// Process bookkeeping by PID, via /proc: which recorded PID is still our samba, and which members
// of its process group are still alive. Nothing here matches processes by name.
import * as fs from "node:fs";
import * as path from "node:path";

interface ProcInfo { pid: number; pgid: number; state: string }

function procInfo(pid: number): ProcInfo | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // "pid (comm) state ppid pgrp ...": comm may contain spaces/parens, so split after the last ')'
        const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return { pid, state: rest[0], pgid: Number(rest[2]) };
    } catch {
        return undefined;
    }
}

function link(pid: number, what: "exe" | "cwd"): string {
    try { return fs.readlinkSync(`/proc/${pid}/${what}`).replace(/ \(deleted\)$/, ""); } catch { return ""; }
}

/**
 * A live (non-zombie) samba process of the DC in `dcDir`: guards against PID reuse. The command
 * line is no use here (samba rewrites it to "samba: root process", "samba: task[ldap] ..."), so
 * this checks the executable and the working directory, which startDc sets to the DC's dir and
 * which every forked samba process inherits.
 */
export function isSambaFor(pid: number, dcDir: string): boolean {
    const info = procInfo(pid);
    if (!info || info.state === "Z") return false;
    return path.basename(link(pid, "exe")) === "samba" && link(pid, "cwd") === path.resolve(dcDir);
}

/**
 * Live members of a process group. Zombies are left out: if PID 1 does not reap orphans
 * (some container inits don't), exited samba children linger as zombies in the group.
 */
export function liveGroupMembers(pgid: number): number[] {
    const out: number[] = [];
    for (const name of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(name)) continue;
        const info = procInfo(Number(name));
        if (info && info.pgid === pgid && info.state !== "Z") out.push(info.pid);
    }
    return out;
}

/** Sends a signal to a whole process group; false if the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
    try { process.kill(-pgid, signal); return true; } catch { return false; }
}

export function readPidFile(file: string): number | undefined {
    try {
        const pid = Number(fs.readFileSync(file, "utf8").trim());
        return Number.isInteger(pid) && pid > 1 ? pid : undefined;
    } catch {
        return undefined;
    }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
