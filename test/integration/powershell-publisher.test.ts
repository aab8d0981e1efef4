// The PowerShell publisher against the running lab, through the pwsh stand-in (there is no
// PowerShell here): the adapter builds and sends the real script; the stand-in checks it, acts on
// the lab publisher's HTTP endpoint and prints what ConvertTo-Json would. Locally and over a real
// throwaway sshd on 127.0.0.1, including a host that hangs there: bounded by the publisher's timeout,
// nothing left running on either side. AD objects only in contoso.lab.test (other tests use corp and fabrikam).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ProviderError } from "../../provider/core/errors";
import type { KerberosServerTable } from "../../provider/publisher/port";
import { createPowerShellPublisher, type PowerShellPublisherOptions } from "../../provider/publisher/powershell";
import { PWSH_ARGS } from "../../provider/publisher/powershell-script";
import { startThrowawaySshd, sshdAvailable, type ThrowawaySshd } from "../fixtures/pwsh-standin/throwaway-sshd";
import { labSecretValues, requireLab } from "../support/lab";

const STANDIN_DIR = path.resolve(__dirname, "../fixtures/pwsh-standin");
const STANDIN = path.join(STANDIN_DIR, "pwsh");
const SSH_RECORDER = path.join(STANDIN_DIR, "ssh-recorder");

const lab = requireLab();
const forest = lab.forests.find((f) => f.name === "contoso")!;
const DOMAIN = forest.domain;
const DN = forest.baseDn;
const domainPassword = lab.secrets[forest.adminPasswordEnv];
const cloudPassword = lab.secrets[lab.emulator.app.clientSecretEnv]; // the stand-in's lab token credential
const req = { domain: DOMAIN, domainCredential: { username: forest.adminUpn, password: domainPassword } };

const savedEnv = { ...process.env };
let recordDir: string;
let sshRecordDir: string;
const logs: string[] = [];
const errors: ProviderError[] = [];

function publisher(extra: Partial<PowerShellPublisherOptions> = {}) {
    return createPowerShellPublisher({
        shell: { type: "local" }, cloudUserPrincipalName: "kerberos-admin@lab.onmicrosoft.com", cloudPassword,
        command: STANDIN, timeoutMs: 60_000, onLog: (l) => logs.push(l), ...extra,
    });
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
    const e = await p.then(() => { throw new Error("expected a failure"); }, (err) => err);
    expect(e).toBeInstanceOf(ProviderError);
    errors.push(e as ProviderError);
    return e as ProviderError;
}

function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
    Object.assign(process.env, env);
    return fn().finally(() => { for (const k of Object.keys(env)) delete process.env[k]; });
}

function expectConsistent(t: KerberosServerTable): void {
    expect(t.DomainDnsName).toBe(DOMAIN);
    expect(t.Id).toEqual(expect.any(Number));
    expect(t.CloudId).toBe(t.Id);
    expect(t.DisplayName).toBe(`krbtgt_${t.Id}`);
    expect(t.CloudDisplayName).toBe(t.DisplayName);
    expect(t.UserAccount).toBe(`CN=krbtgt_AzureAD,CN=Users,${DN}`);
    expect(t.ComputerAccount).toBe(`CN=AzureADKerberos,OU=Domain Controllers,${DN}`);
    expect(t.KeyVersion).toEqual(expect.any(Number));
    expect(t.CloudKeyVersion).toBe(t.KeyVersion);
    expect(t.KeyUpdatedOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(t.CloudKeyUpdatedOn).toBe(t.KeyUpdatedOn);
}

function expectAbsent(t: KerberosServerTable): void {
    expect(t).toEqual({
        Id: null, UserAccount: null, ComputerAccount: null, DisplayName: null, DomainDnsName: DOMAIN, KeyVersion: null, KeyUpdatedOn: null,
        KeyUpdatedFrom: null, CloudDisplayName: null, CloudDomainDnsName: null, CloudId: null, CloudKeyVersion: null, CloudKeyUpdatedOn: null,
    });
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
        return false;
    }
}

/** Live (not zombie) processes other than this one whose /proc/<pid>/<file> contains needle. */
function processesWith(file: "cmdline" | "environ", needle: string): number[] {
    const found: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        const pid = Number(entry);
        if (!/^\d+$/.test(entry) || pid === process.pid) continue;
        try {
            if (fs.readFileSync(`/proc/${entry}/${file}`).includes(needle) && alive(pid)) found.push(pid);
        } catch {
            // gone meanwhile
        }
    }
    return found;
}

