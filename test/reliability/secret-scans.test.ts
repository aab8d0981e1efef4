// No secret anywhere a user or a log collector can see it. Every resource of the package through the
// real Pulumi CLI on the reliability lab, with the engine at its most talkative (-v=9, logs and the
// plugins' output flowed to stderr, --debug): up, refresh, an up that fails on a wrong password and
// a wrong client secret, an up that repairs, destroy. Then each text is scanned for every secret used (the lab's
// passwords and client secret, the wrong ones, the lab's private keys, and anything shaped like
// a token or a private key): `pulumi stack export --show-secrets`, the engine's stdout and stderr,
// the error texts, the emulator's and the DCs' logs, and this suite's own results file.
// All credentials are { env } references: docs/operations.md "Secrets" says why { config } is
// different (the engine stores stack config itself); the last test shows that caveat, so the scan
// is also seen to find a secret where one is.
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import type { TestStack } from "../support/stack";
import { seedForeignPolicy } from "./support/ca";
import { cloudTrustArgs, declare, exclusionArgs, failureText, hostToRealmArgs, reliabilityStack, serverArgs, type Declared } from "./support/inputs";
import { forest, reliabilityLab } from "./support/lab";
import { RESULTS_FILE } from "./support/results";
import { scanForSecrets, type NamedSecret } from "./support/secret-scan";

jest.setTimeout(300_000);

const lab = reliabilityLab();
const fab = forest(lab, "fabrikam");
const run = randomBytes(3).toString("hex");
const VERBOSE = { logVerbosity: 9, logToStdErr: true, logFlow: true, debug: true };
const wrong = { password: `Wrong-${randomBytes(9).toString("base64url")}-9a`, clientSecret: randomBytes(24).toString("base64url") };
const texts: Record<string, string[]> = { stdout: [], stderr: [], errors: [] };
let t: TestStack;

function secrets(): NamedSecret[] {
    const out: NamedSecret[] = Object.entries(lab.secrets).map(([name, value]) => ({ name: `lab secret ${name}`, value }));
    out.push({ name: "the wrong directory password", value: wrong.password }, { name: "the wrong client secret", value: wrong.clientSecret });
    const caDir = path.dirname(lab.caCertPath);
    for (const f of fs.readdirSync(caDir).filter((x) => x.endsWith(".key"))) out.push({ name: `private key ${f}`, value: fs.readFileSync(path.join(caDir, f), "utf8") });
    return out;
}

const declared = (step: 0 | 1): Declared => ({
    servers: [{ name: "fabrikam", args: serverArgs(lab, fab, step ? { allowedGroups: ["Domain Users", "Domain Guests"] } : {}) }],
    cloudTrustPolicies: [{ name: "ctp", args: cloudTrustArgs(lab, `rel-secrets-ctp-${run}`, step ? { description: "changed" } : {}) }],
    hostToRealmMappings: [{ name: "h2r", args: hostToRealmArgs(lab, `rel-secrets-h2r-${run}`) }],
    exclusions: [{ name: "storage", args: exclusionArgs(lab, `rel-secrets-ca-${run}`, { excludeGroups: ["Storage Users"] }) }],
});

function keep(r: { stdout?: string; stderr?: string }): void {
    texts.stdout.push(r.stdout ?? "");
    texts.stderr.push(r.stderr ?? "");
}

beforeAll(async () => {
    await seedForeignPolicy(lab, `rel-secrets-ca-${run}`);
    t = await reliabilityStack(lab, declared(0));
}, 120_000);

afterAll(async () => {
    await t?.stack.destroy().catch(() => undefined);
    await t?.dispose();
}, 300_000);

test("up, refresh, a failing up and a repairing up, with the engine at -v=9", async () => {
    keep(await t.stack.up(VERBOSE));
    keep(await t.stack.preview({ ...VERBOSE, refresh: true, diff: true }));

    // the secrets the environment holds are wrong now, one at a time: the errors must not repeat them
    const env = (t.stack.workspace as LocalWorkspace).envVars;
    await declare(t, declared(1));
    for (const [name, value, expected] of [
        [fab.adminPasswordEnv, wrong.password, /invalid credentials/],              // named by its input, never quoted
        [lab.emulator.app.clientSecretEnv, wrong.clientSecret, /AADSTS7000215/],    // Entra's code for a wrong secret
    ] as const) {
        env[name] = value;
        try {
            const text = await failureText(t.stack.up({ ...VERBOSE, continueOnError: true }));
            texts.errors.push(text);
            expect(text).toMatch(expected);
        } finally {
            env[name] = lab.secrets[name];
        }
    }

    keep(await t.stack.up(VERBOSE));
    expect(texts.stderr.join("").length).toBeGreaterThan(100_000); // it really was verbose
});

test.each([
    ["pulumi stack export --show-secrets", async () => JSON.stringify(await t.exportState())],
    ["engine stdout (-v=9 --debug)", async () => texts.stdout.join("\n")],
    ["engine stderr (-v=9 --logtostderr --logflow: the engine's logs and the provider host's output)", async () => texts.stderr.join("\n")],
    ["error messages of the failed up", async () => texts.errors.join("\n")],
    ["the lab emulator's and publisher's log (cloud.log)", async () => fs.readFileSync(path.join(lab.labDir, "cloud.log"), "utf8")],
    ["the DCs' samba logs", async () => lab.forests.map((f) => {
        const dir = path.join(lab.labDir, "dcs", f.name, "log");
        return fs.existsSync(dir) ? fs.readdirSync(dir).map((x) => { try { return fs.readFileSync(path.join(dir, x), "utf8"); } catch { return ""; } }).join("\n") : "";
    }).join("\n")],
    ["this suite's results file", async () => fs.readFileSync(RESULTS_FILE, "utf8")],
])("no secret in %s", async (target, read) => {
    const text = await read();
    expect(text.length).toBeGreaterThan(0);
    expect(scanForSecrets(target, text, secrets())).toEqual([]);
});

test("the documented { config } caveat: a secret stack config key lands in the state the engine keeps (so the scan finds it)", async () => {
    const canary = `Canary-${randomBytes(12).toString("base64url")}`;
    await t.stack.setConfig("canarySecret", { value: canary, secret: true });
    await t.stack.up();
    const state = JSON.stringify(await t.exportState());
    expect(state).toContain(canary); // the engine's own doing: why every credential here is an { env } reference
    await t.stack.removeConfig("canarySecret");
    await t.stack.up();
    expect(JSON.stringify((await t.exportState()).resources.filter((r: any) => r.type !== "pulumi:providers:pulumi-nodejs"))).not.toContain(canary);
});

test("destroy with the engine at -v=9: nothing left, no secret in its output", async () => {
    const d = await t.stack.destroy(VERBOSE);
    expect(d.summary.result).toBe("succeeded");
    expect(scanForSecrets("destroy: engine stdout and stderr (-v=9)", `${d.stdout}\n${d.stderr}`, secrets())).toEqual([]);
});
