// Injected faults against the provider's one retry policy: 503/500/429, connection resets, hangs,
// latency, "every Nth"; plus the admin API as another process uses it, and state persistence.
import * as fs from "node:fs";
import * as path from "node:path";
import { Agent } from "undici";
import { GraphEmulator, SEED } from "../../lab/emulator";
import { graphRequest, graphSendOnce, type GraphClient } from "../../provider/graph";
import { isProviderError, ProviderError } from "../../provider/core/errors";
import { startGraphLab, type GraphLab } from "./support/graph-lab";

let lab: GraphLab;
let gc: GraphClient;
beforeAll(async () => {
    lab = await startGraphLab();
    gc = lab.client();
    await graphRequest(gc, { method: "GET", version: "v1.0", path: "/organization" }); // token cached before faults start
});
afterEach(() => lab.emu.faults.clear());
afterAll(async () => { await lab?.close(); });

async function failure(p: Promise<unknown>): Promise<ProviderError> {
    try { await p; } catch (e) { if (isProviderError(e)) return e; throw e; }
    throw new Error("expected the call to fail");
}

const since = (mark: number, p: string) => lab.emu.requestLog.slice(mark).filter((r) => r.path === p).map((r) => r.status);
const GROUPS = { method: "GET", version: "v1.0", path: "/groups" } as const;

describe("graphSendOnce: a body merged from a read is sent once, whatever the failure", () => {
    const policy = () => lab.emu.state.policies[0];
    const policyPath = () => `/v1.0/identity/conditionalAccess/policies/${policy().id}`;
    const patch = (attempt = 1) => graphSendOnce(gc, {
        method: "PATCH", version: "v1.0", path: `/identity/conditionalAccess/policies/${policy().id}`,
        body: { conditions: { users: { ...policy().conditions.users } } },
    }, attempt);

    test.each([
        ["429 (not applied)", { status: 429 }, false],
        ["503 (not applied)", { status: 503 }, false],
        ["500 (may have applied)", { status: 500 }, true],
        ["a reset after the change was made (may have applied)", { reset: true, after: true }, true],
    ])("%s: one request, the failure handed back with whether it may have applied", async (_name, fault, mayHaveApplied) => {
        lab.emu.faults.add({ method: "PATCH", path: policyPath(), times: 1, ...fault });
        const mark = lab.emu.requestLog.length;
        const f = await patch();
        expect(f?.mayHaveApplied).toBe(mayHaveApplied);
        expect(f?.error).toBeInstanceOf(ProviderError);
        expect(since(mark, policyPath())).toHaveLength(1);
        await expect(patch()).resolves.toBeUndefined(); // the caller's next attempt (new body) goes through
    });

    test("the last attempt the policy allows throws instead of handing back a failure", async () => {
        lab.emu.faults.add({ method: "PATCH", path: policyPath(), status: 429, times: 1 });
        const e = await failure(patch(gc.retry.maxAttempts));
        expect(e.code).toBe("GRAPH_THROTTLED");
    });

    test("a 400 is never tried again", async () => {
        lab.emu.faults.add({ method: "PATCH", path: policyPath(), status: 400, times: 1 });
        expect((await failure(patch())).httpStatus).toBe(400);
    });
});

