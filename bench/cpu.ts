// CPU seconds by component, from /proc, to explain wall times on a small machine: the provider, the
// lab's DCs (Samba), the emulator (which also runs the lab publisher and its own LDAP reads) and the
// delay proxy all share the same cores. A run cannot be faster than their CPU time / cores, however
// few round trips it makes; the report prints that floor beside the round-trip lower bound.
import * as fs from "node:fs";
import * as path from "node:path";
import type { LabInfo } from "../lab/layout";
import { dcPaths } from "../lab/samba/paths";
import { descendants } from "./memory";

const TICKS = 100; // USER_HZ on Linux

/** utime + stime (+ the CPU of children it has waited for, with `children`), in seconds. */
export function cpuSeconds(pid: number, children = true): number {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // fields 14-17 of stat (utime stime cutime cstime) are at 11-14 after "pid (comm)"
        const own = Number(f[11]) + Number(f[12]);
        return (children ? own + Number(f[13]) + Number(f[14]) : own) / TICKS;
    } catch { return 0; }
}

/** CPU of a process and all its live descendants. */
export function treeCpuSeconds(root: number): number {
    return [root, ...descendants(root)].reduce((s, p) => s + cpuSeconds(p), 0);
}

function pidFrom(file: string): number | undefined {
    try { return Number(fs.readFileSync(file, "utf8").trim()) || undefined; } catch { return undefined; }
}

export interface LabCpu {
    samba: number;
    emulator: number;
}

/** The bench lab's CPU so far: its three Samba process trees and the emulator process. */
export function labCpu(lab: LabInfo): LabCpu {
    let samba = 0;
    for (const f of lab.forests) {
        const pid = pidFrom(path.join(dcPaths(lab.labDir, f.name).runDir, "samba.pid"));
        if (pid) samba += treeCpuSeconds(pid);
    }
    const emu = pidFrom(path.join(lab.labDir, "cloud.pid"));
    return { samba, emulator: emu ? cpuSeconds(emu) : 0 };
}

export interface CpuUse {
    /** the code under test: the provider-level worker, or the Pulumi CLI with its plugins and program */
    provider: number;
    samba: number;
    emulator: number;
    proxy: number;
}

export function totalCpu(c: CpuUse): number {
    return c.provider + c.samba + c.emulator + c.proxy;
}

/** Starts counting; the returned function gives the CPU used since, given the provider's own figure. */
export function cpuMeter(lab: LabInfo, proxyPid: number): (provider: number) => CpuUse {
    const lab0 = labCpu(lab);
    const proxy0 = cpuSeconds(proxyPid);
    return (provider) => {
        const lab1 = labCpu(lab);
        return { provider, samba: lab1.samba - lab0.samba, emulator: lab1.emulator - lab0.emulator, proxy: cpuSeconds(proxyPid) - proxy0 };
    };
}
