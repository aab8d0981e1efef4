// `npm run bench`: refresh and preview at scale, near the round-trip limit (issue 7). Runs against
// the benchmark's own lab (bench-lab.ts), with latency injected on every LDAP round trip (delay
// proxy) and every Graph request (emulator latency rule), and writes bench/results.md.
//
//   npm run bench                    full run (about 10-15 min on 2 cores)
//   npm run bench -- --quick         N = 1, 10, one run each, results to a temp file (development)
//   npm run bench -- --only provider | --only engine | --only ca-window | --only readiness
//   npm run bench -- --only readiness --readiness-users 2000    (the readiness report's pilot size; default 10,000)
//   npm run bench -- --quick --only provider --sizes 100,500   (provider-level sizes)
//   npm run bench -- --quick --only engine --engine-sizes 100 --kinds real
//   BENCH_NODE_OPTIONS=--cpu-prof ... adds node options to every node process of the engine runs (profiling)
//
// Settings can be moved by environment: BENCH_LDAP_RTT_MS (20), BENCH_GRAPH_MS (20),
// BENCH_LAB_DIR / BENCH_LAB_IP_BASE / BENCH_LAB_PORT (bench-lab.ts), BENCH_PROXY_HOST (127.0.0.90, the delay proxy).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { benchLabSettings, ensureBenchLab } from "./bench-lab";
import { caWindow, renderCaWindow, type CaWindowResult } from "./ca-window";
import { EmulatorAdmin } from "./emulator-admin";
import { engineLevel, type EngineRow } from "./engine-level";
import { labCaPem, proxyTargets, serverInputs, syntheticDomains } from "./fixtures";
import { providerLevel, type ProviderRow } from "./provider-level";
import { readinessBench, renderReadiness, type ReadinessBenchResult } from "./readiness";
import { startProxyProcess } from "./proxy-process";
import { renderResults, verdicts, type Machine, type Settings } from "./report";

const REPO = path.resolve(__dirname, "../..");
const log = (l: string) => process.stderr.write(`${l}\n`);

function flag(name: string): boolean {
    return process.argv.includes(name);
}

function option(name: string): string | undefined {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
}

