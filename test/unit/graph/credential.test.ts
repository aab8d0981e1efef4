// GraphConnection.credential -> @azure/identity classes, and the options each gets. No network.
import {
    AzureCliCredential, ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential,
    DefaultAzureCredential, ManagedIdentityCredential, WorkloadIdentityCredential,
} from "@azure/identity";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { authorityOptions, createCredential, type CredentialContext } from "../../../provider/graph/credential";
import { resolveEndpoints } from "../../../provider/graph/endpoints";
import { trustList } from "../../../provider/graph/tls";
import { createGraphClient, type GraphConnection } from "../../../provider/graph";
import { isProviderError } from "../../../provider/core/errors";
import { resolveSecret } from "../../../provider/core/secrets";

const TENANT = "7b0f2c3e-5d1a-4c8e-9f60-1a2b3c4d5e6f";
const APP = "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c";
const LAB = "https://127.0.0.1:47443";

let pem: string; // a real key + self-signed certificate, for the certificate credential
let caPem: string;
beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cred-unit-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=unit", "-keyout", `${dir}/k.pem`, "-out", `${dir}/c.pem`], { stdio: "ignore" });
    caPem = fs.readFileSync(`${dir}/c.pem`, "utf8");
    pem = fs.readFileSync(`${dir}/k.pem`, "utf8") + caPem;
    fs.rmSync(dir, { recursive: true });
});

function ctx(conn: GraphConnection, env: NodeJS.ProcessEnv = {}): CredentialContext {
    return { endpoints: resolveEndpoints(conn), ca: trustList(conn.caCertificate), env, resolveSecret: (ref, input) => resolveSecret(ref, { KEY: "config-secret" }, { input, env: { SECRET: "s3cr3t-value", CERT: pem, BADCERT: "just text" } }) };
}
const lab = (credential: GraphConnection["credential"]): GraphConnection => ({ tenantId: TENANT, credential, graphEndpoint: LAB, authorityHost: LAB });

describe("credential classes", () => {
    test.each([
        [{ type: "default" }, DefaultAzureCredential],
        [{ type: "azureCli" }, AzureCliCredential],
        [{ type: "managedIdentity" }, ManagedIdentityCredential],
        [{ type: "managedIdentity", clientId: APP }, ManagedIdentityCredential],
        [{ type: "workloadIdentity", clientId: APP, tokenFilePath: "/var/run/secrets/azure/tokens/azure-identity-token" }, WorkloadIdentityCredential],
        [{ type: "clientSecret", clientId: APP, clientSecret: { env: "SECRET" } }, ClientSecretCredential],
        [{ type: "clientSecret", clientId: APP, clientSecret: { config: "KEY" } }, ClientSecretCredential],
    ] as [GraphConnection["credential"], new (...a: any[]) => unknown][])("%j -> %p", (credential, cls) => {
        const conn = lab(credential);
        expect(createCredential(conn, ctx(conn))).toBeInstanceOf(cls);
    });

    test("clientCertificate takes the PEM (key + certificate) from its reference", () => {
        const conn = lab({ type: "clientCertificate", clientId: APP, certificatePem: { env: "CERT" } });
        expect(createCredential(conn, ctx(conn))).toBeInstanceOf(ClientCertificateCredential);
    });

    test("githubOidc is a ClientAssertionCredential and needs the Actions variables", () => {
        const conn = lab({ type: "githubOidc", clientId: APP });
        const env = { ACTIONS_ID_TOKEN_REQUEST_URL: "https://pipelines.actions.githubusercontent.com/x?api-version=2.0", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "t" };
        expect(createCredential(conn, ctx(conn, env))).toBeInstanceOf(ClientAssertionCredential);
        expect(() => createCredential(conn, ctx(conn, {}))).toThrow(/ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN.*id-token: write/);
    });
});