/** A record file of the stand-in or the ssh recorder; undefined while it is being (re)written. */
function readRecord(file: string): any {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
        return undefined;
    }
}

async function until(done: () => boolean, ms: number): Promise<void> {
    for (const end = Date.now() + ms; !done() && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
}

beforeAll(async () => {
    recordDir = fs.mkdtempSync(path.join(os.tmpdir(), "pek-pwsh-rec-"));
    sshRecordDir = fs.mkdtempSync(path.join(os.tmpdir(), "pek-ssh-rec-"));
    Object.assign(process.env, {
        STANDIN_LAB_PUBLISHER_URL: lab.publisher.endpoint,
        STANDIN_LAB_TOKEN_URL: `${lab.emulator.url}/${lab.emulator.tenantId}/oauth2/v2.0/token`,
        STANDIN_LAB_CLIENT_ID: lab.emulator.app.clientId,
        STANDIN_LAB_CA_FILE: lab.caCertPath,
        STANDIN_RECORD_DIR: recordDir,
        STANDIN_SSH_RECORD_DIR: sshRecordDir,
        // as a SecretRef { env } would leave it: the secret in this process's environment
        PEK_IT_DOMAIN_PASSWORD: domainPassword,
    });
    await publisher().remove(req); // whatever an earlier run left
}, 120_000);

afterAll(async () => {
    try {
        await publisher().remove(req);
    } finally {
        process.env = { ...savedEnv };
        fs.rmSync(recordDir, { recursive: true, force: true });
        fs.rmSync(sshRecordDir, { recursive: true, force: true });
    }
}, 120_000);

describe("Set/Get/Remove-AzureADKerberosServer through pwsh (local)", () => {
    let created: KerberosServerTable;

    it("get on a domain without a Kerberos server: every field null", async () => {
        expectAbsent(await publisher().get(req));
    }, 60_000);

    it("set creates the server; the Get table agrees on-prem and in the cloud", async () => {
        created = await publisher().set(req);
        expectConsistent(created);
    }, 60_000);

    it("set again changes nothing", async () => {
        const again = await publisher().set(req);
        expect(again).toEqual(created);
    }, 60_000);

    it("both ConvertTo-Json styles parse to the same table (5.1 \\/Date()\\/ with numbers as strings; pwsh 7 with a local offset)", async () => {
        const desktop = await withEnv({ STANDIN_PS_EDITION: "Desktop", STANDIN_NUMBERS_AS_STRINGS: "1" }, () => publisher().get(req));
        const core = await withEnv({ STANDIN_PS_EDITION: "Core", STANDIN_UTC_OFFSET: "+02:00" }, () => publisher().get(req));
        expect(desktop).toEqual(created);
        expect(core).toEqual(created);
    }, 60_000);

    it("publisher.cloud: the module's endpoint is set in the same run, before the Get (China = -TargetEndpoint 1)", async () => {
        const before = new Set(fs.readdirSync(recordDir));
        expect(await publisher({ cloud: "china" }).get(req)).toEqual(created);
        const [file] = fs.readdirSync(recordDir).filter((f) => !before.has(f));
        expect(JSON.parse(fs.readFileSync(path.join(recordDir, file), "utf8")).request.endpoint).toBe(1);
    }, 60_000);

    let rotated: KerberosServerTable;
    it("rotate: a new key version, published", async () => {
        rotated = await publisher().set({ ...req, rotateServerKey: true });
        expectConsistent(rotated);
        expect(rotated.Id).toBe(created.Id);
        expect(rotated.KeyVersion!).toBeGreaterThan(created.KeyVersion!);
    }, 60_000);

    it("rotate again within 24 hours: refused, mapped to RotationTooSoon with the fix", async () => {
        const e = await failure(publisher().set({ ...req, rotateServerKey: true }));
        expect(e.code).toBe("RotationTooSoon");
        expect(e.message).toContain("Wait, or rotate with force (-Force)");
        expectConsistent(await publisher().get(req));
        expect((await publisher().get(req)).KeyVersion).toBe(rotated.KeyVersion);
    }, 60_000);

    it("rotate with force: rotated anyway", async () => {
        const forced = await publisher().set({ ...req, rotateServerKey: true, force: true });
        expectConsistent(forced);
        expect(forced.KeyVersion!).toBeGreaterThan(rotated.KeyVersion!);
    }, 60_000);

    it("a wrong domain password: DirectoryAuthFailed", async () => {
        // this call does not know the real password, so it could not keep it out of the child's
        // environment: take it out of ours for the duration
        const saved = process.env.PEK_IT_DOMAIN_PASSWORD;
        delete process.env.PEK_IT_DOMAIN_PASSWORD;
        const e = await failure(publisher().get({ ...req, domainCredential: { ...req.domainCredential, password: "Wrong-Password-5519" } }))
            .finally(() => { process.env.PEK_IT_DOMAIN_PASSWORD = saved; });
        expect(e.code).toBe("DirectoryAuthFailed");
        expect(e.message).not.toContain("Wrong-Password-5519");
    }, 60_000);

    it("a wrong cloud password: the module's error passes through, scrubbed", async () => {
        const e = await failure(publisher({ cloudPassword: "Wrong-Cloud-Secret-7781" }).get(req));
        expect(e.code).toBe("PublisherCommandFailed");
        expect(e.message).toMatch(/Failed to acquire a token for the cloud credential: AADSTS/);
        expect(e.message).not.toContain("Wrong-Cloud-Secret-7781");
    }, 60_000);

    it.each([
        ["moduleMissing", "PublisherModuleMissing"], ["rpcDll", "PublisherRuntimeMissing"], ["insufficientAccess", "DirectoryAccessDenied"],
        ["secondaryKrbTgtNumber", "KerberosServerIncomplete"], ["strongAuth", "DomainStrongAuthRequired"], ["newerKeys", "PublisherModuleOutdated"],
        ["readSecrets", "DomainSecretsReadFailed"], ["platform", "PublisherPlatformUnsupported"], ["interactive", "PublisherInteractionRequired"],
    ])("the module's %s error: %s", async (fail, code) => {
        const e = await withEnv({ STANDIN_FAIL: fail }, () => failure(publisher().set(req)));
        expect(e.code).toBe(code);
    }, 60_000);

    it("a hung pwsh is killed at the timeout with its children: PublisherTimeout, nothing left running", async () => {
        const before = new Set(fs.readdirSync(recordDir));
        const e = await withEnv({ STANDIN_FAIL: "hang" }, () => failure(publisher({ timeoutMs: 2000 }).set(req)));
        expect(e.code).toBe("PublisherTimeout");
        expect(e.retryable).toBe(true);
        const [file] = fs.readdirSync(recordDir).filter((f) => !before.has(f));
        const rec = JSON.parse(fs.readFileSync(path.join(recordDir, file), "utf8"));
        for (let i = 0; i < 40 && (alive(rec.pid) || alive(rec.grandchildPid)); i++) await new Promise((r) => setTimeout(r, 50));
        expect(alive(rec.pid)).toBe(false);
        expect(alive(rec.grandchildPid)).toBe(false);
    }, 60_000);
});

describe("over SSH to a throwaway sshd on 127.0.0.1", () => {
    // npm test installs openssh-server (scripts/test.sh); a missing sshd is a failure, not a skip
    test("sshd is available", () => expect(sshdAvailable()).toBe(true));
    let server: ThrowawaySshd;
    const sshPublisher = (extra: Partial<{ hostKey: string; privateKeyPem: string }> = {}) => publisher({
        shell: { type: "ssh", host: "127.0.0.1", user: server.user, port: server.port, privateKeyPem: server.clientKeyPem, hostKey: server.hostKey, ...extra },
        command: undefined, // the default host: powershell.exe on the remote PATH, the stand-in
        sshCommand: SSH_RECORDER,
    });

    // the remote session's environment: ssh forwards none of ours, sshd sets these from authorized_keys
    const remoteEnv = (): Record<string, string> => ({
        PATH: `${STANDIN_DIR}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
        STANDIN_LAB_PUBLISHER_URL: process.env.STANDIN_LAB_PUBLISHER_URL!,
        STANDIN_LAB_TOKEN_URL: process.env.STANDIN_LAB_TOKEN_URL!,
        STANDIN_LAB_CLIENT_ID: process.env.STANDIN_LAB_CLIENT_ID!,
        STANDIN_LAB_CA_FILE: process.env.STANDIN_LAB_CA_FILE!,
        STANDIN_RECORD_DIR: recordDir,
    });

    beforeAll(async () => {
        server = await startThrowawaySshd(remoteEnv());
    }, 60_000);

    afterAll(async () => {
        await server?.stop();
    });

    it("set and get run remotely and agree with the local run", async () => {
        const before = new Set(fs.readdirSync(sshRecordDir));
        const viaSsh = await sshPublisher().set(req);
        expectConsistent(viaSsh);
        expect(await sshPublisher().get(req)).toEqual(viaSsh);
        expect(await publisher().get(req)).toEqual(viaSsh);

        const recs = fs.readdirSync(sshRecordDir).filter((f) => !before.has(f)).map((f) => JSON.parse(fs.readFileSync(path.join(sshRecordDir, f), "utf8")));
        expect(recs).toHaveLength(2);
        for (const rec of recs) {
            // ssh had the key as a mode-600 file named with -i; the file is gone now
            expect(rec.keyMode).toBe("600");
            expect(fs.existsSync(rec.keyPath)).toBe(false);
            expect(rec.argv.slice(-3)).toEqual(["--", "127.0.0.1", `powershell.exe ${PWSH_ARGS.join(" ")}`]);
            expect(rec.argv).toEqual(expect.arrayContaining(["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=yes", "-o", "GlobalKnownHostsFile=none"]));
            // the host key input went to a temp known_hosts file beside the key, gone now too
            const knownHosts = (rec.argv as string[]).find((a) => a.startsWith("UserKnownHostsFile="))!.slice("UserKnownHostsFile=".length);
            expect(path.dirname(knownHosts)).toBe(path.dirname(rec.keyPath));
            expect(fs.existsSync(knownHosts)).toBe(false);
        }
    }, 60_000);

    it("an unknown host key is refused: PublisherSshHostKeyRejected", async () => {
        const e = await failure(sshPublisher({ hostKey: server.wrongHostKey }).get(req));
        expect(e.code).toBe("PublisherSshHostKeyRejected");
    }, 60_000);

    it("a key the host does not know: PublisherSshAuthFailed, and the key never shows", async () => {
        const e = await failure(sshPublisher({ privateKeyPem: server.strangerKeyPem }).get(req));
        expect(e.code).toBe("PublisherSshAuthFailed");
    }, 60_000);

    it("a module error comes back through ssh mapped as locally", async () => {
        // STANDIN_FAIL is not forwarded by ssh; the remote environment is authorized_keys' — so use a
        // domain the lab does not have, which the lab refuses like the module would
        const e = await failure(sshPublisher().get({ ...req, domain: "absent.lab.test" }));
        expect(e.code).toBe("PublisherCommandFailed");
        expect(e.message).toMatch(/^Get-AzureADKerberosServer for absent\.lab\.test failed: .*Failed to connect to domain/);
    }, 60_000);

    describe("a PowerShell host that hangs over SSH", () => {
        // A second sshd whose sessions get STANDIN_FAIL=hang, plus a marker that only those sessions'
        // processes carry in their environment: what the hung run leaves behind is found by it.
        const marker = `hang-${process.pid}-${Date.now()}`;
        const TIMEOUT_MS = 3000;
        let hanging: ThrowawaySshd;
        const hangingPublisher = () => publisher({
            shell: { type: "ssh", host: "127.0.0.1", user: hanging.user, port: hanging.port, privateKeyPem: hanging.clientKeyPem, hostKey: hanging.hostKey },
            // the explicit choice: pwsh on the remote PATH, the stand-in
            command: undefined, host: "pwsh", sshCommand: SSH_RECORDER, timeoutMs: TIMEOUT_MS,
        });
        const remoteLeftovers = () => processesWith("environ", `PEK_IT_HANG_MARKER=${marker}`);

        beforeAll(async () => {
            hanging = await startThrowawaySshd({ ...remoteEnv(), STANDIN_FAIL: "hang", PEK_IT_HANG_MARKER: marker });
        }, 60_000);

        afterAll(async () => {
            for (const pid of remoteLeftovers()) process.kill(pid, "SIGKILL"); // only if the test failed
            await hanging?.stop();
        });

        it("times out at the publisher's limit: PublisherTimeout, and neither the local ssh nor the remote pwsh and its child is left running", async () => {
            const recsBefore = new Set(fs.readdirSync(recordDir));
            const sshRecsBefore = new Set(fs.readdirSync(sshRecordDir));
            expect(remoteLeftovers()).toEqual([]);
            const started = Date.now();
            const call = failure(hangingPublisher().set(req));

            // while it hangs: the local ssh (and the recorder around it) and, over ssh, the stand-in
            // and its child are running, and the scans below find them
            const newSshRec = () => fs.readdirSync(sshRecordDir).filter((f) => !sshRecsBefore.has(f));
            await until(() => newSshRec().length === 1 && readRecord(path.join(sshRecordDir, newSshRec()[0])) !== undefined, 5000);
            const sshRec = readRecord(path.join(sshRecordDir, newSshRec()[0]));
            const localSsh = () => processesWith("cmdline", sshRec.keyPath);
            const remote = () => fs.readdirSync(recordDir).filter((f) => !recsBefore.has(f))
                .map((f) => readRecord(path.join(recordDir, f)))
                .filter((r) => r?.env?.PEK_IT_HANG_MARKER === marker && r.grandchildPid);
            await until(() => remote().length === 1 && remoteLeftovers().length >= 2, 5000);
            const [standin] = remote();
            expect(remoteLeftovers()).toEqual(expect.arrayContaining([standin.pid, standin.grandchildPid]));
            expect(localSsh().length).toBeGreaterThanOrEqual(2); // ssh-recorder and /usr/bin/ssh under it
            expect(alive(sshRec.pid)).toBe(true);

            const e = await call;
            const took = Date.now() - started;
            expect(e.code).toBe("PublisherTimeout");
            expect(e.retryable).toBe(true);
            expect(e.message).toBe(`Set-AzureADKerberosServer ${DOMAIN} (ssh ${hanging.user}@127.0.0.1:${hanging.port}) did not finish within 3 s; ` +
                "the ssh client was stopped, and the script ends pwsh on the host by itself within 2 s. " +
                "If the domain controllers or Entra are slow to answer, raise the resource's timeouts (a PowerShell run gets the operation's limit, at most 120 s)");
            for (const s of [domainPassword, cloudPassword, hanging.clientKeyPem.split("\n")[1]]) expect(`${e.message} ${JSON.stringify(e)}`).not.toContain(s);
            expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
            expect(took).toBeLessThan(TIMEOUT_MS + 5000);

            // the local side is gone at once (killed as a process group); the remote side ends itself
            // at the script's own limit, a margin after ours (sshd does not end it when ssh goes away)
            await until(() => localSsh().length === 0 && !alive(sshRec.pid), 2000);
            expect(localSsh()).toEqual([]);
            expect(alive(sshRec.pid)).toBe(false);
            const rejected = Date.now();
            await until(() => remoteLeftovers().length === 0, 10_000);
            expect(remoteLeftovers()).toEqual([]);
            expect(alive(standin.pid)).toBe(false);
            expect(alive(standin.grandchildPid)).toBe(false);
            expect(Date.now() - rejected).toBeLessThan(8000);
            expect(fs.existsSync(sshRec.keyPath)).toBe(false);
        }, 60_000);

        it("the same call through a working host then succeeds", async () => {
            const viaSsh = await sshPublisher().set(req);
            expectConsistent(viaSsh);
            expect(await publisher().get(req)).toEqual(viaSsh);
        }, 60_000);
    });

    it("no secret in ssh's argv or environment", () => {
        const secrets = [domainPassword, cloudPassword, server.clientKeyPem.split("\n")[1]];
        for (const f of fs.readdirSync(sshRecordDir)) {
            const text = fs.readFileSync(path.join(sshRecordDir, f), "utf8");
            for (const s of secrets) expect(text).not.toContain(s);
            expect(text).not.toContain("PRIVATE KEY");
        }
    });
});

describe("no secret anywhere", () => {
    it("pwsh's argv and environment (every run recorded by the stand-in), the logs and the errors", () => {
        const secrets = [domainPassword, cloudPassword, ...labSecretValues(lab), Buffer.from(domainPassword).toString("base64"), Buffer.from(cloudPassword).toString("base64")];
        const files = fs.readdirSync(recordDir);
        expect(files.length).toBeGreaterThan(15);
        for (const f of files) {
            const rec = JSON.parse(fs.readFileSync(path.join(recordDir, f), "utf8"));
            expect(rec.argv).toEqual([...PWSH_ARGS]);
            expect(rec.env.PEK_IT_DOMAIN_PASSWORD).toBeUndefined();
            const text = JSON.stringify(rec);
            for (const s of secrets) expect(text).not.toContain(s);
        }
        expect(logs.length).toBeGreaterThan(0);
        const shown = [...logs, ...errors.map((e) => `${e.message} ${JSON.stringify(e)}`)].join("\n");
        for (const s of secrets) expect(shown).not.toContain(s);
        expect(shown).not.toContain("PRIVATE KEY");
    });
});

describe("remove", () => {
    it("removes the server; get shows nothing again; remove again is harmless", async () => {
        await publisher().remove(req);
        expectAbsent(await publisher().get(req));
        await publisher().remove(req);
    }, 60_000);
});
