// One credential per identity per process: shared across resources, never across tenants or
// secrets, keys without secrets, expiry; concurrent first token requests coalesce. No network.
import type { AccessToken, TokenCredential } from "@azure/identity";
import { resolveSecret } from "../../../provider/core/secrets";
import { CredentialRegistry, credentialKey, RenewableCredential, singleFlight } from "../../../provider/graph/credential-cache";
import { RenewRejectedToken } from "../../../provider/graph/renew-token";
import type { CredentialContext } from "../../../provider/graph/credential";
import { resolveEndpoints } from "../../../provider/graph/endpoints";
import type { GraphConnection } from "../../../provider/graph";

const TENANT_A = "7b0f2c3e-5d1a-4c8e-9f60-1a2b3c4d5e6f";
const TENANT_B = "11111111-2222-4333-8444-555555555555";
const APP = "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c";
const LAB = "https://127.0.0.1:47443";
const SECRETS: NodeJS.ProcessEnv = { SECRET_1: "first-s3cr3t-value", SECRET_2: "second-s3cr3t-value" };

const conn = (tenantId: string, secretEnv = "SECRET_1"): GraphConnection => ({
    tenantId, graphEndpoint: LAB, authorityHost: LAB, credential: { type: "clientSecret", clientId: APP, clientSecret: { env: secretEnv } },
});
function ctx(c: GraphConnection, env: NodeJS.ProcessEnv = SECRETS): CredentialContext {
    return { endpoints: resolveEndpoints(c), env, resolveSecret: (ref, input) => resolveSecret(ref, undefined, { input, env }) };
}

describe("CredentialRegistry", () => {
    test("the same identity gets the same credential (one token cache for every resource)", () => {
        const r = new CredentialRegistry();
        const a = r.credential(conn(TENANT_A), ctx(conn(TENANT_A)));
        expect(r.credential(conn(TENANT_A), ctx(conn(TENANT_A)))).toBe(a);
        expect(r.size).toBe(1);
    });

    test("another tenant, another secret or the same secret rotated never shares a credential", () => {
        const r = new CredentialRegistry();
        const a = r.credential(conn(TENANT_A), ctx(conn(TENANT_A)));
        expect(r.credential(conn(TENANT_B), ctx(conn(TENANT_B)))).not.toBe(a);
        expect(r.credential(conn(TENANT_A, "SECRET_2"), ctx(conn(TENANT_A, "SECRET_2")))).not.toBe(a);
        const rotated = { ...SECRETS, SECRET_1: "rotated-s3cr3t-value" };
        expect(r.credential(conn(TENANT_A), ctx(conn(TENANT_A), rotated))).not.toBe(a);
        expect(r.size).toBe(4);
    });

    test("keys name the identity and never contain the secret", () => {
        const key = credentialKey(conn(TENANT_A), ctx(conn(TENANT_A)));
        expect(key).toContain(TENANT_A);
        expect(key).toContain(APP);
        for (const v of Object.values(SECRETS)) expect(key).not.toContain(v!);
        expect(key).not.toContain(SECRETS.SECRET_1!.slice(0, 8));
    });

    test("an entry expires: after the TTL a new credential is built", () => {
        let t = 0;
        const r = new CredentialRegistry({ ttlMs: 1000, now: () => t });
        const a = r.credential(conn(TENANT_A), ctx(conn(TENANT_A)));
        t = 999;
        expect(r.credential(conn(TENANT_A), ctx(conn(TENANT_A)))).toBe(a);
        t = 1000;
        expect(r.credential(conn(TENANT_A), ctx(conn(TENANT_A)))).not.toBe(a);
    });
});

describe("singleFlight", () => {
    function fake() {
        const calls: unknown[] = [];
        let release!: (t: AccessToken) => void;
        const inner: TokenCredential = {
            getToken: (scopes, options) => { calls.push(options); return new Promise<AccessToken>((r) => { release = r; }); },
        };
        return { calls, inner, release: (token: string) => release({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
    }

    test("concurrent plain getToken calls for the same scope make one request", async () => {
        const f = fake();
        const c = singleFlight(f.inner);
        const a = c.getToken("https://graph.microsoft.com/.default");
        const b = c.getToken(["https://graph.microsoft.com/.default"]);
        f.release("tok");
        expect((await a)?.token).toBe("tok");
        expect((await b)?.token).toBe("tok");
        expect(f.calls).toHaveLength(1);
        // settled: the next call asks the credential again (its own cache answers it)
        void c.getToken("https://graph.microsoft.com/.default");
        expect(f.calls).toHaveLength(2);
    });

    test("calls with options (abort signal, tenant, claims) are never merged", () => {
        const f = fake();
        const c = singleFlight(f.inner);
        void c.getToken("s");
        void c.getToken("s", { abortSignal: new AbortController().signal });
        void c.getToken("s", { tenantId: TENANT_B });
        expect(f.calls).toHaveLength(3);
    });
});

describe("renewing a shared credential whose token is refused", () => {
    test("renew() builds a fresh credential for every later caller", async () => {
        let built = 0;
        const c = new RenewableCredential(() => { const n = ++built; return { getToken: async () => ({ token: `t${n}`, expiresOnTimestamp: 0 }) }; });
        expect((await c.getToken("s"))?.token).toBe("t1");
        c.renew();
        expect((await c.getToken("s"))?.token).toBe("t2");
        expect(built).toBe(2);
    });

    test("a 401 renews the credential and sends the request once more, without the old Authorization header", async () => {
        const renewals: number[] = [];
        const seen: (string | undefined)[] = [];
        const statuses = [401, 200];
        const mw = new RenewRejectedToken({ renew: () => renewals.push(1) });
        mw.setNext({
            async execute(context: any) {
                seen.push(context.options.headers.Authorization);
                context.options.headers.Authorization = `Bearer fresh-${seen.length}`; // what AuthenticationHandler appends
                context.response = { status: statuses.shift() };
            },
        });
        const context: any = { request: "https://graph/v1.0/x", options: { headers: {} } };
        await mw.execute(context);
        expect(context.response.status).toBe(200);
        expect(renewals).toHaveLength(1);
        expect(seen).toEqual([undefined, undefined]); // the retry did not carry the refused token
    });

    test("a second 401 is reported, not retried again", async () => {
        const mw = new RenewRejectedToken({ renew: () => undefined });
        let calls = 0;
        mw.setNext({ async execute(context: any) { calls++; context.response = { status: 401 }; } });
        const context: any = { request: "https://graph/v1.0/x", options: { headers: {} } };
        await mw.execute(context);
        expect([calls, context.response.status]).toEqual([2, 401]);
    });
});