function pulumiBin(): string {
    const out = execFileSync("bash", [path.join(REPO, "scripts/install-pulumi-cli.sh")], { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    return out.trim().split("\n").pop()!;
}

function machine(bin: string, loadBefore: number[]): Machine {
    const git = (args: string[]) => { try { return execFileSync("git", args, { cwd: REPO, encoding: "utf8" }).trim(); } catch { return "?"; } };
    const dirty = git(["status", "--porcelain"]) ? " (with uncommitted changes)" : "";
    return {
        date: new Date().toISOString(),
        commit: `${git(["rev-parse", "--short", "HEAD"])}${dirty}`,
        cpus: os.availableParallelism(),
        cpuModel: os.cpus()[0]?.model ?? "?",
        memoryGb: os.totalmem() / 2 ** 30,
        node: process.version,
        pulumiCli: execFileSync(path.join(bin, "pulumi"), ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } }).trim(),
        pulumiSdk: JSON.parse(fs.readFileSync(path.join(REPO, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version,
        loadBefore,
        loadAfter: os.loadavg(),
    };
}

async function main(): Promise<void> {
    const started = Date.now();
    const loadBefore = os.loadavg();
    const quick = flag("--quick");
    const only = option("--only");
    const out = option("--out") ?? (quick ? path.join(os.tmpdir(), "bench-results-quick.md") : path.join(REPO, "bench/results.md"));
    const latency = { ldapRttMs: Number(process.env.BENCH_LDAP_RTT_MS ?? 20), graphMs: Number(process.env.BENCH_GRAPH_MS ?? 20) };
    // Pulumi's default --parallel (4 × GOMAXPROCS, pkg/cmd/pulumi/operations/up.go); the provider-level reads use the same bound
    const parallelism = 4 * os.availableParallelism();
    const settings: Settings = {
        latency,
        providerSizes: option("--sizes")?.split(",").map(Number) ?? (quick ? [1, 10] : [1, 10, 100, 500]),
        engineSizes: option("--engine-sizes")?.split(",").map(Number) ?? (quick ? [1, 10] : [1, 10, 100]),
        providerConcurrency: parallelism,
        engineParallelism: parallelism,
        repetitions: quick ? { provider: 1, engine: 1 } : { provider: 3, engine: 3 },
        labDir: benchLabSettings().dir,
    };
    const bin = pulumiBin();
    const bench = await ensureBenchLab(benchLabSettings(), log);
    const { lab } = bench;
    Object.assign(process.env, lab.secrets); // SecretRefs of the bench lab, for the set-up below and the workers
    const ca = labCaPem(lab);
    const admin = new EmulatorAdmin(lab.emulator.url, ca);
    const maxN = Math.max(...settings.providerSizes, ...settings.engineSizes);
    const proxy = await startProxyProcess({ listenHost: process.env.BENCH_PROXY_HOST ?? "127.0.0.90", targets: proxyTargets(lab, maxN), oneWayMs: 0 });
    let provider: ProviderRow[] = [];
    const engine: EngineRow[] = [];
    let window: CaWindowResult | undefined;
    let readiness: ReadinessBenchResult | undefined;
    try {
        await admin.setLatency(0);
        log("set-up: one Kerberos server per lab domain (provider create, no latency)");
        const { azureADKerberosServerProvider } = require("../provider/resources/azure-ad-kerberos-server-impl");
        for (const f of lab.forests) await azureADKerberosServerProvider.create(serverInputs(lab, f, f.ldapsUrl, ca));
        const domains = syntheticDomains(lab, process.env.BENCH_PROXY_HOST ?? "127.0.0.90", proxy.ports);

        if (only === undefined || only === "readiness") {
            const users = Number(option("--readiness-users") ?? 10_000);
            log(`readiness: the report on a pilot group of ${users} users (no injected latency)`);
            readiness = await readinessBench({ lab, ca, admin, users, log });
        }
        await proxy.setDelay(latency.ldapRttMs / 2);
        await admin.setLatency(latency.graphMs);
        if (only === undefined || only === "ca-window") {
            log("ca-window: ConditionalAccessExclusion create + delete, 1 request/second throttle on");
            window = await caWindow({ lab, ca, admin, rounds: quick ? 3 : 10, log });
        }
        if (only === undefined || only === "provider") {
            log(`provider-level: N = ${settings.providerSizes.join(", ")}, ${settings.providerConcurrency} at a time`);
            provider = await providerLevel({ lab, ca, domains, proxy, admin, latency, concurrency: settings.providerConcurrency,
                sizes: settings.providerSizes, repetitions: settings.repetitions.provider, log });
        }
        if (only === undefined || only === "engine") {
            for (const kind of (option("--kinds")?.split(",") ?? ["noop", "real"]) as ("noop" | "real")[]) {
                log(`engine-level (${kind}): N = ${settings.engineSizes.join(", ")}`);
                engine.push(...await engineLevel({ lab, ca, domains, proxy, admin, latency, parallelism: settings.engineParallelism,
                    sizes: settings.engineSizes, repetitions: settings.repetitions.engine, pulumiBin: bin, log }, kind));
            }
        }
    } finally {
        await admin.setLatency(0).catch(() => undefined);
        await admin.close();
        await proxy.stop();
        await bench.stop();
    }
    settings.durationS = (Date.now() - started) / 1000;
    fs.writeFileSync(out, renderResults(machine(bin, loadBefore), settings, provider, engine) + (window ? `\n${renderCaWindow(window).join("\n")}` : "")
        + (readiness ? `\n${renderReadiness(readiness).join("\n")}` : ""));
    log(`results: ${out}`);
    for (const v of verdicts(provider, engine)) log(`  ${v.met ? "met   " : "MISSED"} ${v.name}: ${v.measured} (target ${v.target})`);
    if (readiness) for (const l of renderReadiness(readiness).filter((x) => x.startsWith("| ") && !x.startsWith("| measure"))) log(`  ${l}`);
}

main().then(() => process.exit(0), (e) => { log(`bench: ${(e as Error).stack ?? e}`); process.exit(1); });
