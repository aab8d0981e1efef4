// Test fixture: a Graph emulator in-process on an ephemeral loopback port with a fresh lab CA,
// plus apps for each credential type and helpers to build GraphConnections for the provider.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureLabCa, issueServerCert } from "../../../lab/ca";
import { GraphEmulator, LAB_APP_CLIENT_ID, labApp, type EmulatorApp } from "../../../lab/emulator";
import { b64url, signJwt } from "../../../lab/emulator/jwt";
import { createGraphClient, type GraphClient, type GraphClientOptions, type GraphConnection } from "../../../provider/graph";
import { resolveSecret } from "../../../provider/core/secrets";

export const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
export const GITHUB_SUBJECT = "repo:contoso/infra:ref:refs/heads/main";
export const CERT_APP_ID = "11111111-2222-4333-8444-000000000001";
export const FED_APP_ID = "11111111-2222-4333-8444-000000000002";
export const READER_APP_ID = "11111111-2222-4333-8444-000000000003"; // no Policy.* / Intune roles

/** Env var names the connections refer to (SecretRef { env }); values set per fixture. */
export const SECRET_ENV = "TEST_GRAPH_CLIENT_SECRET";
export const CERT_ENV = "TEST_GRAPH_CLIENT_CERT";
export const READER_SECRET_ENV = "TEST_GRAPH_READER_SECRET";

export interface GraphLab {
    dir: string;
    emu: GraphEmulator;
    url: string;
    caPem: string;
    secret: string;
    /** signs a GitHub-Actions-shaped OIDC token with the key the emulator trusts */
    githubToken(claims?: Record<string, unknown>): string;
    conn(credential?: GraphConnection["credential"], extra?: Partial<GraphConnection>): GraphConnection;
    client(credential?: GraphConnection["credential"], opts?: GraphClientOptions & { conn?: Partial<GraphConnection> }): GraphClient;
    close(): Promise<void>;
}

export const FAST_RETRY = { baseDelayMs: 10, maxDelayMs: 40, timeoutMs: 5000, maxAttempts: 4 };

export async function startGraphLab(opts: { throttleCa?: boolean } = {}): Promise<GraphLab> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "graph-lab-"));
    const ca = ensureLabCa(dir);
    const cert = issueServerCert(ca, "graph-emulator", ["localhost"], ["127.0.0.1"]);
    const caPem = fs.readFileSync(ca.certPath, "utf8");

    // app certificate for ClientCertificateCredential (RSA: MSAL signs PS256)
    const keyPath = path.join(dir, "app.key"), crtPath = path.join(dir, "app.crt");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=lab-cert-app", "-keyout", keyPath, "-out", crtPath], { stdio: "ignore" });
    const appCertPem = fs.readFileSync(crtPath, "utf8");

    // the "GitHub" OIDC signing key
    const gh = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const ghJwk = { ...(gh.publicKey.export({ format: "jwk" }) as object), kid: "gh-test-key", alg: "RS256", use: "sig" };

    const secret = b64url(randomBytes(24));
    const readerSecret = b64url(randomBytes(24));
    const apps: EmulatorApp[] = [
        labApp(secret),
        { clientId: CERT_APP_ID, displayName: "cert app", certificatePem: appCertPem, roles: ["Policy.Read.All"] },
        { clientId: FED_APP_ID, displayName: "github app", roles: ["Policy.Read.All", "Group.Read.All"],
            federated: [{ issuer: GITHUB_ISSUER, subject: GITHUB_SUBJECT, jwks: { keys: [ghJwk] } }] },
        { clientId: READER_APP_ID, displayName: "reader app", clientSecret: readerSecret, roles: ["Group.Read.All"] },
    ];
    const emu = new GraphEmulator({ certPath: cert.certPath, keyPath: cert.keyPath, port: 0, apps, throttling: { conditionalAccess: { enabled: opts.throttleCa ?? false } } });
    const { url } = await emu.start();

    process.env[SECRET_ENV] = secret;
    process.env[READER_SECRET_ENV] = readerSecret;
    process.env[CERT_ENV] = fs.readFileSync(keyPath, "utf8") + appCertPem;

    const githubToken = (claims: Record<string, unknown> = {}) => {
        const now = Math.floor(Date.now() / 1000);
        return signJwt({ alg: "RS256", typ: "JWT", kid: "gh-test-key" },
            { iss: GITHUB_ISSUER, sub: GITHUB_SUBJECT, aud: "api://AzureADTokenExchange", iat: now, nbf: now - 5, exp: now + 300, repository: "contoso/infra", ...claims },
            gh.privateKey as KeyObject);
    };
    const conn = (credential: GraphConnection["credential"] = { type: "clientSecret", clientId: LAB_APP_CLIENT_ID, clientSecret: { env: SECRET_ENV } }, extra: Partial<GraphConnection> = {}): GraphConnection =>
        ({ tenantId: emu.tenantId, credential, graphEndpoint: url, authorityHost: url, caCertificate: caPem, ...extra });
    const clients: GraphClient[] = [];
    return {
        dir, emu, url, caPem, secret, githubToken, conn,
        client(credential, o = {}) {
            const c = createGraphClient({ ...conn(credential), ...(o.conn ?? {}) }, (ref, input) => resolveSecret(ref, undefined, { input }), { retry: FAST_RETRY, ...o });
            clients.push(c);
            return c;
        },
        async close() {
            await Promise.all(clients.map((c) => c.close()));
            await emu.stop();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
