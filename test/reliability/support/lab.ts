// The reliability suite's own lab: a second lab beside the shared one (its own directory, DCs on
// 127.0.0.90-92, emulator on port 47943), started by global-setup.ts and stopped by
// global-teardown.ts, so these tests can stop DCs, restore them from snapshots and fault the
// emulator without touching what other layers use. Helpers reach it as another process would:
// the emulator's admin API, the lab publisher's fault endpoint, the DCs by their recorded PIDs.
import * as fs from "node:fs";
import * as path from "node:path";
import type { FaultRule } from "../../../lab/emulator";
import { emulatorAdmin, labAdminCall } from "../../../lab/emulator-admin";
import type { LabForest, LabInfo } from "../../../lab/layout";
import { dcPaths, startDc, stopDc } from "../../../lab/samba";
import { runOrThrow } from "../../../lab/samba/run";

export const REPO = path.resolve(__dirname, "../../..");

/** Where the second lab lives and binds: used by global-setup.ts and by `npm run test:reliability`. */
export function reliabilityLabEnv(dir: string): Record<string, string> {
    return {
        ENTRA_KERBEROS_LAB_DIR: dir,
        ENTRA_KERBEROS_LAB_IP_BASE: process.env.RELIABILITY_LAB_IP_BASE ?? "127.0.0.90",
        ENTRA_KERBEROS_LAB_PORT: process.env.RELIABILITY_LAB_PORT ?? "47943",
        // `lab up` writes Pulumi.lab.yaml: into the lab's own directory, never over the shared one
        ENTRA_KERBEROS_LAB_STACK_DIR: dir,
    };
}

export function reliabilityLab(): LabInfo {
    const dir = process.env.RELIABILITY_LAB_DIR;
    if (!dir || !fs.existsSync(path.join(dir, "lab.json"))) {
        throw new Error("no reliability lab: run these tests through `npm run test:reliability` or `npx jest --selectProjects reliability` (global-setup.ts starts it)");
    }
    return JSON.parse(fs.readFileSync(path.join(dir, "lab.json"), "utf8"));
}

export const labCaPem = (lab: LabInfo): string => fs.readFileSync(lab.caCertPath, "utf8");
export const forest = (lab: LabInfo, name: "corp" | "fabrikam" | "contoso"): LabForest => lab.forests.find((f) => f.name === name)!;

/** The emulator's admin API (/_emulator/...): never faulted, never throttled. */
export { emulatorAdmin };

export async function addFaults(lab: LabInfo, rules: FaultRule[]): Promise<string[]> {
    return (await emulatorAdmin(lab, "POST", "/_emulator/faults", { rules })).ids;
}
export const clearFaults = (lab: LabInfo) => emulatorAdmin(lab, "DELETE", "/_emulator/faults");
/** Each rule with how often it matched and was applied (a test proves its fault really fired). */
export const listFaults = async (lab: LabInfo): Promise<(FaultRule & { id: string; matched: number; applied: number })[]> => (await emulatorAdmin(lab, "GET", "/_emulator/faults")).value;
export const requestLog = async (lab: LabInfo): Promise<{ method: string; path: string; status: number; at: number }[]> => (await emulatorAdmin(lab, "GET", "/_emulator/requests")).value;
export const tenantState = (lab: LabInfo): Promise<Record<string, any[]>> => emulatorAdmin(lab, "GET", "/_emulator/state");

export interface PublisherFault {
    domain: string;
    point: "afterAdObjects" | "afterRotation" | "delay";
    times?: number;
    delayMs?: number;
    at?: "start" | "afterAdObjects" | "afterRotation";
}
export const armPublisherFault = (lab: LabInfo, f: PublisherFault) => labAdminCall(lab, `${lab.publisher.endpoint}/faults`, "POST", f);
export const publisherFaults = async (lab: LabInfo): Promise<PublisherFault[]> => (await labAdminCall(lab, `${lab.publisher.endpoint}/faults`, "GET")).faults;
export const clearPublisherFaults = (lab: LabInfo) => labAdminCall(lab, `${lab.publisher.endpoint}/faults`, "DELETE");

/** The lab's cloud record of a domain (the lab publisher's store). */
export function cloudRecord(lab: LabInfo, domain: string): { branchId: number; keyVersion: number } | undefined {
    const file = path.join(lab.labDir, "kerberos-domains.json");
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")).domains?.[domain.toLowerCase()] : undefined;
}

/** Waits until `cond` holds (polling), or throws naming what was awaited. */
export async function until(what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 30_000, everyMs = 50): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await cond())) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, everyMs));
    }
}

// DCs: stopped and started by the lab's own lifecycle code (by recorded PID, never by name).
export const stopLabDc = (lab: LabInfo, f: LabForest) => stopDc(lab.labDir, f);
export const startLabDc = async (lab: LabInfo, f: LabForest) => { await startDc(lab.labDir, f); };

/**
 * A copy of the DC's database as it is now, like a VM snapshot or a system-state backup: the DC is
 * stopped for the copy (TDB files are not consistent while samba has them open) and started again.
 */
export async function snapshotDc(lab: LabInfo, f: LabForest, to: string): Promise<void> {
    await stopLabDc(lab, f);
    try {
        fs.rmSync(to, { recursive: true, force: true });
        await runOrThrow("DC snapshot", "cp", ["-a", "--", dcPaths(lab.labDir, f.name).dir, to]);
    } finally {
        await startLabDc(lab, f);
    }
}

/** The DC restarted from that copy: everything written since the snapshot is gone from it (a USN rollback). */
export async function restoreDc(lab: LabInfo, f: LabForest, from: string): Promise<void> {
    const dir = dcPaths(lab.labDir, f.name).dir;
    await stopLabDc(lab, f);
    for (const entry of fs.readdirSync(dir)) if (entry !== "log" && entry !== "launcher.pid") fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    for (const entry of fs.readdirSync(from)) if (entry !== "log" && entry !== "launcher.pid") await runOrThrow("DC restore", "cp", ["-a", "--", path.join(from, entry), dir]);
    await startLabDc(lab, f);
}
