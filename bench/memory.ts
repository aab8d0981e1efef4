// Peak memory from /proc: VmHWM is a process's peak resident set size, kept by the kernel for the
// process's whole life. For engine runs, the processes of interest (the Pulumi CLI and Pulumi's
// dynamic-provider host, a node process) are descendants of the bench process; a sampler walks
// them every few hundred milliseconds and keeps the highest VmHWM seen per kind.
import * as fs from "node:fs";

export function readVmHwmKb(pid: number): number | undefined {
    try {
        const m = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) : undefined;
    } catch { return undefined; }
}

function parentOf(pid: number): number | undefined {
    try {
        // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so split after the last ")"
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch { return undefined; }
}

function cmdline(pid: number): string[] {
    try { return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean); } catch { return []; }
}

/** Every live descendant of `root`. */
export function descendants(root: number): number[] {
    const parents = new Map<number, number>();
    for (const d of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(d)) continue;
        const pp = parentOf(Number(d));
        if (pp !== undefined) parents.set(Number(d), pp);
    }
    const out: number[] = [];
    for (const pid of parents.keys()) {
        for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) {
            if (p === root) { out.push(pid); break; }
        }
    }
    return out;
}

export type ProcessKind = "cli" | "providerHost" | "languageHost" | "program" | "other";

export function kindOf(argv: string[]): ProcessKind {
    const joined = argv.join(" ");
    if (joined.includes("@pulumi/pulumi/cmd/dynamic-provider")) return "providerHost";
    if (/pulumi-language-nodejs/.test(argv[0] ?? "")) return "languageHost";
    if (/\/pulumi$|^pulumi$/.test(argv[0] ?? "")) return "cli";
    if (joined.includes("@pulumi/pulumi/cmd/run") && !joined.includes("run-plugin")) return "program";
    return "other";
}

export interface ProcessSample {
    /** highest VmHWM seen per kind, in kB */
    peakKb: Record<ProcessKind, number>;
    /** CPU seconds per kind, as last seen before each process exited (up to one interval is missed) */
    cpuS: Record<ProcessKind, number>;
}

export interface MemorySampler {
    stop(): ProcessSample;
}

/** Own utime + stime of a process, in seconds. */
function ownCpuSeconds(pid: number): number | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return (Number(f[11]) + Number(f[12])) / 100;
    } catch { return undefined; }
}

export function sampleDescendants(root: number, intervalMs = 200): MemorySampler {
    const peak: Record<ProcessKind, number> = { cli: 0, providerHost: 0, languageHost: 0, program: 0, other: 0 };
    const kinds = new Map<number, ProcessKind>();
    const cpu = new Map<number, number>();
    const tick = () => {
        for (const pid of descendants(root)) {
            let k = kinds.get(pid);
            if (!k) { k = kindOf(cmdline(pid)); kinds.set(pid, k); }
            const hwm = readVmHwmKb(pid);
            if (hwm !== undefined && hwm > peak[k]) peak[k] = hwm;
            const c = ownCpuSeconds(pid);
            if (c !== undefined) cpu.set(pid, c);
        }
    };
    const timer = setInterval(tick, intervalMs);
    tick();
    return {
        stop: () => {
            clearInterval(timer);
            tick();
            const cpuS: Record<ProcessKind, number> = { cli: 0, providerHost: 0, languageHost: 0, program: 0, other: 0 };
            for (const [pid, c] of cpu) cpuS[kinds.get(pid) ?? "other"] += c;
            return { peakKb: { ...peak }, cpuS };
        },
    };
}
