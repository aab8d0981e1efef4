// The SSH leg: argv shape (no secret, no option injection), the temp key and known_hosts files, the
// host key input, ssh's failures.
import * as fs from "node:fs";
import * as path from "node:path";
import { ProviderError } from "../../../provider/core/errors";
import { PWSH_ARGS } from "../../../provider/publisher/powershell-script";
import { childEnvironment, makeScrubber } from "../../../provider/publisher/powershell-secrets";
import {
    remoteCommandLine, sshArgs, sshFailure, validateSshTarget, knownHostsText, parseHostKeys, withSshFiles, type SshTarget,
} from "../../../provider/publisher/powershell-ssh";

const PEM = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----";
/** An SSH public key blob (RFC 4253 §6.6): the type as an SSH string, then key data. */
function keyBlob(type: string, data = Buffer.alloc(32, 7)): string {
    const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
    return Buffer.concat([str(Buffer.from(type)), str(data)]).toString("base64");
}
const ED25519 = keyBlob("ssh-ed25519");
const HOST_KEY = `ssh-ed25519 ${ED25519} root@win1`;
const target: SshTarget = { host: "win1.contoso.com", user: "CONTOSO\\svc-kerb", privateKeyPem: PEM, port: 2222, hostKey: HOST_KEY };

describe("ssh argv", () => {
    it("names the key file, checks the host key, and passes the remote command after --", () => {
        const args = sshArgs(target, { keyPath: "/tmp/pek-ssh-x/id", knownHostsPath: "/tmp/pek-ssh-x/known_hosts" }, remoteCommandLine("pwsh", PWSH_ARGS));
        expect(args).toEqual([
            "-T", "-i", "/tmp/pek-ssh-x/id", "-p", "2222", "-l", "CONTOSO\\svc-kerb",
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=20",
            "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4", "-o", "LogLevel=ERROR",
            "-o", "UserKnownHostsFile=/tmp/pek-ssh-x/known_hosts", "-o", "GlobalKnownHostsFile=none",
            "--", "win1.contoso.com", "pwsh -NoProfile -NonInteractive -Command -",
        ]);
        expect(args.join(" ")).not.toContain("PRIVATE KEY");
        const plain = sshArgs({ ...target, port: undefined, hostKey: undefined }, { keyPath: "/k" }, "pwsh");
        expect(plain).toEqual(expect.arrayContaining(["-p", "22", "StrictHostKeyChecking=yes"]));
        expect(plain.join(" ")).not.toContain("KnownHostsFile");
    });

    it("quotes a pwsh path with spaces for the remote shell, and refuses metacharacters", () => {
        expect(remoteCommandLine("C:\\Program Files\\PowerShell\\7\\pwsh.exe", PWSH_ARGS)).toBe('"C:\\Program Files\\PowerShell\\7\\pwsh.exe" -NoProfile -NonInteractive -Command -');
        for (const bad of ["pwsh & calc", "pwsh;id", "pwsh|x", "$(id)", "pwsh\nid", "pw\"sh", "%COMSPEC%", "pwsh'", " pwsh", "pwsh(1)", ""]) {
            expect(() => remoteCommandLine(bad, PWSH_ARGS)).toThrow(ProviderError);
        }
    });

    it.each([
        [{ host: "-oProxyCommand=id" }], [{ host: "a b" }], [{ host: "" }], [{ user: "-oProxyCommand=id" }], [{ user: "a b" }],
        [{ port: 0 }], [{ port: 70000 }], [{ port: 22.5 }], [{ hostKey: "" }], [{ hostKey: "ssh-ed25519" }], [{ hostKey: `ssh-ed25519 ${keyBlob("ssh-rsa")}` }],
        [{ hostKey: "ssh-ed25519 not*base64" }], [{ hostKey: `@cert-authority *.contoso.com ssh-ed25519 ${ED25519}` }], [{ hostKey: `ssh-dss ${keyBlob("ssh-dss")}` }], [{ privateKeyPem: "not a key" }],
    ])("refuses %j", (patch) => {
        expect(() => validateSshTarget({ ...target, ...patch } as SshTarget)).toThrow(ProviderError);
    });

    it("accepts Windows account forms", () => {
        for (const user of ["administrator", "CONTOSO\\admin", "admin@contoso.com", "svc$"]) expect(() => validateSshTarget({ ...target, user })).not.toThrow();
        expect(() => validateSshTarget({ ...target, host: "fe80::1%eth0" })).not.toThrow();
    });
});