describe("retry policy against injected faults", () => {
    test("503 twice, then success", async () => {
        lab.emu.faults.add({ method: "GET", path: "/v1.0/groups", status: 503, times: 2 });
        const mark = lab.emu.requestLog.length;
        expect((await graphRequest(gc, GROUPS)).value.length).toBeGreaterThan(0);
        expect(since(mark, "/v1.0/groups")).toEqual([503, 503, 200]);
    });

    test("a connection reset on a GET is retried", async () => {
        lab.emu.faults.add({ path: "/v1.0/groups", reset: true, times: 1 });
        const mark = lab.emu.requestLog.length;
        expect((await graphRequest(gc, GROUPS)).value.length).toBeGreaterThan(0);
        expect(since(mark, "/v1.0/groups")).toEqual([0, 200]);
    });

    test("a connection reset on a POST is NOT retried (it may have been applied)", async () => {
        lab.emu.faults.add({ method: "POST", path: "/beta/deviceManagement/configurationPolicies", reset: true, times: 1 });
        const mark = lab.emu.requestLog.length;
        const e = await failure(graphRequest(gc, { method: "POST", version: "beta", path: "/deviceManagement/configurationPolicies", body: { name: "reset", platforms: "windows10", technologies: "mdm" } }));
        expect(e.code).toBe("GRAPH_NETWORK");
        expect(e.message).toMatch(/Graph POST beta\/deviceManagement\/configurationPolicies failed: network error (ECONNRESET|UND_ERR_SOCKET)/);
        expect(since(mark, "/beta/deviceManagement/configurationPolicies")).toEqual([0]);
    });

    test("500 is retried for GET, not for POST", async () => {
        lab.emu.faults.add({ path: "/v1.0/groups", status: 500, times: 1 });
        await graphRequest(gc, GROUPS);
        lab.emu.faults.add({ method: "POST", path: "/beta/deviceManagement/configurationPolicies", status: 500, times: 1 });
        const e = await failure(graphRequest(gc, { method: "POST", version: "beta", path: "/deviceManagement/configurationPolicies", body: { name: "x", platforms: "windows10", technologies: "mdm" } }));
        expect([e.code, e.httpStatus, e.serviceCode]).toEqual(["GRAPH_SERVICE_ERROR", 500, "InternalServerError"]);
    });

    test("429 without Retry-After is retried with backoff; with Retry-After: 0 immediately", async () => {
        lab.emu.faults.add({ path: "/v1.0/users", status: 429, times: 2 });
        const mark = lab.emu.requestLog.length;
        await graphRequest(gc, { method: "GET", version: "v1.0", path: "/users" });
        expect(since(mark, "/v1.0/users")).toEqual([429, 429, 200]);
        lab.emu.faults.add({ path: "/v1.0/users", status: 429, retryAfter: 0, times: 1 });
        await graphRequest(gc, { method: "GET", version: "v1.0", path: "/users" });
    });

    test("503 forever: gives up after maxAttempts with a message naming the call", async () => {
        lab.emu.faults.add({ path: "/v1.0/groups", status: 503 });
        const e = await failure(graphRequest(gc, { ...GROUPS, description: "resolve group \"WHfB Pilot\"" }));
        expect(e.code).toBe("GRAPH_SERVICE_ERROR");
        expect(e.message).toMatch(/^resolve group "WHfB Pilot": Graph GET v1.0\/groups failed after 4 attempts: HTTP 503 ServiceUnavailable/);
        expect(e.retryable).toBe(true);
    });

    test("every 2nd request failing still completes a series", async () => {
        lab.emu.faults.add({ path: "/v1.0/groups/*", status: 502, everyNth: 2 });
        for (let i = 0; i < 4; i++) await graphRequest(gc, { method: "GET", version: "v1.0", path: `/groups/${SEED.groups.whfbPilot}` });
        // requests 2, 3 and 4 each hit the fault once and their retry went through (retries count as matches)
        expect(lab.emu.faults.list()[0]).toMatchObject({ matched: 7, applied: 3 });
    });

    test("a hang becomes a timeout error (per attempt, retried for GET)", async () => {
        lab.emu.faults.add({ path: "/v1.0/groups", hang: true });
        const quick = lab.client(undefined, { retry: { timeoutMs: 250, maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 } });
        const started = Date.now();
        const e = await failure(graphRequest(quick, GROUPS));
        expect(e.code).toBe("GRAPH_TIMEOUT");
        expect(e.message).toBe("Graph GET v1.0/groups timed out after 250 ms (2 attempts)");
        expect(Date.now() - started).toBeLessThan(2000);
    });

    test("an `after` reset: the POST is applied, its answer lost, and it is not repeated", async () => {
        const name = `after-reset-${process.pid}`;
        lab.emu.faults.add({ method: "POST", path: "/beta/deviceManagement/configurationPolicies", reset: true, after: true, times: 1 });
        const e = await failure(graphRequest(gc, { method: "POST", version: "beta", path: "/deviceManagement/configurationPolicies", body: { name, platforms: "windows10", technologies: "mdm" } }));
        expect(e.code).toBe("GRAPH_NETWORK");
        expect(lab.emu.state.dump().configurationPolicies.filter((p: any) => p.name === name)).toHaveLength(1); // made once
    });

    test("a failing token endpoint answers in Entra's words: a clear, retryable error, not MSAL's [object Object]", async () => {
        const fresh = lab.client(undefined, { shareCredential: false }); // its own MSAL app: no token cached, nothing throttled
        lab.emu.faults.add({ method: "POST", path: `/${lab.emu.tenantId}/oauth2/v2.0/token`, status: 503 });
        const e = await failure(graphRequest(fresh, GROUPS));
        expect([e.code, e.serviceCode, e.retryable]).toEqual(["GRAPH_AUTH", "AADSTS90033", true]);
        expect(e.message).toBe("Graph GET v1.0/groups: could not get a token: AADSTS90033: A transient error has occurred. Please try again. (Entra's token endpoint failed; this is transient, run again)");
    }, 60_000);

    test("latency under the timeout is fine", async () => {
        lab.emu.faults.add({ path: "/v1.0/groups", latencyMs: 100, times: 1 });
        await graphRequest(gc, GROUPS);
    });
});

