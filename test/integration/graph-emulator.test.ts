// The Graph emulator driven through the REAL @azure/identity credentials and the REAL Graph client,
// via provider/graph's factory: token flows for each credential type, 401/403 shapes, TLS trust.
import * as fs from "node:fs";
import * as path from "node:path";
import { ClientSecretCredential } from "@azure/identity";
import { ensureLabCa } from "../../lab/ca";
import { LAB_APP_CLIENT_ID, SEED } from "../../lab/emulator";
import { graphListAll, graphRequest } from "../../provider/graph";
import { isProviderError, ProviderError } from "../../provider/core/errors";
import { CERT_APP_ID, CERT_ENV, FED_APP_ID, GITHUB_SUBJECT, READER_APP_ID, READER_SECRET_ENV, SECRET_ENV, startGraphLab, type GraphLab } from "./support/graph-lab";

let lab: GraphLab;
beforeAll(async () => { lab = await startGraphLab(); });
afterAll(async () => { await lab?.close(); });

async function failure(p: Promise<unknown>): Promise<ProviderError> {
    try {
        await p;
    } catch (e) {
        if (isProviderError(e)) return e;
        throw e;
    }
    throw new Error("expected the call to fail");
}

const CA = { method: "GET", version: "v1.0", path: "/identity/conditionalAccess/policies" } as const;

