// The whole adapter against the pwsh stand-in (test/fixtures/pwsh-standin/pwsh) without the lab:
// every failure path, the timeout, and that no secret shows up in argv, environment, logs or errors.
// The lab-backed paths (set/get/remove for real) are in test/integration/powershell-publisher.test.ts.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ProviderError } from "../../../provider/core/errors";
import { createPowerShellPublisher, type PowerShellPublisherOptions } from "../../../provider/publisher/powershell";
import { BOOTSTRAP_LINE, buildSecretsLine, buildStdin, PWSH_ARGS, type ScriptRequest } from "../../../provider/publisher/powershell-script";

const STANDIN = path.resolve(__dirname, "../../fixtures/pwsh-standin/pwsh");
const DOMAIN_PW = "Unit-Domain-Pw-7f3a91";
const CLOUD_PW = "Unit-Cloud-Pw-c0ffee42";
const req = { domain: "contoso.lab.test", domainCredential: { username: "Administrator@contoso.lab.test", password: DOMAIN_PW } };

let recordDir: string;
let logs: string[];
const savedEnv = { ...process.env };

function publisher(extra: Partial<PowerShellPublisherOptions> = {}) {
    return createPowerShellPublisher({
        shell: { type: "local" }, cloudUserPrincipalName: "admin@contoso.onmicrosoft.com", cloudPassword: CLOUD_PW,
        command: STANDIN, timeoutMs: 15_000, onLog: (l) => logs.push(l), ...extra,
    });
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
    const e = await p.then(() => { throw new Error("expected a failure"); }, (err) => err);
    expect(e).toBeInstanceOf(ProviderError);
    const shown = `${(e as Error).message} ${JSON.stringify(e)} ${logs.join("\n")}`;
    for (const s of [DOMAIN_PW, CLOUD_PW, Buffer.from(DOMAIN_PW).toString("base64"), Buffer.from(CLOUD_PW).toString("base64")]) expect(shown).not.toContain(s);
    return e as ProviderError;
}

function records(): any[] {
    return fs.readdirSync(recordDir).map((f) => JSON.parse(fs.readFileSync(path.join(recordDir, f), "utf8")));
}

/** Alive and not a zombie (a killed orphan may wait for a reaper that never comes in a container). */
function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
    } catch {
        return false;
    }
    try {
        return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
        return false;
    }
}

beforeEach(() => {
    recordDir = fs.mkdtempSync(path.join(os.tmpdir(), "pek-standin-rec-"));
    logs = [];
    process.env.STANDIN_RECORD_DIR = recordDir;
    delete process.env.STANDIN_FAIL;
});

afterEach(() => {
    process.env = { ...savedEnv };
    fs.rmSync(recordDir, { recursive: true, force: true });
});

describe("known module errors through pwsh", () => {
    it.each([
        ["moduleMissing", "PublisherModuleMissing"],
        ["rpcDll", "PublisherRuntimeMissing"],
        ["insufficientAccess", "DirectoryAccessDenied"],
        ["secondaryKrbTgtNumber", "KerberosServerIncomplete"],
        ["strongAuth", "DomainStrongAuthRequired"],
        ["rotationTooSoon", "RotationTooSoon"],
        ["newerKeys", "PublisherModuleOutdated"],
        ["setPassword", "PublisherModuleOutdated"],
        ["readSecrets", "DomainSecretsReadFailed"],
        ["platform", "PublisherPlatformUnsupported"],
        ["interactive", "PublisherInteractionRequired"],
        ["badCredential", "DirectoryAuthFailed"],
        ["unknown", "PublisherCommandFailed"],
    ])("STANDIN_FAIL=%s -> %s", async (fail, code) => {
        process.env.STANDIN_FAIL = fail;
        const e = await failure(publisher().set({ ...req, rotateServerKey: true }));
        expect(e.code).toBe(code);
        expect(e.message).toMatch(/^Set-AzureADKerberosServer for contoso\.lab\.test failed: /);
    });

    it("a module that echoes the credentials it was given is scrubbed in the error and the logs", async () => {
        process.env.STANDIN_FAIL = "echoSecret";
        const e = await failure(publisher().get(req));
        expect(e.code).toBe("PublisherCommandFailed");
        expect(e.message).toContain("Could not use the credential Administrator@contoso.lab.test / *** (cloud: ***).");
    });

    it("without a cloud password the module would sign in interactively: refused as such", async () => {
        const e = await failure(publisher({ cloudPassword: undefined }).get(req));
        expect(e.code).toBe("PublisherInteractionRequired");
        expect(e.input).toBe("publisher.signIn");
        const [rec] = records();
        expect(rec.calls).toEqual([{ cmdlet: "Get-AzureADKerberosServer", params: ["Domain", "DomainCredential", "UserPrincipalName"] }]);
    });
});

