// The lab's cloud side as one background process (lab/server.ts): the Graph emulator with the lab
// Kerberos publisher mounted on it, HTTPS on loopback with the lab CA.
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { LabInfo, repoRoot } from "./layout";
import { readPid, startDetached, stopByPidFile } from "./processes";
import { LAB_APP_SECRET_ENV } from "./emulator";

const pidFile = (lab: LabInfo) => path.join(lab.labDir, "cloud.pid");
const logFile = (lab: LabInfo) => path.join(lab.labDir, "cloud.log");
export const cloudStateFile = (labDir: string) => path.join(labDir, "tenant-state.json");
export const publisherStoreFile = (labDir: string) => path.join(labDir, "kerberos-domains.json");

/** GET <url><pathname> verified against the lab CA; resolves to the status code (0 when unreachable). */
export function labGet(lab: LabInfo, pathname: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
    return new Promise((resolve) => {
        const req = https.get(`${lab.emulator.url}${pathname}`, { ca: fs.readFileSync(lab.caCertPath), timeout: timeoutMs }, (res) => {
            let body = "";
            res.on("data", (d) => (body += d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("timeout", () => req.destroy());
        req.on("error", () => resolve({ status: 0, body: "" }));
    });
}

async function healthy(lab: LabInfo): Promise<boolean> {
    return (await labGet(lab, `/${lab.emulator.tenantId}/v2.0/.well-known/openid-configuration`)).status === 200;
}

export async function startCloud(lab: LabInfo, log: (s: string) => void): Promise<{ url: string; pid: number }> {
    let pid = readPid(pidFile(lab));
    if (!pid) {
        pid = startDetached(process.execPath, [path.join(repoRoot(), "bin/lab/server.js")], {
            pidFile: pidFile(lab), logFile: logFile(lab), cwd: repoRoot(),
            // the one secret it needs travels in the environment, never in argv
            env: { ...process.env, [LAB_APP_SECRET_ENV]: lab.secrets[LAB_APP_SECRET_ENV], ENTRA_KERBEROS_LAB_DIR: lab.labDir },
        });
        const deadline = Date.now() + 30_000;
        while (!(await healthy(lab))) {
            if (!readPid(pidFile(lab)) || Date.now() > deadline) {
                const tail = fs.existsSync(logFile(lab)) ? fs.readFileSync(logFile(lab), "utf8").split("\n").slice(-15).join("\n") : "";
                await stopByPidFile(pidFile(lab));
                throw new Error(`the lab emulator did not come up on ${lab.emulator.url}:\n${tail}`);
            }
            await new Promise((r) => setTimeout(r, 200));
        }
        log(`cloud: Graph emulator and lab publisher up on ${lab.emulator.url} (pid ${pid})`);
    } else {
        log(`cloud: already running (pid ${pid})`);
    }
    return { url: lab.emulator.url, pid };
}

export async function stopCloud(lab: LabInfo): Promise<void> {
    await stopByPidFile(pidFile(lab));
}

export async function cloudStatus(lab: LabInfo): Promise<{ running: boolean; pid?: number; healthy: boolean }> {
    const pid = readPid(pidFile(lab));
    return { running: !!pid, pid, healthy: !!pid && (await healthy(lab)) };
}

/** Back to the just-seeded tenant and no KerberosDomain records: restart with the state files removed. */
export async function resetCloud(lab: LabInfo): Promise<number | undefined> {
    const wasRunning = !!readPid(pidFile(lab));
    await stopCloud(lab);
    fs.rmSync(cloudStateFile(lab.labDir), { force: true });
    fs.rmSync(publisherStoreFile(lab.labDir), { force: true });
    return wasRunning ? (await startCloud(lab, () => undefined)).pid : undefined;
}
