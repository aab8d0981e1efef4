// ConditionalAccessExclusion's read-to-write window (issue 13): Graph has no ETag for Conditional
// Access, so a change another client makes between our last read and our PATCH is overwritten
// unless that client checks its own write. This measures the window as the emulator saw it: for
// every PATCH of the bench policy, the time from the arrival of the GET of that policy just before
// it to the arrival of the PATCH, with the tenant's 1 request/second throttle on and the bench's
// Graph latency. Under that limit another client's write can only land between our read and our
// write when the window is at least two request slots (2 × 1000 ms); the report counts those.
import type { LabInfo } from "../lab/layout";
import type { EmulatorAdmin, RequestLogEntry } from "./emulator-admin";
import { labGraph } from "./fixtures";
import { percentile } from "./stats";

export interface CaWindowResult {
    /** PATCHes measured (one create and one delete per round) */
    writes: number;
    windowsMs: number[];
    /** windows of two request slots or more: room for another client's accepted write */
    roomForAnotherWrite: number;
    /** 429s the product's requests got (the throttle is on) */
    throttled: number;
    /** Conditional Access requests per write (reads, settled reads, the PATCH) */
    requestsPerWrite: number;
}

export const CA_SLOT_MS = 1000;

export async function caWindow(o: { lab: LabInfo; ca: string; admin: EmulatorAdmin; rounds: number; log: (l: string) => void }): Promise<CaWindowResult> {
    const { conditionalAccessExclusionImpl: p } = require("../provider/resources/conditional-access-exclusion-impl");
    const inputs = { graph: labGraph(o.lab, o.ca), policy: "Require MFA for all users", excludeGroups: ["WHfB Pilot"] };
    await o.admin.clearRequestLog();
    for (let i = 0; i < o.rounds; i++) {
        const created = await p.create(inputs);
        await p.delete(created.id, created.outs);
        o.log(`  ca-window: round ${i + 1}/${o.rounds}`);
    }
    return measureWindows(await o.admin.requestLog());
}

/** The windows in a request log: each PATCH of a policy against the GET of the same policy just before it. */
export function measureWindows(log: RequestLogEntry[]): CaWindowResult {
    const ca = log.filter((r) => r.path.includes("/identity/conditionalAccess/policies"));
    const windowsMs: number[] = [];
    for (const [i, r] of ca.entries()) {
        if (r.method !== "PATCH" || r.status !== 204) continue;
        const read = ca.slice(0, i).reverse().find((g) => g.method === "GET" && g.path === r.path && g.status === 200);
        if (read) windowsMs.push(r.at - read.at);
    }
    return {
        writes: windowsMs.length, windowsMs,
        roomForAnotherWrite: windowsMs.filter((w) => w >= 2 * CA_SLOT_MS).length,
        throttled: ca.filter((r) => r.status === 429).length,
        requestsPerWrite: windowsMs.length ? ca.length / windowsMs.length : 0,
    };
}

export function renderCaWindow(r: CaWindowResult): string[] {
    const ms = (q: number) => `${Math.round(percentile(r.windowsMs, q))}`;
    return [
        "## ConditionalAccessExclusion: read-to-write window", "",
        "Each PATCH against the arrival of the settled read's last GET of the same policy before it (emulator request log), one create and one delete per round, the tenant's 1 request/second limit on.", "",
        "| writes | window p50 / p95 / max ms | windows ≥ 2 slots (room for another accepted write) | CA requests per write | 429s |",
        "|---|---|---|---|---|",
        `| ${r.writes} | ${ms(0.5)} / ${ms(0.95)} / ${ms(1)} | ${r.roomForAnotherWrite} | ${r.requestsPerWrite.toFixed(1)} | ${r.throttled} |`, "",
    ];
}
