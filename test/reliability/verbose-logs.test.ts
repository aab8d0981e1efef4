// What the engine's verbose logs hold, for docs/operations.md "Secrets" (issue 14): a preview of
// two CloudTrustPolicies, one whose client secret is a { config } reference and one whose is an
// { env } reference, through the real Pulumi CLI. Measured with the pinned CLI (v3.248.0): up to
// -v=6 neither secret appears anywhere; from -v=7 the engine logs the default dynamic provider's
// configuration, which is the whole stack config, so the { config } secret appears in plain text
// (on stderr with --logtostderr, otherwise in the log files it writes under $TMPDIR). The
// { env } secret never does: it exists only in the provider host's environment. A preview of a
// new CloudTrustPolicy makes no request, so the endpoints point at a closed loopback port.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { rootCertificates } from "node:tls";
import { createTestStack, type TestStack } from "../support/stack";
import { PROGRAM } from "./support/inputs";
import { record } from "./support/results";
import { deadPort } from "./support/tls-proxy";

jest.setTimeout(300_000);

/** The last -v level at which the engine logs no stack config value (docs/operations.md "Secrets"). */
const SAFE_VERBOSITY = 6;
const FROM_CONFIG = `CfgSecret-${randomBytes(9).toString("hex")}`;
const FROM_ENV = `EnvSecret-${randomBytes(9).toString("hex")}`;
let t: TestStack;
let logDir: string;

beforeAll(async () => {
    const port = await deadPort();
    const graph = (clientSecret: unknown) => ({
        tenantId: "7b0f2c3e-5d1a-4c8e-9f60-1a2b3c4d5e6f", credential: { type: "clientSecret", clientId: "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c", clientSecret },
        graphEndpoint: `https://127.0.0.1:${port}`, authorityHost: `https://127.0.0.1:${port}`, caCertificate: rootCertificates[0],
    });
    const policies = [
        { name: "from-config", args: { graph: graph({ config: "graphSecret" }), displayName: "from config" } },
        { name: "from-env", args: { graph: graph({ env: "GRAPH_SECRET_FROM_ENV" }), displayName: "from env" } },
    ];
    logDir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-kerberos-verbose-"));
    t = await createTestStack({
        programDir: PROGRAM, env: { GRAPH_SECRET_FROM_ENV: FROM_ENV, TMPDIR: logDir },
        config: {
            servers: { value: "[]" }, hostToRealmMappings: { value: "[]" }, exclusions: { value: "[]" },
            cloudTrustPolicies: { value: JSON.stringify(policies) }, graphSecret: { value: FROM_CONFIG, secret: true },
        },
    });
}, 120_000);

afterAll(async () => {
    await t?.dispose();
    fs.rmSync(logDir, { recursive: true, force: true });
});

const logFiles = () => fs.readdirSync(logDir).filter((f) => f.startsWith("pulumi")).map((f) => fs.readFileSync(path.join(logDir, f), "utf8")).join("\n");

async function observe(name: string, fn: () => Promise<void>): Promise<void> {
    let ok = false;
    try { await fn(); ok = true; } finally { record({ kind: "property", area: "secrets", name, ok }); }
}

test(`up to -v=${SAFE_VERBOSITY} (--logtostderr --logflow), neither secret is in the engine's output`, () => observe(`-v=${SAFE_VERBOSITY}: no stack config value logged`, async () => {
    const r = await t.stack.preview({ logVerbosity: SAFE_VERBOSITY, logToStdErr: true, logFlow: true });
    expect(r.stderr.length).toBeGreaterThan(10_000); // it was verbose
    const all = `${r.stdout}\n${r.stderr}`;
    expect({ config: all.includes(FROM_CONFIG), env: all.includes(FROM_ENV) }).toEqual({ config: false, env: false });
}));

test(`from -v=${SAFE_VERBOSITY + 1} the { config } secret is logged in plain text, the { env } secret is not`, () => observe(`-v=${SAFE_VERBOSITY + 1}: { config } logged, { env } not`, async () => {
    const r = await t.stack.preview({ logVerbosity: SAFE_VERBOSITY + 1, logToStdErr: true, logFlow: true });
    const all = `${r.stdout}\n${r.stderr}`;
    expect({ config: all.includes(FROM_CONFIG), env: all.includes(FROM_ENV) }).toEqual({ config: true, env: false });
}));

test("without --logtostderr the same log goes to files under $TMPDIR, with the { config } secret in them", () => observe("-v without --logtostderr: log files under $TMPDIR", async () => {
    const r = await t.stack.preview({ logVerbosity: SAFE_VERBOSITY + 1 });
    expect(`${r.stdout}\n${r.stderr}`).not.toContain(FROM_CONFIG);
    const files = logFiles();
    expect(files.length).toBeGreaterThan(0);
    expect({ config: files.includes(FROM_CONFIG), env: files.includes(FROM_ENV) }).toEqual({ config: true, env: false });
}));