describe("the host key input", () => {
    it("reads a bare key, a known_hosts line and ssh-keyscan output with comments", () => {
        expect(parseHostKeys(HOST_KEY)).toEqual([{ type: "ssh-ed25519", base64: ED25519 }]);
        expect(parseHostKeys(`win1.contoso.com,127.0.0.5 ssh-ed25519 ${ED25519}`)).toEqual([{ type: "ssh-ed25519", base64: ED25519 }]);
        const rsa = keyBlob("ssh-rsa", Buffer.alloc(64, 1));
        const scan = `# win1.contoso.com:22 SSH-2.0-OpenSSH_for_Windows_9.5\r\n[win1.contoso.com]:2222 ssh-rsa ${rsa}\r\n\n[win1.contoso.com]:2222 ssh-ed25519 ${ED25519}\n`;
        expect(parseHostKeys(scan).map((k) => k.type)).toEqual(["ssh-rsa", "ssh-ed25519"]);
    });

    it("binds the keys to the configured host and port, whatever hosts the line named", () => {
        const keys = parseHostKeys(`elsewhere.example.com ssh-ed25519 ${ED25519}`);
        expect(knownHostsText({ host: "win1.contoso.com", port: 2222 }, keys)).toBe(`[win1.contoso.com]:2222 ssh-ed25519 ${ED25519}\n`);
        expect(knownHostsText({ host: "win1.contoso.com" }, keys)).toBe(`win1.contoso.com ssh-ed25519 ${ED25519}\n`);
    });
});

describe("the temp files", () => {
    it("are mode 600 in a mode 700 directory while in use, and gone afterwards", async () => {
        let seen: { keyPath: string; knownHostsPath?: string } = { keyPath: "" };
        await withSshFiles(target, async (files) => {
            seen = files;
            expect(fs.statSync(files.keyPath).mode & 0o777).toBe(0o600);
            expect(fs.statSync(path.dirname(files.keyPath)).mode & 0o777).toBe(0o700);
            expect(fs.readFileSync(files.keyPath, "utf8")).toBe(`${PEM}\n`);
            expect(fs.statSync(files.knownHostsPath!).mode & 0o777).toBe(0o600);
            expect(fs.readFileSync(files.knownHostsPath!, "utf8")).toBe(`[win1.contoso.com]:2222 ssh-ed25519 ${ED25519}\n`);
        });
        expect(fs.existsSync(seen.keyPath)).toBe(false);
        expect(fs.existsSync(path.dirname(seen.keyPath))).toBe(false);
    });

    it("hold no known_hosts file without a host key, and are gone after a failure too", async () => {
        let seen = "";
        await expect(withSshFiles({ ...target, hostKey: undefined }, async (files) => {
            seen = files.keyPath;
            expect(files.knownHostsPath).toBeUndefined();
            throw new Error("boom");
        })).rejects.toThrow("boom");
        expect(fs.existsSync(seen)).toBe(false);
    });
});

describe("ssh's own failures (exit status 255)", () => {
    it.each([
        ["Host key verification failed.", "PublisherSshHostKeyRejected"],
        ["@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n", "PublisherSshHostKeyRejected"],
        ["svc@win1: Permission denied (publickey,password).", "PublisherSshAuthFailed"],
        ["Load key \"/tmp/x/id\": invalid format", "PublisherSshAuthFailed"],
        ["ssh: connect to host win1 port 22: Connection refused", "PublisherSshUnreachable"],
        ["ssh: Could not resolve hostname win1: Name or service not known", "PublisherSshUnreachable"],
        ["kex_exchange_identification: something odd", "PublisherSshFailed"],
    ])("%j -> %s", (stderr, code) => {
        const e = sshFailure(255, stderr, "svc@win1:22")!;
        expect(e.code).toBe(code);
        expect(e.retryable).toBe(code === "PublisherSshUnreachable");
    });

    it("any other exit status is not ssh's", () => {
        expect(sshFailure(1, "Permission denied", "x")).toBeUndefined();
    });
});

describe("secrets outside stdin", () => {
    it("the child's environment loses every variable that holds a secret", () => {
        const env = childEnvironment({ PATH: "/usr/bin", CORP_PW: "Secret-Domain-Pw", WRAPPED: "x=Secret-Domain-Pw;", SHORT: "abc", KEY: PEM, OTHER: "fine" },
            ["Secret-Domain-Pw", "abc", PEM, undefined]);
        expect(env).toEqual({ PATH: "/usr/bin", OTHER: "fine" });
    });

    it("the scrubber removes secrets, their base64, PEM lines, and token shapes", () => {
        const scrub = makeScrubber(["Secret-Domain-Pw", PEM, "abc"]);
        const b64 = Buffer.from("Secret-Domain-Pw").toString("base64");
        expect(scrub(`a Secret-Domain-Pw b ${b64} c ${b64.replace(/=+$/, "")} d abc`)).toBe("a *** b *** c *** d abc");
        expect(scrub(`key: ${PEM}`)).toBe("key: ***");
        expect(makeScrubber([])(`key: ${PEM}`)).toBe("key: [redacted private key]");
        expect(scrub("line b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW")).toBe("line ***");
    });
});