describe("tokens through real @azure/identity credentials", () => {
    test("ClientSecretCredential lists CA policies", async () => {
        const gc = lab.client();
        const body = await graphRequest(gc, CA);
        expect(body["@odata.context"]).toBe(`${lab.url}/v1.0/$metadata#identity/conditionalAccess/policies`);
        expect(body.value.map((p: any) => p.displayName).sort()).toEqual(["Block legacy auth", "Require MFA for all users"]);
    });

    test("a Graph call without a token gets 401 with Graph's error body and WWW-Authenticate", async () => {
        const { Agent } = await import("undici");
        const dispatcher = new Agent({ connect: { ca: [lab.caPem] } });
        try {
            const res = await fetch(`${lab.url}/v1.0/groups`, { dispatcher, headers: { "client-request-id": "cafe0000-0000-4000-8000-000000000001" } } as RequestInit);
            expect(res.status).toBe(401);
            expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
            const body = await res.json();
            expect(body.error.code).toBe("InvalidAuthenticationToken");
            expect(body.error.message).toBe("Access token is empty.");
            expect(body.error.innerError).toEqual({ date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/), "request-id": res.headers.get("request-id"), "client-request-id": "cafe0000-0000-4000-8000-000000000001" });
        } finally {
            await dispatcher.close();
        }
    });

    test("a wrong client secret fails with AADSTS7000215, without the secret in the message", async () => {
        process.env.TEST_WRONG_SECRET = "definitely-not-the-secret-123";
        const gc = lab.client({ type: "clientSecret", clientId: LAB_APP_CLIENT_ID, clientSecret: { env: "TEST_WRONG_SECRET" } });
        const e = await failure(graphRequest(gc, CA));
        expect(e.code).toBe("GRAPH_AUTH");
        expect(e.serviceCode).toBe("AADSTS7000215");
        expect(e.message).toContain("AADSTS7000215: Invalid client secret provided");
        expect(e.message).not.toContain("definitely-not-the-secret-123");
        expect(JSON.stringify(e)).not.toContain("definitely-not-the-secret-123");
    });

    test("a missing secret reference fails before any request, naming the reference", () => {
        expect(() => lab.client({ type: "clientSecret", clientId: LAB_APP_CLIENT_ID, clientSecret: { env: "TEST_UNSET_SECRET_VAR" } }))
            .toThrow(/environment variable "TEST_UNSET_SECRET_VAR" \(graph.credential.clientSecret\) is not set/);
    });

    test("githubOidc: ClientAssertionCredential over an Actions-style OIDC token (federated credential)", async () => {
        let requests = 0;
        // the Actions token endpoint, played by a mounted route: checks the runner's bearer and the audience
        lab.emu.mount("/test/github-oidc", async (req) => {
            requests++;
            if (req.headers.authorization !== "bearer runner-request-token") return { status: 401, body: { message: "bad runner token" } };
            if (req.query.get("audience") !== "api://AzureADTokenExchange") return { status: 400, body: { message: "audience" } };
            return { status: 200, body: { value: lab.githubToken() } };
        });
        const env = { ACTIONS_ID_TOKEN_REQUEST_URL: `${lab.url}/test/github-oidc/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: "runner-request-token" };
        const gc = lab.client({ type: "githubOidc", clientId: FED_APP_ID }, { env });
        const groups = await graphListAll(gc, { version: "v1.0", path: "/groups", query: { $filter: "displayName eq 'WHfB Pilot'" } });
        expect(groups.map((g) => g.id)).toEqual([SEED.groups.whfbPilot]);
        expect(requests).toBeGreaterThanOrEqual(1); // @azure/identity may ask for the assertion more than once
    });

    test("a federated token with another subject is refused with AADSTS70021", async () => {
        const tokenFile = path.join(lab.dir, "wrong-subject.jwt");
        fs.writeFileSync(tokenFile, lab.githubToken({ sub: "repo:evil/fork:pull_request" }));
        const gc = lab.client({ type: "workloadIdentity", clientId: FED_APP_ID, tokenFilePath: tokenFile });
        const e = await failure(graphRequest(gc, CA));
        expect(e.code).toBe("GRAPH_AUTH");
        expect(e.serviceCode).toBe("AADSTS70021");
        expect(e.message).toContain("No matching federated identity record found");
    });

    test("workloadIdentity: a federated token from a file", async () => {
        const tokenFile = path.join(lab.dir, "federated.jwt");
        fs.writeFileSync(tokenFile, lab.githubToken());
        const gc = lab.client({ type: "workloadIdentity", clientId: FED_APP_ID, tokenFilePath: tokenFile });
        const body = await graphRequest(gc, CA);
        expect(body.value).toHaveLength(2);
        expect(GITHUB_SUBJECT).toContain("repo:");
    });

    test("clientCertificate: ClientCertificateCredential with a PEM from a secret reference", async () => {
        const gc = lab.client({ type: "clientCertificate", clientId: CERT_APP_ID, certificatePem: { env: CERT_ENV } });
        const body = await graphRequest(gc, CA);
        expect(body.value).toHaveLength(2);
    });

    test("a certificate the app does not have is refused (AADSTS700027)", async () => {
        const gc = lab.client({ type: "clientCertificate", clientId: LAB_APP_CLIENT_ID, certificatePem: { env: CERT_ENV } });
        const e = await failure(graphRequest(gc, CA));
        expect(e.serviceCode).toBe("AADSTS700027");
    });

    test("an unknown app is refused with AADSTS700016", async () => {
        const gc = lab.client({ type: "clientSecret", clientId: "99999999-9999-4999-8999-999999999999", clientSecret: { env: SECRET_ENV } });
        const e = await failure(graphRequest(gc, CA));
        expect(e.serviceCode).toBe("AADSTS700016");
    });

    test("a non-.default scope is refused with AADSTS1002012", async () => {
        const cred = new ClientSecretCredential(lab.emu.tenantId, LAB_APP_CLIENT_ID, lab.secret, { authorityHost: lab.url, disableInstanceDiscovery: true, tlsOptions: { ca: [lab.caPem] } });
        await expect(cred.getToken("https://graph.microsoft.com/Group.Read.All")).rejects.toThrow(/AADSTS1002012/);
    });
});

describe("permissions and trust", () => {
    test("a missing application permission gives 403 Authorization_RequestDenied (CA)", async () => {
        const gc = lab.client({ type: "clientSecret", clientId: READER_APP_ID, clientSecret: { env: READER_SECRET_ENV } });
        // the reader may list groups...
        expect((await graphRequest(gc, { method: "GET", version: "v1.0", path: "/groups" })).value.length).toBeGreaterThan(0);
        // ...but not CA policies
        const e = await failure(graphRequest(gc, { ...CA, description: "ConditionalAccessExclusion \"storage\"" }));
        expect(e.code).toBe("GRAPH_FORBIDDEN");
        expect(e.httpStatus).toBe(403);
        expect(e.serviceCode).toBe("Authorization_RequestDenied");
        expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
        expect(e.message).toContain("ConditionalAccessExclusion \"storage\": Graph GET v1.0/identity/conditionalAccess/policies failed: HTTP 403");
        expect(e.message).toContain("Policy.Read.All");
    });

    test("a missing Intune permission gives 403 Forbidden with Intune's JSON message, made readable", async () => {
        const gc = lab.client({ type: "clientSecret", clientId: READER_APP_ID, clientSecret: { env: READER_SECRET_ENV } });
        const e = await failure(graphRequest(gc, { method: "GET", version: "beta", path: "/deviceManagement/configurationPolicies" }));
        expect(e.serviceCode).toBe("Forbidden");
        expect(e.message).toContain("Application is not authorized to perform this operation");
        expect(e.message).not.toContain("_version"); // the JSON wrapper is unwrapped
    });

    test("the wrong CA fails closed with a message naming graph.caCertificate", async () => {
        const other = makeOtherCa(lab.dir);
        const gc = lab.client(undefined, { conn: { caCertificate: other } });
        const e = await failure(graphRequest(gc, CA));
        expect(e.code).toBe("GRAPH_TLS");
        expect(e.input).toBe("graph.caCertificate");
        expect(e.message).toMatch(/TLS certificate of the authority https:\/\/127\.0\.0\.1:\d+ is not trusted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/);
    });

    test("the wrong CA on the Graph side (token obtained elsewhere) fails closed too", async () => {
        const credential = new ClientSecretCredential(lab.emu.tenantId, LAB_APP_CLIENT_ID, lab.secret, { authorityHost: lab.url, disableInstanceDiscovery: true, tlsOptions: { ca: [lab.caPem] } });
        const gc = lab.client(undefined, { credential, conn: { caCertificate: makeOtherCa(lab.dir) } });
        const e = await failure(graphRequest(gc, CA));
        expect(e.code).toBe("GRAPH_TLS");
        expect(e.message).toMatch(/Graph GET v1.0\/identity\/conditionalAccess\/policies failed: the TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted/);
        expect(e.retryable).toBe(false);
    });

    test("a bad caCertificate is refused before any request", () => {
        expect(() => lab.client(undefined, { conn: { caCertificate: "not a pem" } })).toThrow(/graph.caCertificate must be PEM/);
    });

    test("an unknown tenant is reported as such", async () => {
        const gc = lab.client(undefined, { conn: { tenantId: "00000000-1111-4222-8333-444444444444" } });
        const e = await failure(graphRequest(gc, CA));
        expect(e.code).toBe("GRAPH_AUTH");
        expect(e.input).toBe("graph.tenantId");
    });

    test("the request log holds no secrets or tokens", () => {
        const text = JSON.stringify(lab.emu.requestLog);
        expect(lab.emu.requestLog.length).toBeGreaterThan(5);
        expect(text).not.toContain(lab.secret);
        expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
        expect(Object.keys(lab.emu.requestLog[0]).sort()).toEqual(["at", "method", "path", "status"]);
    });
});

/** A second, unrelated lab CA: valid PEM, but not the issuer of the emulator's certificate. */
function makeOtherCa(dir: string): string {
    return fs.readFileSync(ensureLabCa(path.join(dir, "other")).certPath, "utf8");
}