describe("the PowerShell host", () => {
    it("host pwsh logs a warning naming the known failure; the default (Windows PowerShell) does not", async () => {
        await publisher({ host: "pwsh" }).get(req).catch(() => undefined);
        expect(logs.filter((l) => l.includes("warning:"))).toEqual([expect.stringContaining("Operation is not supported on this platform")]);
        logs = [];
        await publisher().get(req).catch(() => undefined);
        expect(logs.filter((l) => l.includes("warning:"))).toEqual([]);
    });

    it("runs powershell.exe by default and pwsh when chosen, and says which is missing", async () => {
        const env = { ...process.env, PATH: "/nonexistent" };
        process.env = env;
        const dflt = await failure(publisher({ command: undefined }).get(req));
        expect(dflt.code).toBe("PublisherShellNotFound");
        expect(dflt.message).toContain('"powershell.exe" was not found on this machine. publisher.host "windowsPowerShell" runs powershell.exe');
        const seven = await failure(publisher({ command: undefined, host: "pwsh" }).get(req));
        expect(seven.message).toContain('"pwsh" was not found');
    });
});

describe("PowerShell misbehaving", () => {
    it("hangs: killed with its children at the timeout, PublisherTimeout (retryable)", async () => {
        process.env.STANDIN_FAIL = "hang";
        const started = Date.now();
        const e = await failure(publisher({ timeoutMs: 1500 }).get(req));
        expect(e.code).toBe("PublisherTimeout");
        expect(e.retryable).toBe(true);
        expect(Date.now() - started).toBeLessThan(6000);
        const [rec] = records();
        expect(rec.grandchildPid).toBeGreaterThan(0);
        for (let i = 0; i < 40 && (alive(rec.pid) || alive(rec.grandchildPid)); i++) await new Promise((r) => setTimeout(r, 50));
        expect(alive(rec.pid)).toBe(false);
        expect(alive(rec.grandchildPid)).toBe(false);
    }, 20_000);

    it("prints garbage: PublisherOutputInvalid, without the colors", async () => {
        process.env.STANDIN_FAIL = "garbage";
        const e = await failure(publisher().get(req));
        expect(e.code).toBe("PublisherOutputInvalid");
        expect(e.message).toContain("printed no result line; its output began: Set-AzureADKerberosServer: ??? {not json at all");
        expect(e.message).not.toContain("\x1b");
    });

    it("exits 0 silently: PublisherOutputInvalid", async () => {
        process.env.STANDIN_FAIL = "noResult";
        expect((await failure(publisher().get(req))).code).toBe("PublisherOutputInvalid");
    });

    it("crashes: PublisherShellFailed with the exit status and stderr", async () => {
        process.env.STANDIN_FAIL = "crash";
        const e = await failure(publisher().remove(req));
        expect(e.code).toBe("PublisherShellFailed");
        expect(e.message).toContain("exit status 134");
        expect(e.message).toContain("StackOverflowException");
    });

    it("is not installed: PublisherShellNotFound", async () => {
        const e = await failure(publisher({ command: "/nonexistent/pwsh" }).get(req));
        expect(e.code).toBe("PublisherShellNotFound");
    });
});

describe("no secret outside stdin", () => {
    it("argv and environment of pwsh hold none, even when the secret came from this process's environment", async () => {
        process.env.STANDIN_FAIL = "unknown";
        process.env.PEK_TEST_DOMAIN_PASSWORD = DOMAIN_PW; // as a SecretRef { env } would have it
        process.env.PEK_TEST_WRAPPED = `user=x;password=${CLOUD_PW}`;
        await failure(publisher().set({ ...req, rotateServerKey: true, force: true }));
        const [rec] = records();
        expect(rec.argv).toEqual([...PWSH_ARGS]);
        expect(rec.env.PEK_TEST_DOMAIN_PASSWORD).toBeUndefined();
        expect(rec.env.PEK_TEST_WRAPPED).toBeUndefined();
        expect(rec.env.PATH).toBe(process.env.PATH);
        const text = JSON.stringify(rec);
        for (const s of [DOMAIN_PW, CLOUD_PW, Buffer.from(DOMAIN_PW).toString("base64")]) expect(text).not.toContain(s);
        expect(rec.calls[0]).toEqual({ cmdlet: "Set-AzureADKerberosServer", params: ["Domain", "DomainCredential", "CloudCredential", "RotateServerKey", "Force"] });
    });

    it("-Force goes with -RotateServerKey only", async () => {
        process.env.STANDIN_FAIL = "unknown";
        await failure(publisher().set({ ...req, force: true }));
        expect(records()[0].calls[0].params).toEqual(["Domain", "DomainCredential", "CloudCredential"]);
        expect(logs.some((l) => l.includes("not passing -Force"))).toBe(true);
    });
});

