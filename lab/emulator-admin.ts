// The lab's admin endpoints from another process: the emulator's /_emulator/... (loopback only;
// lab/emulator/admin.ts) and the lab publisher's fault routes. Never faulted, never throttled, no
// token; TLS verified against the lab CA. For the lab's helpers and the tests.
import * as fs from "node:fs";
import { Agent } from "undici";
import type { LabInfo } from "./layout";

/** One JSON request to a lab admin URL; throws with the status and body when it is not 2xx. */
export async function labAdminCall(lab: LabInfo, url: string, method: string, body?: unknown): Promise<any> {
    const dispatcher = new Agent({ connect: { ca: [fs.readFileSync(lab.caCertPath, "utf8")] } });
    try {
        const r = await fetch(url, {
            method, dispatcher, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
        } as RequestInit);
        const text = await r.text();
        if (!r.ok) throw new Error(`${method} ${url}: HTTP ${r.status} ${text}`);
        return text ? JSON.parse(text) : undefined;
    } finally {
        await dispatcher.close();
    }
}

/** The emulator's admin API: `adminPath` such as "/_emulator/seed". */
export function emulatorAdmin(lab: LabInfo, method: string, adminPath: string, body?: unknown): Promise<any> {
    return labAdminCall(lab, `${lab.emulator.url}${adminPath}`, method, body);
}
