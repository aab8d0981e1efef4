// The benchmark's own lab, beside any developer's lab: its own directory, DC addresses, emulator
// port and stack-config directory (so `lab up` never rewrites the repo's Pulumi.lab.yaml). It is
// driven through the lab CLI like a user would, started if it is not running and stopped at the end
// only if this run started it. It is reset first, so every run starts from the same state.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { LabInfo } from "../lab/layout";

const run = promisify(execFile);

export interface BenchLabSettings {
    dir: string;
    ipBase: string;
    port: number;
}

export const DEFAULT_BENCH_LAB: BenchLabSettings = { dir: "/tmp/bench-lab", ipBase: "127.0.0.80", port: 47843 };

export function benchLabSettings(env: NodeJS.ProcessEnv = process.env): BenchLabSettings {
    return {
        dir: env.BENCH_LAB_DIR ?? DEFAULT_BENCH_LAB.dir,
        ipBase: env.BENCH_LAB_IP_BASE ?? DEFAULT_BENCH_LAB.ipBase,
        port: Number(env.BENCH_LAB_PORT ?? DEFAULT_BENCH_LAB.port),
    };
}

/** The environment that moves every lab command to the bench lab. */
export function benchLabEnv(s: BenchLabSettings): NodeJS.ProcessEnv {
    return {
        ...process.env,
        ENTRA_KERBEROS_LAB_DIR: s.dir,
        ENTRA_KERBEROS_LAB_IP_BASE: s.ipBase,
        ENTRA_KERBEROS_LAB_PORT: String(s.port),
        ENTRA_KERBEROS_LAB_STACK_DIR: s.dir,
    };
}

const REPO = path.resolve(__dirname, "../..");
const CLI = path.join(REPO, "bin/lab/cli.js");

/** Refuses settings that would land on the default lab (its directory, addresses or port). */
function guard(s: BenchLabSettings): void {
    if (path.resolve(s.dir) === path.join(REPO, ".lab")) throw new Error(`bench lab dir ${s.dir} is the default lab's`);
    if (s.ipBase === "127.0.0.2" || s.port === 47443) throw new Error("bench lab settings collide with the default lab (127.0.0.2-4, port 47443)");
}

async function labCli(s: BenchLabSettings, command: string, log: (l: string) => void): Promise<{ code: number; out: string }> {
    try {
        const r = await run(process.execPath, [CLI, command], { env: benchLabEnv(s), cwd: REPO, maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 });
        if (r.stderr.trim()) log(r.stderr.trim());
        return { code: 0, out: r.stdout };
    } catch (e) {
        const err = e as { code?: number; stdout?: string; stderr?: string };
        if (err.stderr?.trim()) log(err.stderr.trim());
        return { code: typeof err.code === "number" ? err.code : 1, out: err.stdout ?? "" };
    }
}

export interface BenchLab {
    lab: LabInfo;
    settings: BenchLabSettings;
    /** true when this run started the lab (and so stops it) */
    startedHere: boolean;
    stop(): Promise<void>;
}

export async function ensureBenchLab(s: BenchLabSettings, log: (l: string) => void): Promise<BenchLab> {
    guard(s);
    const running = (await labCli(s, "status", () => undefined)).code === 0;
    if (!running) {
        log(`bench lab: starting in ${s.dir} (DCs from ${s.ipBase}, emulator port ${s.port})`);
        const up = await labCli(s, "up", log);
        if (up.code !== 0) throw new Error(`bench lab: \`lab up\` failed (exit ${up.code})`);
    } else {
        log(`bench lab: reusing the one running in ${s.dir}`);
    }
    log("bench lab: reset (every domain and the tenant back to their just-provisioned state)");
    const reset = await labCli(s, "reset", log);
    if (reset.code !== 0) throw new Error(`bench lab: \`lab reset\` failed (exit ${reset.code})`);
    const lab = JSON.parse(fs.readFileSync(path.join(s.dir, "lab.json"), "utf8")) as LabInfo;
    return {
        lab, settings: s, startedHere: !running,
        stop: async () => {
            if (running) return;
            log("bench lab: stopping (this run started it)");
            await labCli(s, "down", log);
        },
    };
}
