// Scenario (b): `pulumi preview --refresh` through the real CLI (Automation API, file backend,
// passphrase secrets, everything in a temporary directory), for stacks of N domains plus the three
// policy resources, and for the same shape of no-op dynamic resources. Each stack grows N = 1 → 10
// → 100 with `pulumi up` (latency off, not measured), then previews with latency on, repeated.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { cpuMeter, cpuSeconds, type CpuUse } from "./cpu";
import type { ProxyStats } from "./delay-proxy";
import { countGraphRequests, type GraphCounts } from "./emulator-admin";
import { policyInputs, serverInputs, type BenchSetup } from "./fixtures";
import { lowerBoundMs } from "./lower-bound";
import { sampleDescendants, type ProcessKind, type ProcessSample } from "./memory";
import { median } from "./stats";

export type StackKind = "real" | "noop";

export interface EngineRow {
    kind: StackKind;
    n: number;
    wallsMs: number[];
    wallMs: number;
    /** what the preview planned, by operation (all "same" when nothing drifted) */
    plan: Record<string, number>;
    /** LDAP round trips of the provider host during the median preview, by kind */
    ldap: Record<string, number>;
    graph: GraphCounts;
    proxy: ProxyStats;
    peakKb: Record<ProcessKind, number>;
    /** CPU seconds by process kind (sampled: the provider host is the dynamic providers' process) */
    cpuByProcess: Record<ProcessKind, number>;
    /** provider = the CLI and everything it ran (program, language host, provider host) */
    cpu: CpuUse;
    lowerBoundMs: number;
}

export interface EngineLevelOptions extends BenchSetup {
    /** the engine's --parallel (its default, stated in the report) */
    parallelism: number;
    sizes: number[];
    repetitions: number;
    pulumiBin: string;
    log: (l: string) => void;
}

const PROGRAM_DIR = path.resolve(__dirname, "../../bench/programs/stack");

interface BenchStack {
    stack: Stack;
    specFile: string;
    probeDir: string;
    dispose(): Promise<void>;
}

async function createStack(o: EngineLevelOptions, kind: StackKind): Promise<BenchStack> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${kind}-`));
    const backend = path.join(dir, "state");
    const probeDir = path.join(dir, "probe");
    fs.mkdirSync(backend);
    fs.mkdirSync(probeDir);
    const specFile = path.join(dir, "spec.json");
    const pulumiCommand = await PulumiCommand.get({ root: path.dirname(o.pulumiBin), skipVersionCheck: true });
    const ws = await LocalWorkspace.create({
        workDir: PROGRAM_DIR,
        pulumiHome: path.join(dir, "home"),
        pulumiCommand,
        envVars: {
            ...o.lab.secrets,
            PATH: `${o.pulumiBin}:${process.env.PATH}`,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
            PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
            NO_COLOR: "1",
            PULUMI_BACKEND_URL: `file://${backend}`,
            PULUMI_CONFIG_PASSPHRASE: randomBytes(12).toString("hex"),
            BENCH_STACK_SPEC: specFile,
            BENCH_PROBE_DIR: probeDir,
            NODE_OPTIONS: `--require ${path.join(__dirname, "probe.js")}${process.env.BENCH_NODE_OPTIONS ? ` ${process.env.BENCH_NODE_OPTIONS}` : ""}`,
        },
    });
    const stackName = `bench${kind}${randomBytes(3).toString("hex")}`;
    const stack = await Stack.create(stackName, ws);
    return {
        stack, specFile, probeDir,
        dispose: async () => {
            await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
            fs.rmSync(path.join(PROGRAM_DIR, `Pulumi.${stackName}.yaml`), { force: true });
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

function writeSpec(o: EngineLevelOptions, s: BenchStack, kind: StackKind, n: number): void {
    const servers = o.domains.slice(0, n).map((d) => ({ name: d.name, args: serverInputs(o.lab, d.forest, d.url, o.ca) }));
    fs.writeFileSync(s.specFile, JSON.stringify({ kind, servers, policies: policyInputs(o.lab, o.ca) }));
}

function probeTotals(dir: string): Record<string, number> {
    const total: Record<string, number> = {};
    for (const f of fs.readdirSync(dir)) {
        const counts = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Record<string, number>;
        for (const [k, v] of Object.entries(counts)) total[k] = (total[k] ?? 0) + v;
        fs.rmSync(path.join(dir, f));
    }
    return total;
}

async function latencyOn(o: EngineLevelOptions, on: boolean): Promise<void> {
    await o.proxy.setDelay(on ? o.latency.ldapRttMs / 2 : 0);
    await o.admin.setLatency(on ? o.latency.graphMs : 0);
}

async function previewOnce(o: EngineLevelOptions, s: BenchStack, kind: StackKind, n: number) {
    probeTotals(s.probeDir); // forget what `up` counted
    await o.admin.clearRequestLog();
    await o.proxy.resetStats();
    const sampler = sampleDescendants(process.pid);
    const meter = cpuMeter(o.lab, o.proxy.pid);
    // the CLI is this process's child: once it exits and is reaped, its tree's CPU is in our children's
    const children0 = cpuSeconds(process.pid) - cpuSeconds(process.pid, false);
    const t0 = performance.now();
    let processes: ProcessSample;
    let plan: Record<string, number> = {};
    try {
        // the plan should be all "same": anything else would be drift or a perpetual diff, worth a look
        plan = (await s.stack.preview({ refresh: true, parallel: o.parallelism })).changeSummary ?? {};
    } finally {
        processes = sampler.stop();
    }
    const wallMs = performance.now() - t0;
    const cpu = meter(cpuSeconds(process.pid) - cpuSeconds(process.pid, false) - children0);
    return { kind, n, wallMs, plan, ldap: probeTotals(s.probeDir), graph: countGraphRequests(await o.admin.requestLog()), proxy: await o.proxy.stats(), peakKb: processes.peakKb, cpuByProcess: processes.cpuS, cpu };
}

export async function engineLevel(o: EngineLevelOptions, kind: StackKind): Promise<EngineRow[]> {
    const rows: EngineRow[] = [];
    const s = await createStack(o, kind);
    try {
        for (const n of o.sizes) {
            writeSpec(o, s, kind, n);
            await latencyOn(o, false);
            const t = Date.now();
            const up = await s.stack.up({ parallel: o.parallelism });
            const changes = up.summary.resourceChanges ?? {};
            o.log(`  ${kind} stack N=${n}: up in ${((Date.now() - t) / 1000).toFixed(1)} s (${JSON.stringify(changes)})`);
            await latencyOn(o, true);
            const runs = [];
            for (let r = 0; r < o.repetitions; r++) {
                const one = await previewOnce(o, s, kind, n);
                o.log(`  ${kind} stack N=${n} preview --refresh run ${r + 1}: ${(one.wallMs / 1000).toFixed(2)} s, plan ${JSON.stringify(one.plan)}`);
                runs.push(one);
            }
            const walls = runs.map((x) => x.wallMs);
            const mid = median(walls);
            const chosen = runs.reduce((best, x) => (Math.abs(x.wallMs - mid) < Math.abs(best.wallMs - mid) ? x : best));
            rows.push({ ...chosen, wallsMs: walls, lowerBoundMs: lowerBoundMs(n, o.parallelism, o.latency) });
        }
    } finally {
        await latencyOn(o, false);
        await s.dispose();
    }
    return rows;
}
