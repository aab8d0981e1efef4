// Script building: what goes to pwsh's stdin, and that caller values cannot escape their quotes.
import { ProviderError } from "../../../provider/core/errors";
import { psSingleQuoted, validateDomainName, validateUserPrincipalName } from "../../../provider/publisher/powershell-quote";
import {
    BOOTSTRAP_LINE, buildScriptBody, buildSecretsLine, buildStdin, PWSH_ARGS, type ScriptRequest,
} from "../../../provider/publisher/powershell-script";

const NONCE = "0123456789abcdef01234567";
const base: ScriptRequest = { operation: "get", domain: "contoso.com", cloudUserPrincipalName: "admin@contoso.onmicrosoft.com", cloudAuth: "credential", nonce: NONCE };
const secrets = { domainUsername: "admin@contoso.com", domainPassword: "D0main-Pa$$'w\"ord`", cloudPassword: "Cl0ud-P@ss 'x'" };

function code(fn: () => unknown): string | undefined {
    try {
        fn();
    } catch (e) {
        return e instanceof ProviderError ? e.code : `not a ProviderError: ${(e as Error).message}`;
    }
    return undefined;
}

describe("single-quoted literals", () => {
    it("double every kind of single quote PowerShell accepts", () => {
        expect(psSingleQuoted("O'Brien")).toBe("'O''Brien'");
        expect(psSingleQuoted("a\u2019b\u2018c")).toBe("'a\u2019\u2019b\u2018\u2018c'");
        expect(psSingleQuoted("$(Remove-Item C:\\) `n \"x\"")).toBe("'$(Remove-Item C:\\) `n \"x\"'");
    });

    it("accept DNS names and UPNs, including an apostrophe in the local part", () => {
        expect(validateDomainName("corp.contoso.com")).toBe("corp.contoso.com");
        expect(validateDomainName("xn--mnchen-3ya.de")).toBe("xn--mnchen-3ya.de");
        expect(validateUserPrincipalName("o'brien@contoso.com")).toBe("o'brien@contoso.com");
    });

    it.each([
        ["contoso.com'; Remove-Item -Recurse C:\\ #"], ["contoso.com\n$x"], ["-contoso.com"], ["contoso..com"], ["münchen.de"],
        ["contoso.com."], [""], ["a".repeat(64) + ".com"], ["contoso.com\u2019"],
    ])("refuse the domain %j", (d) => {
        expect(code(() => validateDomainName(d))).toBe("PublisherConfigInvalid");
        expect(code(() => buildScriptBody({ ...base, domain: d }))).toBe("PublisherConfigInvalid");
    });

    it.each([
        ["admin"], ["@contoso.com"], ["admin@"], ["ad min@contoso.com"], ["admin@contoso.com'; whoami #"], ["admin@contoso.com\r\n"],
        ["adm\u2019in@contoso.com"], [".admin@contoso.com"], ["a..b@contoso.com"], ["admin@con'toso.com"],
    ])("refuse the UPN %j", (u) => {
        expect(code(() => validateUserPrincipalName(u))).toBe("PublisherConfigInvalid");
        expect(code(() => buildScriptBody({ ...base, cloudUserPrincipalName: u }))).toBe("PublisherConfigInvalid");
    });

    it("a UPN with an apostrophe stays inside its literal", () => {
        const body = buildScriptBody({ ...base, cloudUserPrincipalName: "o'brien@contoso.com" });
        expect(body).toContain("$cloudUserPrincipalName = 'o''brien@contoso.com'\n");
        // every line's single quotes pair up: no literal is left open
        for (const line of body.split("\n")) expect((line.match(/'/g) ?? []).length % 2).toBe(0);
    });
});

describe("stdin framing", () => {
    it("is bootstrap line, secrets line, body; pwsh's own argv carries neither script nor secret", () => {
        expect(PWSH_ARGS).toEqual(["-NoProfile", "-NonInteractive", "-Command", "-"]);
        const stdin = buildStdin(base, secrets);
        const [first, second, ...rest] = stdin.split("\n");
        expect(first).toBe(BOOTSTRAP_LINE);
        expect(second).toBe(buildSecretsLine(secrets));
        expect(rest.join("\n")).toBe(buildScriptBody(base));
        expect(stdin.endsWith("\n")).toBe(true);
    });

    it("the bootstrap is one complete statement list that reads the rest itself and exits with the body's code", () => {
        expect(BOOTSTRAP_LINE).not.toContain("\n");
        expect(BOOTSTRAP_LINE).toMatch(/^\$ErrorActionPreference='Stop';/);
        expect(BOOTSTRAP_LINE).toContain("[Console]::In");
        expect(BOOTSTRAP_LINE).toContain(".ReadLine()");
        expect(BOOTSTRAP_LINE).toContain(".ReadToEnd()");
        expect(BOOTSTRAP_LINE).toMatch(/exit \[int\]\$__pekOut\[-1\]$/);
    });

    it("secrets travel base64-encoded on a comment line, only there, and stdin is pure ASCII", () => {
        const line = buildSecretsLine(secrets);
        expect(line).toMatch(/^#PEK1 [A-Za-z0-9+/=]+ [A-Za-z0-9+/=]+ [A-Za-z0-9+/=]+$/);
        const [, u, p, c] = line.split(" ");
        expect(Buffer.from(u, "base64").toString()).toBe(secrets.domainUsername);
        expect(Buffer.from(p, "base64").toString()).toBe(secrets.domainPassword);
        expect(Buffer.from(c, "base64").toString()).toBe(secrets.cloudPassword);
        expect(buildSecretsLine({ ...secrets, cloudPassword: undefined }).split(" ")[3]).toBe("-");
        const stdin = buildStdin(base, secrets);
        expect(stdin).toMatch(/^[\x20-\x7e\n]*$/);
        for (const s of [secrets.domainPassword, secrets.cloudPassword]) expect(stdin).not.toContain(s);
        // non-ASCII secrets survive as UTF-8 base64, whatever the remote console code page
        const utf = buildSecretsLine({ ...secrets, domainPassword: "Grüße-€-密码" });
        expect(Buffer.from(utf.split(" ")[2], "base64").toString("utf8")).toBe("Grüße-€-密码");
    });

    it("no cmdlet ever sees a plain-text secret: credentials are built with .NET calls", () => {
        const body = buildScriptBody(base);
        expect(body).not.toMatch(/ConvertTo-SecureString|ConvertFrom-Json|New-Object/);
        expect(body).toContain("[System.Net.NetworkCredential]::new('', (ConvertFrom-PekField $fields[2])).SecurePassword");
        expect(body).toContain("$SecretsLine = $null");
    });

    it("refuses a cloud auth mode that does not match the secrets", () => {
        expect(() => buildStdin({ ...base, cloudAuth: "credential" }, { ...secrets, cloudPassword: undefined })).toThrow(/needs a cloud password/);
        expect(() => buildStdin({ ...base, cloudAuth: "interactive" }, secrets)).toThrow(/no cloud password/);
    });
});

describe("the cmdlet calls", () => {
    const calls = (r: Partial<ScriptRequest>) => buildScriptBody({ ...base, ...r }).split("\n").filter((l) => /AzureADKerberosServer -/.test(l)).map((l) => l.trim());

    it("Set then Get, with -RotateServerKey and -Force only when asked", () => {
        expect(calls({ operation: "set" })).toEqual([
            "$null = Set-AzureADKerberosServer -Domain $domain -DomainCredential $domainCredential -CloudCredential $cloudCredential",
            "Write-PekResult @{ ok = $true; server = (Select-PekServer (Get-AzureADKerberosServer -Domain $domain -DomainCredential $domainCredential -CloudCredential $cloudCredential)) }",
        ]);
        expect(calls({ operation: "set", rotateServerKey: true })[0]).toMatch(/-CloudCredential \$cloudCredential -RotateServerKey$/);
        expect(calls({ operation: "set", rotateServerKey: true, force: true })[0]).toMatch(/-RotateServerKey -Force$/);
    });

    it("Get and Remove", () => {
        expect(calls({ operation: "get" })).toHaveLength(1);
        expect(calls({ operation: "remove" })).toEqual(["$null = Remove-AzureADKerberosServer -Domain $domain -DomainCredential $domainCredential -CloudCredential $cloudCredential"]);
    });

    it("without a cloud password, -UserPrincipalName instead of -CloudCredential (never both)", () => {
        const body = buildScriptBody({ ...base, operation: "set", cloudAuth: "interactive" });
        expect(body).not.toContain("$cloudCredential");
        expect(body).toContain("-DomainCredential $domainCredential -UserPrincipalName $cloudUserPrincipalName");
    });

    it("errors are caught and reported as one result line; the body returns its exit code", () => {
        const body = buildScriptBody(base);
        expect(body).toContain("$resultMarker = 'PEK-RESULT-0123456789abcdef01234567'");
        expect(body).toMatch(/} catch {\n {4}\$e = \$_\.Exception\n/);
        expect(body).toContain("Write-PekResult @{ ok = $false; error = @{ type = $e.GetType().FullName; message = $e.Message; errorId = $_.FullyQualifiedErrorId; inner = $inner } }");
        expect(body).toMatch(/return 0\n} catch/);
        expect(body).toMatch(/return 1\n}\n$/);
        expect(body).toContain("ConvertTo-Json -InputObject $Result -Depth 4 -Compress");
        expect(body).toContain("Import-Module -Name 'AzureADHybridAuthenticationManagement'");
        expect(body).toContain("$ConfirmPreference = 'None'");
    });
});
