// Every AzureADKerberosServer operation bounds itself (the Node dynamic-provider host ignores
// customTimeouts, so `timeouts` is the resource's own input) and is safe to run again: through
// Pulumi's real dynamic-provider host against the reliability lab's fabrikam DC,
//   - a PowerShell host that hangs (the pwsh stand-in's hang mode) during create: the operation
//     fails at timeouts.create, the stand-in and its children are gone, and a second create with a
//     working host converges with one of each object;
//   - the lab publisher hanging during read, update and delete: each fails at its own limit, naming
//     the input to raise, and the same call run again succeeds.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readDc } from "../support/kerberos-lab";
import { DynamicProviderHost } from "../support/dynamic-host";
import { serializeProviderInNode } from "../support/serialize";
import { serverArgs } from "./support/inputs";
import { armPublisherFault, clearPublisherFaults, forest, REPO, reliabilityLab } from "./support/lab";
import { faultScenario } from "./support/results";

jest.setTimeout(300_000);

const lab = reliabilityLab();
const fab = forest(lab, "fabrikam");
const URN = "urn:pulumi:reliability::entra-kerberos::pulumi-nodejs:dynamic/entra-kerberos:AzureADKerberosServer::fabrikam";
const STANDIN_DIR = path.join(REPO, "test/fixtures/pwsh-standin");
const provider = serializeProviderInNode("bin/provider/resources/azure-ad-kerberos-server.js", "azureADKerberosServerProvider");
const recordDir = fs.mkdtempSync(path.join(os.tmpdir(), "reliability-pwsh-"));

/** The stand-in `pwsh` acts on this lab's publisher with the lab app's token (its "cloud credential"). */
const standinEnv = (extra: Record<string, string> = {}) => ({
    ...lab.secrets,
    PATH: `${STANDIN_DIR}:${process.env.PATH}`,
    STANDIN_LAB_PUBLISHER_URL: lab.publisher.endpoint,
    STANDIN_LAB_TOKEN_URL: `${lab.emulator.url}/${lab.emulator.tenantId}/oauth2/v2.0/token`,
    STANDIN_LAB_CLIENT_ID: lab.emulator.app.clientId,
    STANDIN_LAB_CA_FILE: lab.caCertPath,
    STANDIN_RECORD_DIR: recordDir,
    ...extra,
});

const powershellInputs = (timeouts: Record<string, number>) => ({
    __provider: provider.text, driftReasons: [],
    ...serverArgs(lab, fab, {
        publisher: { type: "powershell", shell: { type: "local" }, cloudUserPrincipalName: "kerberos-admin@entrakerberoslab.onmicrosoft.com", signIn: { mode: "password", password: { env: lab.emulator.app.clientSecretEnv }, accountExcludedFromMfa: true } },
        timeouts,
    }),
});
const labInputs = (timeouts: Record<string, number>) => ({ __provider: provider.text, driftReasons: [], ...serverArgs(lab, fab, { timeouts }) });

function alive(pid: number): boolean {
    try { process.kill(pid, 0); return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8")); } catch { return false; }
}

async function timedOut(p: Promise<unknown>, seconds: number): Promise<string> {
    const started = Date.now();
    const e: any = await p.then(() => { throw new Error("expected a timeout"); }, (err) => err);
    const took = (Date.now() - started) / 1000;
    expect(took).toBeGreaterThanOrEqual(seconds - 0.5);
    expect(took).toBeLessThan(seconds + 15); // bounded: not the host's or the engine's limit
    return String(e?.details ?? e?.message ?? e);
}

let host: DynamicProviderHost | undefined;
afterEach(async () => { await host?.stop(); host = undefined; await clearPublisherFaults(lab); });
afterAll(async () => {
    const h = await DynamicProviderHost.start({ cwd: REPO, env: lab.secrets });
    await h.delete(fab.domain, URN, labInputs({})).catch(() => undefined);
    await h.stop();
    fs.rmSync(recordDir, { recursive: true, force: true });
});

test("a PowerShell host that hangs: create fails at timeouts.create, nothing is left running, a re-run converges", async () => {
    await faultScenario("timeout", "PowerShell host hangs during create: bounded by timeouts.create, stand-in killed, re-run converges", async () => {
        host = await DynamicProviderHost.start({ cwd: REPO, env: standinEnv({ STANDIN_FAIL: "hang" }) });
        const before = new Set(fs.readdirSync(recordDir));
        const message = await timedOut(host.create(URN, powershellInputs({ create: 8 })), 8);
        expect(message).toMatch(/fabrikam\.lab\.test.*(did not finish within 8 s|no answer within 8 s|timed out)/);
        expect(message).toMatch(/safe to run it again|timeouts\.create|run `pulumi up` again/);
        const started = fs.readdirSync(recordDir).filter((f) => !before.has(f)).map((f) => JSON.parse(fs.readFileSync(path.join(recordDir, f), "utf8")));
        expect(started.length).toBeGreaterThan(0);
        for (let i = 0; i < 60 && started.some((r) => alive(r.pid) || alive(r.grandchildPid)); i++) await new Promise((r) => setTimeout(r, 100));
        expect(started.filter((r) => alive(r.pid) || alive(r.grandchildPid))).toEqual([]);
        await host.stop();

        host = await DynamicProviderHost.start({ cwd: REPO, env: standinEnv() });
        const created = await host.create(URN, powershellInputs({ create: 120 }));
        expect(created.properties).toMatchObject({ inSync: true });
        const dc = await readDc(lab, fab);
        expect([dc.computers.length, dc.krbtgts.length, dc.scps.length]).toEqual([1, 1, 1]);
        return "failed at its own limit, converged when run again";
    });
});

test("the lab publisher hanging: read, update and delete each fail at their own limit and succeed when run again", async () => {
    host = await DynamicProviderHost.start({ cwd: REPO, env: lab.secrets });
    const created = await host.create(URN, labInputs({ read: 4, update: 5, delete: 6 }));
    const state = created.properties;
    for (const [op, seconds, call] of [
        ["read", 4, () => host!.read(fab.domain, URN, state)],
        ["update", 5, () => host!.update(fab.domain, URN, state, { ...labInputs({ read: 4, update: 5, delete: 6 }), allowedGroups: ["Domain Users", "Domain Guests"] })],
        ["delete", 6, () => host!.delete(fab.domain, URN, state)],
    ] as [string, number, () => Promise<unknown>][]) {
        await faultScenario("timeout", `lab publisher hangs during ${op}: bounded by timeouts.${op}, re-run succeeds`, async () => {
            await armPublisherFault(lab, { domain: fab.domain, point: "delay", delayMs: (seconds + 6) * 1000 });
            const message = await timedOut(call(), seconds);
            expect(message).toContain(`AzureADKerberosServer fabrikam.lab.test: ${op} did not finish within ${seconds} s; it is safe to run it again (or raise timeouts.${op})`);
            await new Promise((r) => setTimeout(r, 7000)); // the hung call drains before the re-run
            await clearPublisherFaults(lab);
            await call();
            return "failed at its own limit, succeeded when run again";
        });
    }
    expect(await readDc(lab, fab)).toMatchObject({ computers: [], krbtgts: [], scps: [] });
});