describe("inputs are checked before anything runs", () => {
    it.each([
        [{ domain: "contoso.com'; Remove-Item C:\\ -Recurse #" }],
        [{ domain: "" }],
        [{ domainCredential: { username: "", password: "x" } }],
        [{ domainCredential: { username: "a", password: "" } }],
    ])("request %j", async (patch) => {
        const e = await failure(publisher().get({ ...req, ...patch } as any));
        expect(e.code).toBe("PublisherConfigInvalid");
        expect(records()).toHaveLength(0);
    });

    it("options", () => {
        const bad: Partial<PowerShellPublisherOptions>[] = [
            { cloudUserPrincipalName: "x'; whoami" }, { cloudPassword: "" }, { timeoutMs: 0 }, { shell: { type: "nope" } as any },
            { shell: { type: "ssh", host: "-oProxyCommand=id", user: "u", privateKeyPem: "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----" } },
            { shell: { type: "ssh", host: "h", user: "u", privateKeyPem: "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----" }, command: "pwsh & calc" },
        ];
        for (const b of bad) expect(() => publisher(b)).toThrow(ProviderError);
    });
});

describe("the stand-in refuses what it does not recognize", () => {
    const script: ScriptRequest = { operation: "get", domain: "contoso.lab.test", cloudUserPrincipalName: "admin@contoso.onmicrosoft.com", cloudAuth: "credential", nonce: "0123456789abcdef01234567" };
    const secrets = { domainUsername: "a@b.c", domainPassword: "pw-pw-pw", cloudPassword: "cpw-cpw" };
    const run = (stdin: string, args: readonly string[] = PWSH_ARGS) => spawnSync(STANDIN, [...args], { input: stdin, encoding: "utf8", env: { ...process.env, STANDIN_FAIL: "noResult" } });

    it("accepts the adapter's script as is", () => {
        expect(run(buildStdin(script, secrets)).status).toBe(0);
    });

    /** The error the stand-in reported as the module's, from its result line. */
    const reported = (r: ReturnType<typeof run>) => {
        const line = r.stdout.split("\n").find((l) => l.startsWith("PEK-RESULT-"));
        return line ? JSON.parse(Buffer.from(line.split(" ")[1], "base64").toString()).error : undefined;
    };

    it("reads the script, not a copy of it: a statement added that PowerShell would run is fine", () => {
        const good = buildStdin(script, secrets);
        expect(run(good.replace("$ConfirmPreference = 'None'\n", "$ConfirmPreference = 'None'\nWrite-Host hi\n")).status).toBe(0);
    });

    it("refuses a body that does not parse, a changed bootstrap, command line or encoding", () => {
        const good = buildStdin(script, secrets);
        const broken = run(good.replace("} catch {", "} catch {{"));
        expect(broken.status).toBe(70);
        expect(broken.stderr).toContain("does not parse as PowerShell");
        expect(run(good.replace(BOOTSTRAP_LINE, BOOTSTRAP_LINE.replace("ReadToEnd", "ReadLine"))).status).toBe(70);
        expect(run(good, ["-NoProfile", "-Command", "-"]).status).toBe(64);
        expect(run(good.replace("contoso.lab.test", "contöso.lab.test")).status).toBe(70);
        expect(run(good.replace(/\n/g, "\r\n")).status).toBe(70);
        expect(run(good.replace(`Import-Module -Name '${"AzureADHybridAuthenticationManagement"}'`, "Import-Module -Name 'Other'")).status).toBe(70);
    });

    it.each([
        ["an unknown parameter", "-Domain $domain -DomainCredential", "-Domain $domain -Confirm:$false -DomainCredential", /A parameter cannot be found that matches parameter name 'Confirm/],
        ["a string where a credential goes", "-DomainCredential $domainCredential", "-DomainCredential $domain", /Cannot convert \$domain \(string\) to type credential/],
        ["a variable the script never set", "-CloudCredential $cloudCredential", "-CloudCredential $nope", /'\$nope' cannot be retrieved because it has not been set/],
        ["an inline literal", "-Domain $domain", "-Domain 'contoso.lab.test'", /expects a variable, got "'contoso.lab.test'"/],
        ["both sign-ins", "-CloudCredential $cloudCredential", "-CloudCredential $cloudCredential -UserPrincipalName $cloudUserPrincipalName", /Parameter set cannot be resolved/],
    ])("binds parameters as PowerShell would: %s is a binding error", (_name, from, to, message) => {
        const good = buildStdin(script, secrets);
        const stdin = good.replace(from, to);
        expect(stdin).not.toBe(good);
        const r = run(stdin);
        expect(r.status).toBe(1);
        expect(reported(r)).toMatchObject({ type: "System.Management.Automation.ParameterBindingException", message: expect.stringMatching(message) });
    });

    it("answers a malformed secrets line as the script would: framing error, exit 2", () => {
        const r = run(buildStdin(script, secrets).replace(buildSecretsLine(secrets), "#PEK1 only-two"));
        expect(r.status).toBe(2);
        const [, b64] = r.stdout.trim().split(" ");
        expect(JSON.parse(Buffer.from(b64, "base64").toString())).toEqual({ ok: false, error: { type: "PekFramingError", message: "The secrets line was missing or malformed." } });
    });
});
