// The emulator's admin API (/_emulator/..., loopback only; lab/emulator/admin.ts) from another
// process: the lab CLI's helpers and the tests. Never faulted, never throttled, no token.
import * as fs from "node:fs";
import { Agent } from "undici";
import type { LabInfo } from "./layout";

export async function emulatorAdmin(lab: LabInfo, method: string, adminPath: string, body?: unknown): Promise<any> {
    const dispatcher = new Agent({ connect: { ca: [fs.readFileSync(lab.caCertPath, "utf8")] } });
    try {
        const r = await fetch(`${lab.emulator.url}${adminPath}`, {
            method, dispatcher, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
        } as RequestInit);
        const text = await r.text();
        if (!r.ok) throw new Error(`${method} ${adminPath}: HTTP ${r.status} ${text}`);
        return text ? JSON.parse(text) : undefined;
    } finally {
        await dispatcher.close();
    }
}
