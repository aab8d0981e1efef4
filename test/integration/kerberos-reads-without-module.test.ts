// Reads without the module: with the PowerShell publisher, refresh takes the cloud key version from
// the Entra audit log (app-only Graph) and never starts PowerShell, so a pull request's
// `preview --refresh` needs no cloud password; a create runs the module once (Set, whose read-back
// in the same session is the verification). The module is the pwsh stand-in acting on the lab
// publisher; every run of it leaves a record file, which is how the test counts them. Contoso only.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { newContext } from "../../provider/kerberos/context";
import type { AzureADKerberosServerInputs } from "../../provider/kerberos/model";
import { ProviderError } from "../../provider/core/errors";
import { sharedAuditLog } from "../../provider/kerberos/audit-log";
import { converge, readServer, removeServer } from "../../provider/kerberos/reconciler";
import { labSecretEnv, labSecretValues, requireLab } from "../support/lab";
import { labManualPublisher, labServerInputs } from "../support/kerberos-lab";

jest.setTimeout(120_000);

const lab = requireLab();
const contoso = lab.forests.find((f) => f.name === "contoso")!;
const STANDIN_DIR = path.resolve(__dirname, "../fixtures/pwsh-standin");
const CLOUD_PASSWORD_ENV = "PEK_IT_CLOUD_PASSWORD";
let recordDir: string;

/** The stand-in's lab wiring; the cloud password only where a test gives it. */
function env(withCloudPassword: boolean): NodeJS.ProcessEnv {
    const e: NodeJS.ProcessEnv = {
        ...process.env, ...labSecretEnv(lab), PATH: `${STANDIN_DIR}:${process.env.PATH}`,
        STANDIN_LAB_PUBLISHER_URL: lab.publisher.endpoint,
        STANDIN_LAB_TOKEN_URL: `${lab.emulator.url}/${lab.emulator.tenantId}/oauth2/v2.0/token`,
        STANDIN_LAB_CLIENT_ID: lab.emulator.app.clientId, STANDIN_LAB_CA_FILE: lab.caCertPath, STANDIN_RECORD_DIR: recordDir,
    };
    delete e[CLOUD_PASSWORD_ENV];
    if (withCloudPassword) e[CLOUD_PASSWORD_ENV] = lab.secrets[lab.emulator.app.clientSecretEnv];
    return e;
}

const inputs = () => labServerInputs(lab, contoso, {
    publisher: { type: "powershell", shell: { type: "local" }, cloudUserPrincipalName: "kerberos-admin@lab.onmicrosoft.com", signIn: { mode: "password", password: { env: CLOUD_PASSWORD_ENV }, accountExcludedFromMfa: true } },
}) as AzureADKerberosServerInputs;
const labInputs = () => labServerInputs(lab, contoso) as AzureADKerberosServerInputs;
const moduleRuns = () => fs.readdirSync(recordDir).map((f) => JSON.parse(fs.readFileSync(path.join(recordDir, f), "utf8")).request?.operation);

// the host's `process.env` is what the provider sees: the stand-in reads it through the child's environment
async function withProcessEnv<T>(e: NodeJS.ProcessEnv, fn: () => Promise<T>): Promise<T> {
    const saved = process.env;
    process.env = e;
    try { return await fn(); } finally { process.env = saved; }
}

beforeAll(async () => {
    recordDir = fs.mkdtempSync(path.join(os.tmpdir(), "pek-reads-rec-"));
    await removeServer(labInputs(), newContext({ env: env(false) }));
});

afterAll(async () => {
    await removeServer(labInputs(), newContext({ env: env(false) })).catch(() => undefined);
    fs.rmSync(recordDir, { recursive: true, force: true });
});

