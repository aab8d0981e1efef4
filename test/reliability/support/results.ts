// What the reliability suite measured, one JSON line per observation, for the summary table that
// `npm run test:reliability` (and `npm test`) prints (scripts/reliability-summary.js). A test
// records an observation only after its own assertions ran, so a record with `ok: false` is a
// property that did NOT hold (the test fails as well), and a fault whose test crashed before
// recording is missing from the "survived" column: the table can only undercount survival.
import * as fs from "node:fs";
import * as path from "node:path";

export const RESULTS_FILE = process.env.RELIABILITY_RESULTS ?? path.resolve(__dirname, "../../../.cache/reliability/results.jsonl");

export type Observation =
    /** a fault injected; `ok`: the operation survived it, or failed honestly and the next run converged with no duplicate */
    | { kind: "fault"; area: "graph" | "ldap" | "publisher" | "concurrency" | "timeout"; name: string; ok: boolean; how?: string }
    /** a bad input; `ok`: refused in check before any I/O (or, server-only, failed with nothing changed) */
    | { kind: "badInput"; resource: string; input: string; ok: boolean; how: "check" | "server" }
    /** generated hostile values for one input (issue 14): how many ran through check, and how many network connections they caused */
    | { kind: "generated"; resource: string; input: string; tried: number; refused: number; io: number; ok: boolean }
    /** a text scanned for every lab secret; `hits`: how many secrets were found in it */
    | { kind: "secretScan"; target: string; bytes: number; secrets: number; hits: number }
    /** a run killed at a step boundary; `ok`: the documented recovery converged with nothing lost or duplicated */
    | { kind: "interrupted"; resource: string; point: string; ok: boolean }
    /** any other property (TLS fails closed, least privilege) */
    | { kind: "property"; area: "tls" | "privilege" | "timeout" | "secrets"; name: string; ok: boolean };

export function record(o: Observation): void {
    fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    fs.appendFileSync(RESULTS_FILE, JSON.stringify({ ...o, file: path.basename(expect.getState().testPath ?? ""), at: new Date().toISOString() }) + "\n");
}

type Pending<O> = O extends { ok: boolean } ? Omit<O, "ok"> : never;

/**
 * Runs a scenario's assertions and records whether they held: the scenario's own assertions decide
 * "held"; this only counts, and rethrows so the test fails too. `fn` may return a note (`how`).
 */
async function outcome(o: Pending<Observation>, fn: () => Promise<string | void>): Promise<void> {
    try {
        const how = await fn();
        record({ ...o, ok: true, ...(how ? { how } : {}) } as Observation);
    } catch (e) {
        record({ ...o, ok: false } as Observation);
        throw e;
    }
}

export const faultScenario = (area: Extract<Observation, { kind: "fault" }>["area"], name: string, fn: () => Promise<string | void>) =>
    outcome({ kind: "fault", area, name }, fn);

export const propertyCheck = (area: Extract<Observation, { kind: "property" }>["area"], name: string, fn: () => Promise<void>) =>
    outcome({ kind: "property", area, name }, fn);

/** A run killed at a step boundary (interrupted-runs.test.ts): "held" means the documented recovery converged. */
export const interruptedRun = (resource: string, point: string, fn: () => Promise<void>) => outcome({ kind: "interrupted", resource, point }, fn);
