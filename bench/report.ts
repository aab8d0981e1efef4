// bench/results.md: the machine, the settings and every figure, so a later run can be compared like
// with like. Pure: takes the measurements, returns the Markdown.
import { totalCpu, type CpuUse } from "./cpu";
import type { EngineRow } from "./engine-level";
import type { ProcessKind } from "./memory";
import { readCriticalPathMs, UNAVOIDABLE_LDAP_ROUND_TRIPS, type Latency } from "./lower-bound";
import type { ProviderRow } from "./provider-level";
import { fixed, leastSquares, type LineFit } from "./stats";

export interface Machine {
    date: string;
    commit: string;
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    pulumiCli: string;
    pulumiSdk: string;
    loadBefore: number[];
    loadAfter: number[];
}

export interface Settings {
    latency: Latency;
    providerSizes: number[];
    engineSizes: number[];
    providerConcurrency: number;
    engineParallelism: number;
    repetitions: { provider: number; engine: number };
    labDir: string;
    durationS?: number;
}

export interface Targets {
    ldapPerServer: number;
    graphPerServer: number;
    ratioProviderN500: number;
    engineVsNoop: number;
}

export const TARGETS: Targets = { ldapPerServer: 4, graphPerServer: 1, ratioProviderN500: 1.5, engineVsNoop: 2 };

const s = (ms: number) => fixed(ms / 1000, 2);
const mb = (kb: number) => (kb ? fixed(kb / 1024, 0) : "n/a");
const per = (x: number, n: number) => fixed(x / n, 2);
const ldapTotal = (l: Record<string, number>) => Object.values(l).reduce((a, b) => a + b, 0);
/** The machine's floor: all CPU the run needed, spread perfectly over every core. */
const cpuFloorMs = (c: CpuUse, cores: number) => (totalCpu(c) / cores) * 1000;
const cpuPerRead = (c: CpuUse, n: number) => [c.provider, c.samba, c.emulator, c.proxy].map((x) => fixed((x * 1000) / n, 1)).join(" / ");

function fitLine(label: string, f: LineFit): string {
    return `- ${label}: **${fixed(f.slope, 1)} ms per domain** + ${fixed(f.intercept / 1000, 2)} s fixed (least squares, R² = ${fixed(f.r2, 3)})`;
}

export interface Verdict {
    name: string;
    target: string;
    measured: string;
    met: boolean;
}

