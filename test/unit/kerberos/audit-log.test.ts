// The tenant's audit log shared by every Kerberos server of a process: pages fetched once and
// lazily, failures retried, per-domain answers from shared pages, keys per tenant and credential
// (no secret in them), expiry and refresh.
import { resolveSecret } from "../../../provider/core/secrets";
import type { GraphConnection } from "../../../provider/graph";
import { AuditLogPages, observeFromPages, SharedAuditLog, type AuditLogSource, type AuditPage } from "../../../provider/kerberos/audit-log";

const TENANT_A = "7b0f2c3e-5d1a-4c8e-9f60-1a2b3c4d5e6f";
const TENANT_B = "11111111-2222-4333-8444-555555555555";
const APP = "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c";
const LAB = "https://127.0.0.1:47443";
const ENV: NodeJS.ProcessEnv = { GRAPH_SECRET: "graph-s3cr3t-value-123" };

function source(tenantId: string, env = ENV): AuditLogSource {
    const graph: GraphConnection = { tenantId, graphEndpoint: LAB, authorityHost: LAB, credential: { type: "clientSecret", clientId: APP, clientSecret: { env: "GRAPH_SECRET" } } };
    return { graph, env, resolveSecret: (ref, input) => resolveSecret(ref, undefined, { input, env }) };
}

/** A KerberosDomain event as the log shows it (audit.ts parses these). */
function event(domain: string, branchId: number, usn: number) {
    return {
        activityDisplayName: "Update Kerberos domain", operationType: "Update", activityDateTime: "2026-01-01T00:00:00Z",
        targetResources: [{ displayName: `krbtgt_${branchId}`, modifiedProperties: [
            { displayName: "KerberosDomainDnsName", newValue: JSON.stringify([domain]) },
            { displayName: "KerberosDomainDescription", newValue: JSON.stringify([{ Version: 0, BranchId: branchId, OriginatingUsn: usn }]) },
        ] }],
    };
}

function fetcher(pages: AuditPage[]) {
    const calls: (string | undefined)[] = [];
    const fetchPage = async (next?: string) => {
        calls.push(next);
        const i = next ? Number(next.split("=")[1]) : 0;
        return pages[i];
    };
    return { calls, fetchPage };
}

describe("AuditLogPages", () => {
    test("concurrent readers of a page share one request; later pages are fetched only when needed", async () => {
        const f = fetcher([{ events: [event("a.test", 1, 10)], next: "p?i=1" }, { events: [event("b.test", 2, 20)] }]);
        const pages = new AuditLogPages(f.fetchPage);
        const [x, y] = await Promise.all([observeFromPages(pages, "a.test", 1), observeFromPages(pages, "a.test", 1)]);
        expect(x?.keyVersion).toBe(10);
        expect(y).toEqual(x);
        expect(f.calls).toEqual([undefined]);
        expect((await observeFromPages(pages, "b.test", 2))?.keyVersion).toBe(20);
        expect(f.calls).toEqual([undefined, "p?i=1"]);
        expect(await observeFromPages(pages, "c.test", 3)).toBeNull(); // end of the log: nothing more fetched
        expect(f.calls).toHaveLength(2);
    });

    test("a failed page is forgotten: its readers see the failure, the next reader fetches it again", async () => {
        let fail = true;
        const pages = new AuditLogPages(async () => { if (fail) throw new Error("503"); return { events: [event("a.test", 1, 10)] }; });
        await expect(observeFromPages(pages, "a.test", 1)).rejects.toThrow("503");
        fail = false;
        expect((await observeFromPages(pages, "a.test", 1))?.keyVersion).toBe(10);
    });

    test("stops after maxPages", async () => {
        const calls: string[] = [];
        const pages = new AuditLogPages(async (next) => { calls.push(next ?? ""); return { events: [], next: `p?i=${calls.length}` }; });
        expect(await observeFromPages(pages, "a.test", 1, 3)).toBeNull();
        expect(calls).toHaveLength(3);
    });
});

describe("SharedAuditLog", () => {
    test("one set of pages per tenant and credential, shared by every domain", () => {
        const log = new SharedAuditLog();
        const f = fetcher([{ events: [] }]);
        const p = log.pages(source(TENANT_A), f.fetchPage);
        expect(log.pages(source(TENANT_A), f.fetchPage)).toBe(p);
        expect(log.pages(source(TENANT_B), f.fetchPage)).not.toBe(p); // no cross-tenant leakage
        expect(log.pages(source(TENANT_A, { GRAPH_SECRET: "another-credential-secret" }), f.fetchPage)).not.toBe(p);
    });

    test("the key names tenant and client, never the secret", () => {
        const key = new SharedAuditLog().key(source(TENANT_A));
        expect(key).toContain(TENANT_A);
        expect(key).not.toContain(ENV.GRAPH_SECRET!);
    });

    test("pages expire, can be invalidated, and pagesSince replaces pages older than a moment", () => {
        let t = 0;
        const log = new SharedAuditLog({ ttlMs: 60_000, now: () => t });
        const f = fetcher([{ events: [] }]);
        const first = log.pages(source(TENANT_A), f.fetchPage);
        t = 10;
        expect(log.pagesSince(source(TENANT_A), 0, f.fetchPage)).toBe(first); // taken at 0: young enough
        const second = log.pagesSince(source(TENANT_A), 5, f.fetchPage); // taken before 5: replaced
        expect(second).not.toBe(first);
        expect(log.pages(source(TENANT_A), f.fetchPage)).toBe(second); // and shared from then on
        log.invalidate(source(TENANT_A));
        const third = log.pages(source(TENANT_A), f.fetchPage);
        expect(third).not.toBe(second);
        t = 10 + 60_000;
        expect(log.pages(source(TENANT_A), f.fetchPage)).not.toBe(third);
    });
});
