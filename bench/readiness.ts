// The readiness benchmark (issue 19): the readiness report on a pilot group of N users (10,000 by
// default). The emulator is seeded with N synchronised users in one pilot group, their
// onPremisesSecurityIdentifier in corp's domain; the report runs in this process, so its Graph
// requests (the emulator's request log), LDAP round trips (the provider's diagnostics channel,
// ad/connection.ts) and memory (process.memoryUsage, sampled) are its own.
//
// The AD side: the seeded SIDs are not AD users (seeding 10,000 Samba accounts would take longer than
// the whole bench), so every user is a `user-not-found-on-premises` finding. That is the worst case
// for memory, since the report keeps its findings (its output) and drops each clean user; the AD
// reads are what they would be for real users: one search per 100 SIDs of a page (onprem-users.ts).
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { Client } from "ldapts";
import type { LabInfo } from "../lab/layout";
import { labStackConfig } from "../lab/stack-config";
import { groupEntity, userEntity } from "../lab/emulator/state";
import { sidToString } from "../provider/ad/sid";
import type { EmulatorAdmin } from "./emulator-admin";

export const READINESS_BENCH_GROUP = "Bench Readiness Pilot";

export interface ReadinessBenchResult {
    users: number;
    seconds: number;
    /** every Graph request of the report but the token's */
    graphRequests: number;
    /** the membership and sync reads: GET …/transitiveMembers/microsoft.graph.user pages */
    membershipRequests: number;
    ldapRoundTrips: number;
    findings: number;
    heapBeforeMb: number;
    peakHeapMb: number;
    peakRssMb: number;
}

const MB = 2 ** 20;

async function corpDomainSid(lab: LabInfo, ca: string): Promise<string> {
    const corp = lab.forests[0];
    const c = new Client({ url: corp.ldapsUrl, tlsOptions: { ca: [ca], rejectUnauthorized: true } });
    try {
        await c.bind(corp.adminUpn, lab.secrets[corp.adminPasswordEnv]);
        const { searchEntries: [e] } = await c.search(corp.baseDn, { scope: "base", attributes: ["objectSid"], explicitBufferAttributes: ["objectSid"] });
        return sidToString(e.objectSid as Buffer);
    } finally { await c.unbind().catch(() => undefined); }
}

/** The pilot group and its N users, through the emulator's admin seed API (batches keep each request small). */
async function seed(lab: LabInfo, ca: string, admin: EmulatorAdmin, n: number, log: (l: string) => void): Promise<void> {
    const sid = await corpDomainSid(lab, ca);
    const hex = (i: number) => i.toString(16).padStart(12, "0");
    const group = groupEntity({ id: "0b0b0b0b-0001-4000-8000-000000000001", displayName: READINESS_BENCH_GROUP });
    const ids: string[] = [];
    const BATCH = 2000;
    for (let i = 0; i < n; i += BATCH) {
        const users = [];
        for (let j = i; j < Math.min(n, i + BATCH); j++) {
            const id = `0b0b0b0b-0002-4000-8000-${hex(j)}`;
            ids.push(id);
            users.push({ ...userEntity({ id, displayName: `bench user ${j}`, userPrincipalName: `bench-${j}@entrakerberoslab.onmicrosoft.com` }), onPremisesSecurityIdentifier: `${sid}-${200000 + j}` });
        }
        await admin.seed({ users });
        log(`readiness: seeded ${Math.min(n, i + BATCH)} of ${n} users`);
    }
    await admin.seed({ groups: [group], groupMembers: [{ id: group.id, members: ids }] });
}

export async function readinessBench(opts: { lab: LabInfo; ca: string; admin: EmulatorAdmin; users: number; log: (l: string) => void }): Promise<ReadinessBenchResult> {
    const { lab, ca, admin, users, log } = opts;
    await seed(lab, ca, admin, users, log);
    const { readinessReport } = await import("../provider/readiness/report");
    const full = labStackConfig(lab) as Record<string, unknown>;
    const config = { caCertificate: full.caCertificate, graph: full.graph, forests: full.forests };
    let ldap = 0;
    const onRoundTrip = () => { ldap++; };
    subscribe("pulumi-entra-kerberos:ldap-round-trip", onRoundTrip);
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore, peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peakHeap = Math.max(peakHeap, m.heapUsed);
        peakRss = Math.max(peakRss, m.rss);
    }, 20);
    await admin.clearRequestLog();
    const started = Date.now();
    let findings = 0;
    try {
        const report = await readinessReport(config, { env: { ...process.env, ...lab.secrets }, extraPilotGroups: [READINESS_BENCH_GROUP], progress: (l) => log(`readiness: ${l}`) });
        findings = report.findings.length;
        const group = report.pilotGroups.find((g) => g.group === READINESS_BENCH_GROUP);
        if (group?.users !== users) throw new Error(`readiness bench: the report read ${group?.users} users of ${users}`);
    } finally {
        clearInterval(sampler);
        unsubscribe("pulumi-entra-kerberos:ldap-round-trip", onRoundTrip);
    }
    const seconds = (Date.now() - started) / 1000;
    const requests = (await admin.requestLog()).filter((r) => !r.path.startsWith("/_emulator") && !/\/oauth2\/v2\.0\/token$/.test(r.path));
    return {
        users, seconds, graphRequests: requests.length,
        membershipRequests: requests.filter((r) => r.path.includes("/transitiveMembers/microsoft.graph.user")).length,
        ldapRoundTrips: ldap, findings,
        heapBeforeMb: heapBefore / MB, peakHeapMb: peakHeap / MB, peakRssMb: peakRss / MB,
    };
}

/** The section of bench/results.md. */
export function renderReadiness(r: ReadinessBenchResult): string[] {
    const per1000 = (x: number) => (x / (r.users / 1000)).toFixed(2);
    return [
        "## Readiness report on a large pilot group",
        "",
        `The readiness report (docs/readiness.md) on one pilot group of ${r.users} synchronised users, in the bench process, no injected latency. ` +
        "Every user's SID is in corp's domain but no AD user (see bench/readiness.ts), so each is a `user-not-found-on-premises` finding: the worst case for memory (findings are kept, clean users dropped).",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        `| membership and sync reads (transitiveMembers pages) | ${r.membershipRequests} (${per1000(r.membershipRequests)} per 1,000 users) | ≤ 3 per 1,000 users: ${r.membershipRequests / (r.users / 1000) <= 3 ? "met" : "MISSED"} |`,
        `| Graph requests in all (token excluded) | ${r.graphRequests} (${per1000(r.graphRequests)} per 1,000 users) | |`,
        `| LDAP round trips | ${r.ldapRoundTrips} (${per1000(r.ldapRoundTrips)} per 1,000 users) | |`,
        `| findings | ${r.findings} | |`,
        `| heap before / peak | ${r.heapBeforeMb.toFixed(0)} MB / ${r.peakHeapMb.toFixed(0)} MB | |`,
        `| peak RSS (sampled) | ${r.peakRssMb.toFixed(0)} MB | |`,
        `| wall time | ${r.seconds.toFixed(1)} s | (not a target) |`,
        "",
    ];
}
