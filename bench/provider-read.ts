// Scenario (a) worker, one fresh process per N (cold module-level caches, like a fresh `pulumi`
// run, and a peak-memory figure of its own): reads N AzureADKerberosServer resources through the
// provider's own `read` entry point, at most `concurrency` at a time, and prints one JSON line.
// LDAP round trips are counted from the provider's diagnostics channel (ad/connection.ts).
import { subscribe } from "node:diagnostics_channel";
import * as fs from "node:fs";
import { ldapRoundTripChannel, newRoundTrips, type RoundTrips } from "../provider/ad/connection";
import { readVmHwmKb } from "./memory";

export interface ReadJob {
    /** one state (inputs suffice) per resource */
    props: Record<string, any>[];
    concurrency: number;
}

export interface ReadResult {
    n: number;
    concurrency: number;
    wallMs: number;
    ldap: RoundTrips;
    /** reads that threw, and reads whose verdict was not in sync (both make the timing suspect) */
    failed: number;
    notInSync: number;
    firstProblems: string[];
    latencyMs: { p50: number; p95: number; max: number };
    vmHwmKb: number;
    /** CPU seconds this process spent on the reads (user + system) */
    cpuS: number;
}

function percentile(sorted: number[], p: number): number {
    if (sorted.length === 0) return 0;
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `work(i)` for i < n with at most `limit` in flight. */
async function pool(n: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
    let next = 0;
    const lane = async () => { while (next < n) await work(next++); };
    await Promise.all(Array.from({ length: Math.min(limit, n) }, lane));
}

export async function runReads(job: ReadJob): Promise<ReadResult> {
    const ldap = newRoundTrips();
    subscribe(ldapRoundTripChannel.name, (m) => { ldap[(m as { kind: keyof RoundTrips }).kind]++; });
    // loaded before the clock starts: module loading is not a round trip
    const { azureADKerberosServerProvider: provider } = require("../provider/resources/azure-ad-kerberos-server-impl");
    const latencies: number[] = [];
    const problems: string[] = [];
    let failed = 0, notInSync = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await pool(job.props.length, job.concurrency, async (i) => {
        const props = job.props[i];
        const s = performance.now();
        try {
            const r = await provider.read(props.domain, props);
            if (r.props.inSync !== true) {
                notInSync++;
                if (problems.length < 3) problems.push(`${props.domain}: ${(r.props.driftReasons ?? []).join("; ")}`);
            }
        } catch (e) {
            failed++;
            if (problems.length < 3) problems.push(`${props.domain}: ${(e as Error).message}`);
        }
        latencies.push(performance.now() - s);
    });
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    latencies.sort((a, b) => a - b);
    return {
        n: job.props.length, concurrency: job.concurrency, wallMs, ldap, failed, notInSync, firstProblems: problems,
        latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies[latencies.length - 1] ?? 0 },
        vmHwmKb: readVmHwmKb(process.pid) ?? 0,
        cpuS: (cpu.user + cpu.system) / 1e6,
    };
}

if (require.main === module) {
    const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as ReadJob;
    runReads(job).then(
        (r) => { process.stdout.write(JSON.stringify(r) + "\n"); process.exit(0); },
        (e) => { process.stderr.write(`provider-read: ${(e as Error).stack ?? e}\n`); process.exit(1); },
    );
}