describe("authority options (azure-identity-local.md recipe)", () => {
    test("a lab authority: instance discovery off, private CA appended to the public roots", () => {
        const conn: GraphConnection = { ...lab({ type: "default" }), caCertificate: caPem };
        const ep = resolveEndpoints(conn);
        const opts = authorityOptions(ep, trustList(conn.caCertificate));
        expect(opts.authorityHost).toBe(LAB);
        expect(opts.disableInstanceDiscovery).toBe(true);
        expect(opts.tlsOptions.ca![opts.tlsOptions.ca!.length - 1]).toContain("BEGIN CERTIFICATE");
        expect(opts.tlsOptions.ca!.length).toBeGreaterThan(100); // the public roots stay
        expect(opts.tlsOptions.rejectUnauthorized).toBe(true);
        expect(ep.graphHostname).toBe("127.0.0.1"); // customHosts: hostname only, no port
        expect(ep.scope).toBe("https://graph.microsoft.com/.default");
    });

    test("the public cloud: defaults, discovery on, the default roots, verification forced on", () => {
        const ep = resolveEndpoints({ tenantId: TENANT, credential: { type: "azureCli" } });
        expect(ep).toMatchObject({ authorityHost: "https://login.microsoftonline.com", graphEndpoint: "https://graph.microsoft.com", disableInstanceDiscovery: false });
        expect(authorityOptions(ep, undefined)).toEqual({ authorityHost: "https://login.microsoftonline.com", tlsOptions: { rejectUnauthorized: true } });
    });

    test("a national cloud asks for its own Graph resource", () => {
        const ep = resolveEndpoints({ tenantId: TENANT, credential: { type: "default" }, graphEndpoint: "https://graph.microsoft.us", authorityHost: "https://login.microsoftonline.us/" });
        expect(ep.scope).toBe("https://graph.microsoft.us/.default");
        expect(ep.disableInstanceDiscovery).toBe(false);
    });
});

describe("configuration errors name the input, never a secret", () => {
    function err(f: () => unknown) {
        try { f(); } catch (e) { if (isProviderError(e)) return e; throw e; }
        throw new Error("expected an error");
    }
    test("plain http endpoints are refused", () => {
        const e = err(() => resolveEndpoints({ tenantId: TENANT, credential: { type: "default" }, authorityHost: "http://127.0.0.1:8080" }));
        expect([e.code, e.input]).toEqual(["GRAPH_CONFIG", "graph.authorityHost"]);
    });
    test("a client id that is not a GUID", () => {
        const conn = lab({ type: "clientSecret", clientId: "my-app", clientSecret: { env: "SECRET" } });
        expect(err(() => createCredential(conn, ctx(conn))).input).toBe("graph.credential.clientId");
    });
    test("a certificate reference that holds no key names the reference, not the value", () => {
        const conn = lab({ type: "clientCertificate", clientId: APP, certificatePem: { env: "BADCERT" } });
        const e = err(() => createCredential(conn, ctx(conn)));
        expect(e.message).toBe('graph.credential.certificatePem (environment variable "BADCERT") must hold a PEM private key and its certificate');
    });
    test("a missing secret names the reference and the input", () => {
        const conn = lab({ type: "clientSecret", clientId: APP, clientSecret: { env: "NOPE" } });
        const e = err(() => createCredential(conn, ctx(conn)));
        expect([e.code, e.message]).toEqual(["SECRET_NOT_FOUND", 'secret environment variable "NOPE" (graph.credential.clientSecret) is not set; set it in the environment of the process running pulumi']);
    });
    test("an unknown credential type", () => {
        const conn = lab({ type: "password" } as any);
        expect(err(() => createCredential(conn, ctx(conn))).message).toMatch(/graph.credential.type must be one of/);
    });
    test("createGraphClient builds without I/O and closes", async () => {
        const gc = createGraphClient({ ...lab({ type: "clientSecret", clientId: APP, clientSecret: { env: "X" } }), caCertificate: caPem }, () => "value", { retry: { maxAttempts: 2 } });
        expect(gc.retry.maxAttempts).toBe(2);
        expect(gc.retry.timeoutMs).toBe(30_000);
        expect(gc.dispatcher).toBeDefined();
        await gc.close();
    });
});