export function verdicts(provider: ProviderRow[], engine: EngineRow[]): Verdict[] {
    const out: Verdict[] = [];
    const big = provider[provider.length - 1];
    if (big) {
        const ldap = ldapTotal(big.result.ldap as unknown as Record<string, number>) / big.n;
        out.push({ name: `LDAP round trips per Kerberos server (provider-level, N=${big.n})`, target: `≤ ${TARGETS.ldapPerServer}`, measured: fixed(ldap, 2), met: ldap <= TARGETS.ldapPerServer });
        const perServer = big.graph.publisher / big.n;
        out.push({ name: `Graph requests per Kerberos server (provider-level, N=${big.n})`, target: `≤ ${TARGETS.graphPerServer} + one audit query per tenant`,
            measured: `${fixed(perServer, 2)} + ${big.graph.audit} audit, ${big.graph.token} token`, met: perServer <= TARGETS.graphPerServer && big.graph.audit <= 1 });
        const ratio = big.result.wallMs / big.lowerBoundMs;
        out.push({ name: `wall / lower bound (provider-level, N=${big.n})`, target: `≤ ${TARGETS.ratioProviderN500}`, measured: fixed(ratio, 2), met: ratio <= TARGETS.ratioProviderN500 });
        const throttled = provider.reduce((a, r) => a + r.graph.throttled, 0);
        out.push({ name: "HTTP 429 from the emulator (all provider-level runs)", target: "0", measured: String(throttled), met: throttled === 0 });
    }
    const nMax = Math.max(...engine.map((r) => r.n));
    const real = engine.find((r) => r.kind === "real" && r.n === nMax);
    const noop = engine.find((r) => r.kind === "noop" && r.n === nMax);
    if (real && noop) {
        const ratio = real.wallMs / noop.wallMs;
        out.push({ name: `engine preview --refresh, ${nMax} domains vs the no-op stack`, target: `≤ ${TARGETS.engineVsNoop}×`, measured: `${fixed(ratio, 2)}×`, met: ratio <= TARGETS.engineVsNoop });
        out.push({ name: `Graph requests for the three policy reads (engine, N=${nMax}, per preview)`, target: "3 (one each)",
            measured: `${real.graph.policyReads}${real.graph.lookups ? ` (+ ${real.graph.lookups} name lookups by ConditionalAccessExclusion's check)` : ""}`, met: real.graph.policyReads <= 3 });
        const throttled = engine.reduce((a, r) => a + r.graph.throttled, 0);
        out.push({ name: "HTTP 429 from the emulator (all engine runs)", target: "0", measured: String(throttled), met: throttled === 0 });
    }
    return out;
}

export function renderResults(m: Machine, st: Settings, provider: ProviderRow[], engine: EngineRow[]): string {
    const L: string[] = [];
    const cp = readCriticalPathMs(st.latency);
    L.push("# Benchmark results", "");
    L.push("Written by `npm run bench` (bench/main.ts). Every figure below comes from the run described here; re-run on an idle machine before comparing.", "");
    L.push("## Machine", "");
    L.push("| | |", "|---|---|");
    L.push(`| date | ${m.date} |`, `| commit | ${m.commit} |`, `| CPUs (nproc) | ${m.cpus} × ${m.cpuModel} |`, `| memory | ${fixed(m.memoryGb, 1)} GB |`);
    L.push(`| Node.js | ${m.node} |`, `| Pulumi CLI | ${m.pulumiCli} |`, `| @pulumi/pulumi | ${m.pulumiSdk} |`);
    L.push(`| load average (1/5/15 min) before | ${m.loadBefore.map((x) => fixed(x, 2)).join(" / ")} |`, `| load average after | ${m.loadAfter.map((x) => fixed(x, 2)).join(" / ")} |`);
    if (st.durationS !== undefined) L.push(`| whole run | ${fixed(st.durationS / 60, 1)} min |`);
    L.push("");
    L.push("## Settings", "");
    L.push(`- LDAP: a delay proxy in front of each DC's LDAPS port holds every chunk ${fixed(st.latency.ldapRttMs / 2, 0)} ms in each direction: **${st.latency.ldapRttMs} ms per LDAP round trip** (TLS passes through; the TLS handshake pays it too).`);
    L.push(`- Graph: the emulator's latency rule delays **every request ${st.latency.graphMs} ms** before handling it: Graph calls, token requests and the lab publisher (mounted on the emulator). Connection set-up to the emulator pays nothing.`);
    L.push(`- Provider-level: N = ${st.providerSizes.join(", ")}; at most **${st.providerConcurrency} reads at a time** (the engine's default parallelism on this machine); ${st.repetitions.provider} runs per N, each in a fresh process (cold caches), the median reported.`);
    L.push(`- Engine-level: \`pulumi preview --refresh\` for N = ${st.engineSizes.join(", ")} domains + 3 policy resources, and the same shape of no-op dynamic resources; \`--parallel ${st.engineParallelism}\` = Pulumi 3.248's default (4 × GOMAXPROCS = 4 × ${m.cpus}; \`PULUMI_PARALLEL\` overrides it); ${st.repetitions.engine} previews per point, the median reported.`);
    L.push(`- Lower bound: ceil(N / parallelism) × ${cp} ms, where ${cp} ms = max(${UNAVOIDABLE_LDAP_ROUND_TRIPS} × ${st.latency.ldapRttMs} ms LDAP (TLS handshake, bind, one search), 1 × ${st.latency.graphMs} ms Graph (the publisher's Get)) is the critical path of one read (bench/lower-bound.ts).`);
    L.push("- Domains: the lab has three DCs, one Kerberos server each. N synthetic domains are N resources over the three lab domains round-robin, each with its **own DC URL** (its own proxy listener), so nothing cached per DC is shared between two of them and each read makes the round trips a distinct domain would. What all domains of one tenant share in reality (the Graph token, the audit-log query) is shared here too.");
    L.push(`- Bench lab: its own lab in \`${st.labDir}\` (DCs and emulator on other loopback addresses), reset at the start.`, "");

    L.push("## Targets", "");
    L.push("| target | required | measured | |", "|---|---|---|---|");
    for (const v of verdicts(provider, engine)) L.push(`| ${v.name} | ${v.target} | ${v.measured} | ${v.met ? "met" : "**missed**"} |`);
    L.push("");

    L.push("## Provider-level read of N Kerberos servers", "");
    L.push("| N | wall s (median; all runs) | lower bound s | wall / bound | LDAP round trips per server (bind + search) | TLS+LDAP turns per connection on the wire | Graph: publisher per server | token | audit | 429 | read latency p50 / p95 ms | peak RSS MB (bench worker) | failed / not in sync |");
    L.push("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (const r of provider) {
        const l = r.result.ldap;
        L.push(`| ${r.n} | ${s(r.result.wallMs)} (${r.wallsMs.map(s).join(", ")}) | ${s(r.lowerBoundMs)} | ${fixed(r.result.wallMs / r.lowerBoundMs, 2)} | ` +
            `${per(l.binds + l.searches + l.adds + l.modifies + l.deletes, r.n)} (${per(l.binds, r.n)} + ${per(l.searches, r.n)}) | ` +
            `${r.proxy.connections ? fixed(r.proxy.serverTurns / r.proxy.connections, 2) : "n/a"} (${r.proxy.connections} connections) | ` +
            `${per(r.graph.publisher, r.n)} | ${r.graph.token} | ${r.graph.audit} | ${r.graph.throttled} | ` +
            `${fixed(r.result.latencyMs.p50, 0)} / ${fixed(r.result.latencyMs.p95, 0)} | ${mb(r.result.vmHwmKb)} | ${r.result.failed} / ${r.result.notInSync} |`);
    }
    L.push("");
    L.push(`CPU of the same runs (everything shares the machine's ${m.cpus} cores):`, "");
    L.push("| N | CPU ms per read: provider / Samba DCs / emulator + lab publisher / proxy | CPU floor s (all CPU / cores) | wall / max(bound, floor) |");
    L.push("|---|---|---|---|");
    for (const r of provider) {
        const floor = cpuFloorMs(r.cpu, m.cpus);
        L.push(`| ${r.n} | ${cpuPerRead(r.cpu, r.n)} | ${s(floor)} | ${fixed(r.result.wallMs / Math.max(r.lowerBoundMs, floor), 2)} |`);
    }
    L.push("");
    if (provider.length >= 2) L.push(fitLine("cost in N", leastSquares(provider.map((r) => ({ x: r.n, y: r.result.wallMs })))), "");

    const sizes = [...new Set(engine.map((r) => r.n))].sort((a, b) => a - b);
    L.push("## Engine-level `pulumi preview --refresh`", "");
    L.push("| N domains (+3 policies) | ours s (median; all runs) | no-op s (median; all runs) | ours / no-op | lower bound s | ours / bound | LDAP round trips per server | Graph per preview: publisher / token / audit / policy reads / lookups | 429 | peak RSS MB: provider host / CLI (ours) | peak RSS MB: provider host / CLI (no-op) |");
    L.push("|---|---|---|---|---|---|---|---|---|---|---|");
    for (const n of sizes) {
        const r = engine.find((x) => x.kind === "real" && x.n === n);
        const o = engine.find((x) => x.kind === "noop" && x.n === n);
        if (!r || !o) continue;
        const g = r.graph;
        L.push(`| ${n} | ${s(r.wallMs)} (${r.wallsMs.map(s).join(", ")}) | ${s(o.wallMs)} (${o.wallsMs.map(s).join(", ")}) | ${fixed(r.wallMs / o.wallMs, 2)} | ` +
            `${s(r.lowerBoundMs)} | ${fixed(r.wallMs / r.lowerBoundMs, 1)} | ${per(ldapTotal(r.ldap), n)} | ${g.publisher} / ${g.token} / ${g.audit} / ${g.policyReads} / ${g.lookups} | ${g.throttled + o.graph.throttled} | ` +
            `${mb(r.peakKb.providerHost)} / ${mb(r.peakKb.cli)} | ${mb(o.peakKb.providerHost)} / ${mb(o.peakKb.cli)} |`);
    }
    L.push("");
    L.push("CPU of the median previews (CLI = the Pulumi CLI with its language host, program and provider host):", "");
    L.push("| N | CPU s ours: CLI / Samba / emulator / proxy | CPU s no-op: CLI | of the CLI's, ours: engine / provider host / program | no-op: engine / provider host / program | CPU floor s ours (all CPU / cores) |");
    L.push("|---|---|---|---|---|---|");
    for (const n of sizes) {
        const r = engine.find((x) => x.kind === "real" && x.n === n);
        const o = engine.find((x) => x.kind === "noop" && x.n === n);
        if (!r || !o) continue;
        const split = (x: EngineRow) => [x.cpuByProcess.cli, x.cpuByProcess.providerHost, x.cpuByProcess.program].map((v) => fixed(v, 2)).join(" / ");
        L.push(`| ${n} | ${[r.cpu.provider, r.cpu.samba, r.cpu.emulator, r.cpu.proxy].map((x) => fixed(x, 2)).join(" / ")} | ${fixed(o.cpu.provider, 2)} | ${split(r)} | ${split(o)} | ${s(cpuFloorMs(r.cpu, m.cpus))} |`);
    }
    L.push("");
    const fr = engine.filter((x) => x.kind === "real");
    const fo = engine.filter((x) => x.kind === "noop");
    if (fr.length >= 2 && fo.length >= 2) {
        const a = leastSquares(fr.map((x) => ({ x: x.n, y: x.wallMs })));
        const b = leastSquares(fo.map((x) => ({ x: x.n, y: x.wallMs })));
        L.push(fitLine("ours", a), fitLine("no-op", b), `- our share: ${fixed(a.slope - b.slope, 1)} ms per domain above the engine's own per-resource cost`, "");
    }
    L.push("## Where a target is missed, by how much and why", "");
    L.push(...analysis(m, provider, engine).map((x) => `- ${x}`), "");
    L.push("## How to read this", "");
    L.push("- *wall / bound* near 1 means the run is as fast as the injected round trips allow at that parallelism; the rest is CPU (TLS, the DCs, the emulator and the lab publisher share the same cores) and scheduling.");
    L.push("- *TLS+LDAP turns per connection* counts, on the wire, how often a DC answered after the client spoke: the round trips each connection paid, TLS handshake included.");
    L.push("- The lab publisher's own LDAP reads (its stand-in for Get-AzureADKerberosServer) go straight to the DC, without injected latency: they are the publisher's cost, not the provider's.");
    L.push("- Engine-level wall times include the CLI, the language host and the program (the no-op stack's figure is that floor).");
    L.push("- *policy reads* are GETs of one policy by id (with its /assignments when those are read separately); *lookups* are collection GETs (names to ids), which ConditionalAccessExclusion's `check` makes on every preview by design (unknown names fail the preview).");
    return L.join("\n") + "\n";
}

/** Sentences with this run's numbers for every missed target (none when all are met). */
export function analysis(m: Machine, provider: ProviderRow[], engine: EngineRow[]): string[] {
    const out: string[] = [];
    const big = provider[provider.length - 1];
    if (big) {
        const ratio = big.result.wallMs / big.lowerBoundMs;
        if (ratio > TARGETS.ratioProviderN500) {
            const floor = cpuFloorMs(big.cpu, m.cpus);
            const perRead = (x: number) => fixed((x * 1000) / big.n, 1);
            out.push(`Provider-level N=${big.n}: wall ${s(big.result.wallMs)} s is ${fixed(ratio, 2)} × the lower bound ${s(big.lowerBoundMs)} s, ` +
                `missing ≤ ${TARGETS.ratioProviderN500} by ${fixed((ratio / TARGETS.ratioProviderN500 - 1) * 100, 0)}% (${s(big.result.wallMs - TARGETS.ratioProviderN500 * big.lowerBoundMs)} s).`);
            out.push(`The round trips are at their floor (${fixed(ldapTotal(big.result.ldap as unknown as Record<string, number>) / big.n, 2)} LDAP requests per read, ` +
                `${fixed(big.proxy.connections ? big.proxy.serverTurns / big.proxy.connections : 0, 2)} answered turns per connection including the TLS handshake and close); ` +
                `the machine is not: the run needed ${fixed(totalCpu(big.cpu), 1)} CPU s on ${m.cpus} cores, a floor of ${s(floor)} s, ` +
                `${floor > big.lowerBoundMs ? `${fixed(floor / big.lowerBoundMs, 2)} × the round-trip bound` : "below the round-trip bound"}. ` +
                `Per read: provider ${perRead(big.cpu.provider)} ms, Samba ${perRead(big.cpu.samba)} ms (two LDAP sessions per read: the provider's and the lab publisher's ` +
                `own, each a TLS handshake and a bind that Samba makes expensive), emulator + lab publisher ${perRead(big.cpu.emulator)} ms, proxy ${perRead(big.cpu.proxy)} ms. ` +
                `Against max(bound, CPU floor) the run is at ${fixed(big.result.wallMs / Math.max(big.lowerBoundMs, floor), 2)}.`);
            out.push(`So on this machine the target needs the lab's DCs and publisher off the provider's cores (as in production, where they are other machines): ` +
                `with the provider's own CPU alone the floor would be ${s((big.cpu.provider / m.cpus) * 1000)} s. Load average before/after: ` +
                `${m.loadBefore.map((x) => fixed(x, 1)).join("/")} → ${m.loadAfter.map((x) => fixed(x, 1)).join("/")} (other work on the machine counts against the run too).`);
        }
    }
    const nMax = Math.max(...engine.map((r) => r.n));
    const real = engine.find((r) => r.kind === "real" && r.n === nMax);
    const noop = engine.find((r) => r.kind === "noop" && r.n === nMax);
    if (real && noop && real.wallMs / noop.wallMs > TARGETS.engineVsNoop) {
        const lab = real.cpu.samba + real.cpu.emulator + real.cpu.proxy;
        const d = (k: ProcessKind) => fixed(real.cpuByProcess[k] - noop.cpuByProcess[k], 2);
        const ratio = real.wallMs / noop.wallMs;
        out.push(`Engine-level N=${nMax}: ours ${s(real.wallMs)} s is ${fixed(ratio, 2)} × the no-op stack's ${s(noop.wallMs)} s, ` +
            `missing ≤ ${TARGETS.engineVsNoop}× by ${fixed((ratio / TARGETS.engineVsNoop - 1) * 100, 1)}% (${s(real.wallMs - TARGETS.engineVsNoop * noop.wallMs)} s).`);
        out.push(`Both runs are CPU-bound on ${m.cpus} cores: ours needed ${fixed(totalCpu(real.cpu), 1)} CPU s (floor ${s(cpuFloorMs(real.cpu, m.cpus))} s), ` +
            `the no-op stack ${fixed(noop.cpu.provider, 1)} s. Of the difference, ${fixed(lab, 2)} s is the lab (Samba ${fixed(real.cpu.samba, 2)} s, emulator and lab publisher ` +
            `${fixed(real.cpu.emulator, 2)} s, proxy ${fixed(real.cpu.proxy, 2)} s), which production runs on other machines; the rest is the provider host ` +
            `+${d("providerHost")} s (the reads: TLS, LDAP, the publisher call), the program +${d("program")} s (the SDK resolving each server's declared outputs) ` +
            `and the engine +${d("cli")} s.`);
    }
    if (out.length === 0) out.push("None: every target above is met in this run.");
    return out;
}
