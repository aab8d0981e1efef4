// Scenario (a): provider-level reads of N Kerberos servers, each N in fresh worker processes
// (provider-read.ts), latency on, repeated; the run with the median wall time is reported.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { cpuMeter, type CpuUse } from "./cpu";
import type { ProxyStats } from "./delay-proxy";
import { countGraphRequests, type GraphCounts } from "./emulator-admin";
import { serverInputs, type BenchSetup } from "./fixtures";
import { lowerBoundMs } from "./lower-bound";
import type { ReadResult } from "./provider-read";
import { median } from "./stats";

const run = promisify(execFile);

export interface ProviderRow {
    n: number;
    concurrency: number;
    /** every repetition's wall time, ms */
    wallsMs: number[];
    /** the median repetition */
    result: ReadResult;
    graph: GraphCounts;
    proxy: ProxyStats;
    cpu: CpuUse;
    lowerBoundMs: number;
}

export interface ProviderLevelOptions extends BenchSetup {
    concurrency: number;
    sizes: number[];
    repetitions: number;
    log: (l: string) => void;
}

async function readOnce(o: ProviderLevelOptions, n: number): Promise<{ result: ReadResult; graph: GraphCounts; proxy: ProxyStats; cpu: CpuUse }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-read-"));
    try {
        const job = path.join(dir, "job.json");
        fs.writeFileSync(job, JSON.stringify({ props: o.domains.slice(0, n).map((d) => serverInputs(o.lab, d.forest, d.url, o.ca)), concurrency: o.concurrency }));
        await o.admin.clearRequestLog();
        await o.proxy.resetStats();
        const meter = cpuMeter(o.lab, o.proxy.pid);
        const { stdout } = await run(process.execPath, [path.join(__dirname, "provider-read.js"), job], {
            env: { ...process.env, ...o.lab.secrets }, maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000,
        });
        const result = JSON.parse(stdout.trim().split("\n").pop()!) as ReadResult;
        const cpu = meter(result.cpuS);
        return { result, graph: countGraphRequests(await o.admin.requestLog()), proxy: await o.proxy.stats(), cpu };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

export async function providerLevel(o: ProviderLevelOptions): Promise<ProviderRow[]> {
    const rows: ProviderRow[] = [];
    for (const n of o.sizes) {
        const runs = [];
        for (let r = 0; r < o.repetitions; r++) {
            const one = await readOnce(o, n);
            o.log(`  provider-level N=${n} run ${r + 1}: ${(one.result.wallMs / 1000).toFixed(2)} s, ` +
                `${one.result.failed} failed, ${one.result.notInSync} not in sync${one.result.firstProblems.length ? ` (${one.result.firstProblems[0]})` : ""}`);
            runs.push(one);
        }
        const walls = runs.map((x) => x.result.wallMs);
        const mid = median(walls);
        const chosen = runs.reduce((best, x) => (Math.abs(x.result.wallMs - mid) < Math.abs(best.result.wallMs - mid) ? x : best));
        rows.push({ n, concurrency: o.concurrency, wallsMs: walls, ...chosen, lowerBoundMs: lowerBoundMs(n, o.concurrency, o.latency) });
    }
    return rows;
}
