// The module's known errors (kerberos-server.md §4.2) -> stable codes and messages that say the fix;
// the rest passes through with the module's text, scrubbed.
import { ProviderError } from "../../../provider/core/errors";
import { mapModuleError, mapShellFailure } from "../../../provider/publisher/powershell-errors";
import type { ModuleErrorInfo } from "../../../provider/publisher/powershell-output";
import { makeScrubber } from "../../../provider/publisher/powershell-secrets";
import errorsFixture from "../../fixtures/ad-powershell/errors.json";
import seedFixture from "../../fixtures/ad-powershell/seed-transcripts.json";

const ctx = { operation: "set" as const, domain: "contoso.com", scrub: makeScrubber(["Secret-Domain-Pw", "Secret-Cloud-Pw"]) };
const err = (type: string, message: string, inner: ModuleErrorInfo["inner"] = []): ModuleErrorInfo => ({ type, message, inner });
const KDC = "Microsoft.AzureAD.Kdc.Service";

describe("known module errors", () => {
    it.each([
        ["the module is missing", err("System.IO.FileNotFoundException", "The specified module 'AzureADHybridAuthenticationManagement' was not loaded because no valid module file was found in any module directory."),
            "PublisherModuleMissing", /Install-Module -Name AzureADHybridAuthenticationManagement/],
        ["Rpc.dll cannot load", err("System.IO.FileNotFoundException", "Could not load file or assembly 'Microsoft.Online.PasswordSynchronization.Rpc.dll' or one of its dependencies."),
            "PublisherRuntimeMissing", /Visual C\+\+ 2013 Redistributable \(x64\)/],
        ["SecondaryKrbTgtNumber Value:0", err(`${KDC}.DirectoryObjectValidationException`, "The Azure AD Kerberos Server object in Active Directory is missing required properties. Property: UserAccount.SecondaryKrbTgtNumber Value:0"),
            "KerberosServerIncomplete", /Domain Admin of contoso\.com itself.*Enterprise Admin of the forest root is not enough/],
        ["insufficient access rights", err(`${KDC}.DirectoryServiceException`, "Failed to create Azure AD Kerberos Server: Error sending directory request: The user has insufficient access rights."),
            "DirectoryAccessDenied", /SeEnableDelegationPrivilege/],
        ["strong authentication", err(`${KDC}.DirectoryServiceException`, "Failed to connect to domain: Strong authentication is required."),
            "DomainStrongAuthRequired", /LDAP client signing requirements.*Require signing/],
        ["the 24 h rotation rule (wording assumed)", err(`${KDC}.KerberosServerException`, "The Azure AD Kerberos Server key was rotated less than 24 hours ago. Use -Force to rotate it again."),
            "RotationTooSoon", /force \(-Force\)/],
        ["the lab's wording of the 24 h rule", err("X", "Failed to rotate the Azure AD Kerberos Server key for c: it was last rotated at 2024-01-01T00:00:00.000Z, less than 24 hours ago. Allow time for the new key to replicate, or use -Force to rotate anyway"),
            "RotationTooSoon", /24 hours/],
        ["Windows Server 2025 keys", err("System.ArgumentOutOfRangeException", "2.2.10.6 Primary:Kerberos-Newer-Keys. ServiceCredentials MUST be zero"),
            "PublisherModuleOutdated", /2\.4\.71\.0/],
        ["password set on another DC", err(`${KDC}.DirectoryServiceException`, "Failed to set password for account: LDAP://dc2/CN=AzureADKerberos,OU=Domain Controllers,DC=c"),
            "PublisherModuleOutdated", /PowerShell Gallery module/],
        ["secrets not readable", err(`${KDC}.DirectoryServiceException`, "Failed to read secrets from the domain ."),
            "DomainSecretsReadFailed", /no cause for this text.*Entra Connect server.*UPN form/],
        ["platform", err("System.Exception", "Unexpected exception thrown. Action: GetKerberosDomainSyncConfigAsync, Exception: Operation is not supported on this platform."),
            "PublisherPlatformUnsupported", /Windows PowerShell 5\.1; the fix users report is to run it on the Entra Connect server/],
        ["a prompt in a non-interactive session", err("System.Management.Automation.PSInvalidOperationException", "PowerShell is in NonInteractive mode. Read and Prompt functionality is not available."),
            "PublisherInteractionRequired", /publisher\.signIn/],
        ["the script's own framing error", err("PekFramingError", "The secrets line was missing or malformed."),
            "PublisherFramingFailed", /Constrained Language Mode/],
        ["a refused domain credential", err("System.DirectoryServices.Protocols.LdapException", "The supplied credential is invalid."),
            "DirectoryAuthFailed", /user name \(UPN form/],
    ])("%s", (_name, e, code, fix) => {
        const pe = mapModuleError(e, ctx);
        expect(pe).toBeInstanceOf(ProviderError);
        expect(pe.code).toBe(code);
        expect(pe.message).toMatch(/^Set-AzureADKerberosServer for contoso\.com failed: /);
        expect(pe.message).toMatch(fix);
        expect(pe.message).toContain(`The module said: ${e.type}: ${e.message.replace(/\s+/g, " ").trim()}`);
        expect(pe.serviceCode).toBe(e.type);
        expect(pe.resource).toBe("Set-AzureADKerberosServer for contoso.com");
    });

    it("a known text in an inner exception is found too", () => {
        const pe = mapModuleError(err("System.AggregateException", "One or more errors occurred.", [{ type: "System.IO.FileNotFoundException", message: "Could not load Microsoft.Online.PasswordSynchronization.Rpc.dll" }]), ctx);
        expect(pe.code).toBe("PublisherRuntimeMissing");
        expect(pe.message).toContain("One or more errors occurred. <- System.IO.FileNotFoundException: Could not load");
    });
});

// Every text users reported (test/fixtures/ad-powershell/errors.json, a compilation of public
// reports, and seed-transcripts.json, verbatim transcripts) -> its code, and advice that says what
// the source says fixed it. Keyed by a distinctive part of the text, so a fixture text without an
// expectation here fails the test rather than going untested.
const FIXTURE_EXPECTATIONS: [text: RegExp, code: string, advice: RegExp][] = [
    [/insufficient access rights/, "DirectoryAccessDenied", /SeEnableDelegationPrivilege/],
    [/Failed to set password for account/, "PublisherModuleOutdated", /created on one domain controller and its password set on another.*PowerShell Gallery module/],
    [/Operation is not supported on this platform/, "PublisherPlatformUnsupported", /PowerShell 7.*Entra Connect server/],
    [/SecondaryKrbTgtNumber/, "KerberosServerIncomplete", /Domain Admin of contoso\.com itself.*Enterprise Admin of the forest root is not enough/],
    [/Strong authentication is required/, "DomainStrongAuthRequired", /"Network security: LDAP client signing requirements" to "Require signing"/],
    [/ServiceCredentials MUST be zero/, "PublisherModuleOutdated", /Windows Server 2025.*2\.4\.71\.0/],
    [/PasswordSynchronization\.Rpc\.dll/, "PublisherRuntimeMissing", /Visual C\+\+ 2013 Redistributable \(x64\).*2\.4\.71\.0/],
    [/Collision setting top level names/, "KerberosTrustNameCollision", /name suffix routing/],
    [/LsaCreateTrustedDomainEx 0x549/, "KerberosTrustChildDomain", /forest root domain only.*not in a child domain/],
    [/AADSTS5000225/, "CloudTenantBlocked", /dormant tenant.*publisher\.cloudUserPrincipalName/],
    [/not running in UserInteractive mode/, "PublisherInteractionRequired", /interactive sign-in.*publisher\.signIn/],
    [/Failed to read secrets from the domain/, "DomainSecretsReadFailed", /no cause for this text/],
];

/** "Cmdlet : message" / "Cmdlet: message" as PowerShell prints it -> the exception's message. */
const messageOf = (text: string) => text.replace(/^[A-Z][A-Za-z]+-[A-Za-z]+ ?: /, "");

describe("every error text of the fixtures", () => {
    const reported = errorsFixture.errors.map((e) => ({ text: e.text, type: e.exceptionType ?? "System.InvalidOperationException" }));
    const transcripts = seedFixture.transcripts.map((t) => ({ text: t.text, type: t.exceptionType }));
    // entries that hold no error text: a description of a hang, or a text that no source shows
    const withText = [...reported, ...transcripts].filter((e) => !/^\((no message found|interactive sign-in)\)/.test(e.text));

    test("the fixtures hold the texts this table covers (and the ones without text are the two known)", () => {
        expect(reported.length - reported.filter((e) => withText.includes(e)).length).toBe(3);
        expect(withText.length).toBe(errorsFixture.errors.length - 3 + seedFixture.transcripts.length);
    });

    test.each(withText.map((e) => [e.text.slice(0, 70), e] as const))("%s", (_name, e) => {
        const expected = FIXTURE_EXPECTATIONS.filter(([match]) => match.test(e.text));
        expect(expected).toHaveLength(1);
        const [, code, advice] = expected[0];
        const pe = mapModuleError(err(e.type, messageOf(e.text)), ctx);
        expect(pe.code).toBe(code);
        expect(pe.message).toMatch(advice);
        expect(pe.message).toContain(messageOf(e.text).replace(/\s+/g, " ").trim());
    });

    test("under host pwsh the platform error names publisher.host", () => {
        const pe = mapModuleError(err("System.Exception", "Exception: Operation is not supported on this platform."), { ...ctx, host: "pwsh" });
        expect(pe.message).toMatch(/Set publisher\.host to "windowsPowerShell"/);
        expect(pe.input).toBe("publisher.host");
    });
});

describe("unknown errors", () => {
    it("pass through with the module's type and text", () => {
        const pe = mapModuleError(err("Some.New.Exception", "Nobody has seen this.", [{ type: "System.TimeoutException", message: "The operation has timed out." }]), { ...ctx, operation: "remove" });
        expect(pe.code).toBe("PublisherCommandFailed");
        expect(pe.message).toBe("Remove-AzureADKerberosServer for contoso.com failed: Some.New.Exception: Nobody has seen this. <- System.TimeoutException: The operation has timed out.");
        expect(pe.retryable).toBe(false);
    });

    it("are scrubbed of the secrets, their base64 and anything token-shaped", () => {
        const b64 = Buffer.from("Secret-Cloud-Pw").toString("base64");
        const pe = mapModuleError(err("X", `pw Secret-Domain-Pw, b64 ${b64}, Bearer abcdefghijklmnop.qrstuvwx, eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig`), ctx);
        expect(pe.message).not.toMatch(/Secret-Domain-Pw|Secret-Cloud-Pw|abcdefghijklmnop|eyJhbGci/);
        expect(pe.message).not.toContain(b64);
        expect(pe.message).toContain("pw ***, b64 ***");
    });
});

describe("PowerShell failing before it reports", () => {
    it("a missing pwsh, on Linux and through cmd.exe", () => {
        expect(mapShellFailure({ exitCode: 127, signal: null, stderr: "bash: line 1: pwsh: command not found" }, { ...ctx, where: "ssh" }).code).toBe("PublisherShellNotFound");
        expect(mapShellFailure({ exitCode: 1, signal: null, stderr: "'pwsh' is not recognized as an internal or external command,\r\noperable program or batch file." }, { ...ctx, where: "ssh" }).code).toBe("PublisherShellNotFound");
    });

    it("anything else names the exit status and the end of stderr, scrubbed", () => {
        const pe = mapShellFailure({ exitCode: 134, signal: null, stderr: "line1\nProcess is terminated due to StackOverflowException. Secret-Domain-Pw\n" }, { ...ctx, where: "local pwsh" });
        expect(pe.code).toBe("PublisherShellFailed");
        expect(pe.message).toBe("Set-AzureADKerberosServer for contoso.com (local pwsh): PowerShell ended with exit status 134 without reporting a result: line1 Process is terminated due to StackOverflowException. ***");
    });
});
