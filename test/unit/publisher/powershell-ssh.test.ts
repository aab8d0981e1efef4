// The SSH leg: argv shape (no secret, no option injection), the private key's temp file, ssh's failures.
import * as fs from "node:fs";
import { ProviderError } from "../../../provider/core/errors";
import { PWSH_ARGS } from "../../../provider/publisher/powershell-script";
import { childEnvironment, makeScrubber } from "../../../provider/publisher/powershell-secrets";
import {
    remoteCommandLine, sshArgs, sshFailure, validateSshTarget, withPrivateKeyFile, type SshTarget,
} from "../../../provider/publisher/powershell-ssh";

const PEM = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----";
const target: SshTarget = { host: "win1.contoso.com", user: "CONTOSO\\svc-kerb", privateKeyPem: PEM, port: 2222, knownHostsFile: "/etc/pek/known_hosts" };

describe("ssh argv", () => {
    it("names the key file, checks the host key, and passes the remote command after --", () => {
        const args = sshArgs(target, "/tmp/pek-ssh-x/id", remoteCommandLine("pwsh", PWSH_ARGS));
        expect(args).toEqual([
            "-T", "-i", "/tmp/pek-ssh-x/id", "-p", "2222", "-l", "CONTOSO\\svc-kerb",
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=20",
            "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4", "-o", "LogLevel=ERROR",
            "-o", "UserKnownHostsFile=/etc/pek/known_hosts",
            "--", "win1.contoso.com", "pwsh -NoProfile -NonInteractive -Command -",
        ]);
        expect(args.join(" ")).not.toContain("PRIVATE KEY");
        expect(sshArgs({ ...target, port: undefined, knownHostsFile: undefined }, "/k", "pwsh")).toEqual(expect.arrayContaining(["-p", "22"]));
    });

    it("quotes a pwsh path with spaces for the remote shell, and refuses metacharacters", () => {
        expect(remoteCommandLine("C:\\Program Files\\PowerShell\\7\\pwsh.exe", PWSH_ARGS)).toBe('"C:\\Program Files\\PowerShell\\7\\pwsh.exe" -NoProfile -NonInteractive -Command -');
        for (const bad of ["pwsh & calc", "pwsh;id", "pwsh|x", "$(id)", "pwsh\nid", "pw\"sh", "%COMSPEC%", "pwsh'", " pwsh", "pwsh(1)", ""]) {
            expect(() => remoteCommandLine(bad, PWSH_ARGS)).toThrow(ProviderError);
        }
    });

    it.each([
        [{ host: "-oProxyCommand=id" }], [{ host: "a b" }], [{ host: "" }], [{ user: "-oProxyCommand=id" }], [{ user: "a b" }],
        [{ port: 0 }], [{ port: 70000 }], [{ port: 22.5 }], [{ knownHostsFile: "/a b" }], [{ privateKeyPem: "not a key" }],
    ])("refuses %j", (patch) => {
        expect(() => validateSshTarget({ ...target, ...patch } as SshTarget)).toThrow(ProviderError);
    });

    it("accepts Windows account forms", () => {
        for (const user of ["administrator", "CONTOSO\\admin", "admin@contoso.com", "svc$"]) expect(() => validateSshTarget({ ...target, user })).not.toThrow();
        expect(() => validateSshTarget({ ...target, host: "fe80::1%eth0" })).not.toThrow();
    });
});

describe("the private key file", () => {
    it("is mode 600 in a mode 700 directory while in use, and gone afterwards", async () => {
        let seen = "";
        await withPrivateKeyFile(PEM, async (p) => {
            seen = p;
            expect(fs.statSync(p).mode & 0o777).toBe(0o600);
            expect(fs.statSync(require("node:path").dirname(p)).mode & 0o777).toBe(0o700);
            expect(fs.readFileSync(p, "utf8")).toBe(`${PEM}\n`);
        });
        expect(fs.existsSync(seen)).toBe(false);
        expect(fs.existsSync(require("node:path").dirname(seen))).toBe(false);
    });

    it("is gone after a failure too", async () => {
        let seen = "";
        await expect(withPrivateKeyFile(PEM, async (p) => { seen = p; throw new Error("boom"); })).rejects.toThrow("boom");
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
