// /_emulator/... : control plane for the lab CLI and for tests running in other processes
// (faults, state dump/reset/seed, apps, throttling, request log). Loopback clients only, never
// routed as Graph, never faulted. Secrets are write-only: app listings say whether a secret exists.
import type { GraphEmulator } from "./emulator";
import type { EmulatorRequest, EmulatorResponse, EmulatorApp } from "./types";

const ok = (body: unknown, status = 200): EmulatorResponse => ({ status, headers: { "content-type": "application/json" }, body });
const fail = (status: number, message: string): EmulatorResponse => ok({ error: { code: "EmulatorAdmin", message } }, status);

export function isLoopback(address: string): boolean {
    return /^127\./.test(address) || address === "::1" || /^::ffff:127\./.test(address);
}

export function publicApp(a: EmulatorApp) {
    return {
        clientId: a.clientId, displayName: a.displayName, roles: a.roles,
        hasClientSecret: a.clientSecret !== undefined, hasCertificate: a.certificatePem !== undefined,
        federated: (a.federated ?? []).map((f) => ({ issuer: f.issuer, subject: f.subject, audience: f.audience, jwksUrl: f.jwksUrl, hasJwks: f.jwks !== undefined })),
    };
}

export async function handleAdmin(emu: GraphEmulator, req: EmulatorRequest): Promise<EmulatorResponse> {
    if (!isLoopback(req.remoteAddress)) return fail(403, "the emulator admin API is for loopback clients only");
    const route = `${req.method} ${req.path.replace(/\/+$/, "")}`;
    const body = req.body && typeof req.body === "object" && !Buffer.isBuffer(req.body) ? req.body : {};
    try {
        switch (route) {
            case "GET /_emulator/health": return ok({ ok: true, tenantId: emu.tenantId, url: emu.url });
            case "GET /_emulator/state": return ok(emu.state.dump());
            case "POST /_emulator/state/reset": emu.state.reset(); emu.resetThrottles(); emu.setConsistency({}); return ok({ ok: true });
            case "POST /_emulator/seed": emu.state.merge(body); return ok({ ok: true });
            case "GET /_emulator/faults": return ok({ value: emu.faults.list() });
            case "POST /_emulator/faults": {
                const rules = Array.isArray(body.rules) ? body.rules : [body];
                return ok({ ids: rules.map((r: any) => emu.faults.add(r)) }, 201);
            }
            case "DELETE /_emulator/faults": emu.faults.clear(); return ok({ ok: true });
            case "GET /_emulator/apps": return ok({ value: emu.listApps().map(publicApp) });
            case "POST /_emulator/apps": emu.addApp(body as EmulatorApp); return ok(publicApp(body as EmulatorApp), 201);
            case "GET /_emulator/throttling": return ok(emu.throttling);
            case "PUT /_emulator/throttling": emu.setThrottling(body); return ok(emu.throttling);
            // eventual consistency (consistency.ts; its lag and window are assumptions, docs/lab.md Limits)
            case "GET /_emulator/consistency": return ok({ ...emu.replicaLag.settings, staleServed: emu.replicaLag.staleServed });
            case "PUT /_emulator/consistency": return ok(emu.setConsistency(body));
            case "GET /_emulator/requests": return ok({ value: emu.requestLog });
            case "DELETE /_emulator/requests": emu.requestLog.length = 0; return ok({ ok: true });
            case "POST /_emulator/audits": emu.recordDirectoryAudit(body as any); return ok({ ok: true }, 201);
        }
        const del = /^DELETE \/_emulator\/faults\/([^/]+)$/.exec(route);
        if (del) return emu.faults.remove(decodeURIComponent(del[1])) ? ok({ ok: true }) : fail(404, "no such fault rule");
        return fail(404, `unknown admin route ${route}`);
    } catch (e) {
        return fail(400, (e as Error).message);
    }
}