describe("admin API (as the lab CLI or another process uses it)", () => {
    async function admin(method: string, p: string, body?: unknown) {
        const dispatcher = new Agent({ connect: { ca: [lab.caPem] } });
        try {
            const res = await fetch(`${lab.url}${p}`, { method, dispatcher, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) } as RequestInit);
            return { status: res.status, body: await res.json() };
        } finally {
            await dispatcher.close();
        }
    }

    test("faults set, listed and cleared over HTTP; the admin path itself cannot be faulted", async () => {
        const set = await admin("POST", "/_emulator/faults", { rules: [{ path: "/v1.0/groups", status: 503, times: 1 }] });
        expect(set.status).toBe(201);
        expect((await admin("GET", "/_emulator/faults")).body.value).toHaveLength(1);
        expect((await admin("POST", "/_emulator/faults", { path: "/_emulator/*", status: 500 })).status).toBe(400);
        await admin("DELETE", "/_emulator/faults");
        expect((await admin("GET", "/_emulator/faults")).body.value).toHaveLength(0);
    });

    test("state dump and app listing never carry secrets; reset restores the seed", async () => {
        const dump = await admin("GET", "/_emulator/state");
        expect(dump.body.groups.length).toBe(6);
        const apps = await admin("GET", "/_emulator/apps");
        const text = JSON.stringify(dump.body) + JSON.stringify(apps.body);
        expect(text).not.toContain(lab.secret);
        expect(text).not.toContain("PRIVATE KEY");
        expect(apps.body.value.find((a: any) => a.clientId === "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c")).toMatchObject({ hasClientSecret: true });
        lab.emu.state.addGroup({ displayName: "temporary" });
        expect((await admin("POST", "/_emulator/state/reset")).status).toBe(200);
        expect(lab.emu.state.groupsNamed("temporary")).toEqual([]);
        expect((await admin("PUT", "/_emulator/throttling", { conditionalAccess: { enabled: false } })).body.conditionalAccess.enabled).toBe(false);
    });
});

describe("state file", () => {
    test("written on each change and loaded on the next start", async () => {
        const stateFile = path.join(lab.dir, "state", "tenant.json");
        const certPath = path.join(lab.dir, "ca", "graph-emulator.crt"), keyPath = path.join(lab.dir, "ca", "graph-emulator.key");
        const a = new GraphEmulator({ certPath, keyPath, stateFile });
        a.state.addGroup({ displayName: "Persisted Group" });
        expect(fs.statSync(stateFile).mode & 0o777).toBe(0o600);
        await a.start();
        await a.stop();
        const b = new GraphEmulator({ certPath, keyPath, stateFile });
        expect(b.state.groupsNamed("Persisted Group")).toHaveLength(1);
        expect(() => new GraphEmulator({ certPath, keyPath, stateFile, tenantId: "00000000-0000-4000-8000-000000000001" })).toThrow(/belongs to tenant/);
        expect(() => new GraphEmulator({ certPath, keyPath, host: "0.0.0.0" })).toThrow(/loopback only/);
    });
});