describe("the PowerShell publisher runs only around writes", () => {
    let created: Awaited<ReturnType<typeof converge>>["outputs"];

    test("create: one module run (Set), verified by its own read-back", async () => {
        const e = env(true);
        created = (await withProcessEnv(e, () => converge(inputs(), { existing: false }, newContext({ env: e })))).outputs;
        expect(created.inSync).toBe(true);
        expect(created.cloudKeySource).toBe("module");
        expect(created.cloudKeyVersion).toBe(created.keyVersion);
        expect(moduleRuns()).toEqual(["set"]);
    });

    test("refresh with no cloud password anywhere: no module run, the key version from the audit log", async () => {
        const e = env(false);
        expect(e[CLOUD_PASSWORD_ENV]).toBeUndefined();
        const out = await withProcessEnv(e, () => readServer(inputs(), created, newContext({ env: e })));
        expect(out.cloudKeySource).toBe("auditLog");
        expect(out.cloudKeyVersion).toBe(created.keyVersion);
        expect(out.cloudId).toBe(created.branchId);
        expect(out.cloudKeyUpdatedOn).toBe(created.cloudKeyUpdatedOn);
        expect(out.inSync).toBe(true);
        expect(moduleRuns()).toEqual(["set"]);
    });

    test("a key published out of band (lab publisher) is what the log shows: refresh follows it, still without the module", async () => {
        const lab1 = await converge(labInputs(), { existing: true, lastRotatedOn: null }, newContext({ env: env(false) }));
        expect(lab1.applied).toEqual([]);
        const rotated = await converge({ ...labInputs(), keyRotation: { trigger: "again", force: true } },
            { existing: true, previousTrigger: "first", lastRotatedOn: null }, newContext({ env: env(false) }));
        expect(rotated.outputs.keyVersion!).toBeGreaterThan(created.keyVersion!);
        const e = env(false);
        const out = await withProcessEnv(e, () => readServer(inputs(), created, newContext({ env: e })));
        expect(out.cloudKeySource).toBe("auditLog");
        expect(out.cloudKeyVersion).toBe(rotated.outputs.keyVersion);
        expect(out.inSync).toBe(true);
        expect(moduleRuns()).toEqual(["set"]);
    });

    test("without graph (no audit log) a refresh keeps the state's values and says so", async () => {
        const e = env(false);
        const { graph: _graph, ...noGraph } = inputs();
        const out = await withProcessEnv(e, () => readServer(noGraph as AzureADKerberosServerInputs, created, newContext({ env: e })));
        expect(out.cloudKeySource).toBe("state");
        expect(out.cloudKeyVersion).toBe(created.cloudKeyVersion);
        expect(moduleRuns()).toEqual(["set"]);
    });
});

describe('publisher.signIn "deferred": the publish is handed to the admin, the next run verifies', () => {
    const deferred = () => ({ ...inputs(), publisher: { ...inputs().publisher, signIn: { mode: "deferred" } } }) as AzureADKerberosServerInputs;

    beforeAll(async () => {
        await removeServer(labInputs(), newContext({ env: env(false) }));
        fs.rmSync(recordDir, { recursive: true, force: true });
        fs.mkdirSync(recordDir);
    });

    test("create fails with PublishDeferred printing the commands (domain, account, no secret); nothing was written, no module run", async () => {
        const e = env(false);
        const err = await withProcessEnv(e, () => converge(deferred(), { existing: false }, newContext({ env: e }))).catch((x) => x);
        expect(err).toBeInstanceOf(ProviderError);
        expect(err).toMatchObject({ code: "PublishDeferred", input: "publisher.signIn", resource: contoso.domain });
        expect(err.message).toContain(`\n    $domain = '${contoso.domain}'`);
        expect(err.message).toContain("\n    Set-AzureADKerberosServer -Domain $domain -UserPrincipalName $userPrincipalName -DomainCredential $domainCred\n");
        for (const secret of labSecretValues(lab)) expect(err.message).not.toContain(secret);
        expect(moduleRuns()).toEqual([]);
        const out = await withProcessEnv(e, () => readServer(deferred(), { lastRotatedOn: null }, newContext({ env: e })));
        expect(out.branchId).toBeNull();
        expect(out.cloudKeySource).toBe("none");
    });

    test("after the admin's manual run (the lab publisher stands in for it), the next up verifies and completes without publishing", async () => {
        // what Set-AzureADKerberosServer does when the admin runs it by hand
        const manual = labManualPublisher(lab);
        const published = await manual.set({ domain: contoso.domain, domainCredential: { username: contoso.adminUpn, password: lab.secrets[contoso.adminPasswordEnv] } });
        sharedAuditLog.clear(); // the next `pulumi up` is a new provider process: no pages shared with this one
        const e = env(false);
        const r = await withProcessEnv(e, () => converge(deferred(), { existing: false }, newContext({ env: e })));
        expect(r.applied.map((p) => p.kind)).not.toContain("publish");
        expect(r.outputs).toMatchObject({ inSync: true, cloudKeySource: "auditLog", cloudKeyVersion: published.CloudKeyVersion, keyVersion: published.KeyVersion });
        expect(moduleRuns()).toEqual([]);
    });
});

