// The module's known failures (docs/sources.md, Kerberos §4.2) -> ProviderErrors with a stable code and a
// message that says what to fix, followed by the module's own words (scrubbed). Codes shared with
// the lab publisher (DirectoryAccessDenied, DomainStrongAuthRequired, KerberosServerIncomplete,
// RotationTooSoon, DirectoryAuthFailed) mean the same thing there, so callers handle both alike.
// Anything unknown passes through as PublisherCommandFailed with the exception type and text.
import { ProviderError, type ErrorCode } from "../core/errors";
import { type ModuleErrorInfo, plainText } from "./powershell-output";
import { CMDLETS, MODULE_NAME, type PublisherOperation } from "./powershell-script";
import type { Scrubber } from "./powershell-secrets";
import type { PowerShellHost } from "../kerberos/model";

export interface ErrorContext {
    operation: PublisherOperation;
    domain: string;
    scrub: Scrubber;
    /** publisher.host; default "windowsPowerShell" */
    host?: PowerShellHost;
}

interface KnownError {
    code: ErrorCode;
    /** tested against "<type>: <message>" of the exception and of each inner exception */
    match: RegExp;
    fix: (ctx: ErrorContext) => string;
    retryable?: boolean;
    input?: string;
}

// Order matters: the first match wins, so the specific texts come before the general ones.
export const KNOWN_ERRORS: readonly KnownError[] = [
    {
        // the body's own report: the bootstrap line did not hand it the secrets line
        code: "PublisherFramingFailed",
        match: /^PekFramingError:/,
        fix: () => "PowerShell did not run the script the way this adapter sends it (the secrets line did not reach it). " +
            "Likely causes: the host runs PowerShell in Constrained Language Mode (AppLocker/WDAC), which forbids the [Console]::In " +
            "and .NET calls the script needs, or a shell between ssh and pwsh consumed stdin (keep cmd.exe as the OpenSSH default shell)",
    },
    {
        // Import-Module's own text (Modules_ModuleNotFound)
        code: "PublisherModuleMissing",
        match: new RegExp(`module '${MODULE_NAME}' was not loaded|Modules_ModuleNotFound`, "i"),
        fix: () => `the ${MODULE_NAME} module is not installed on the host that runs PowerShell. ` +
            `Install it there for all users, from an elevated PowerShell: Install-Module -Name ${MODULE_NAME} -AllowClobber -Scope AllUsers`,
    },
    {
        code: "PublisherRuntimeMissing",
        match: /PasswordSynchronization\.Rpc\.dll/i,
        // the module's own installer of the runtime used a deprecated VcRedist parameter until 2.4.71.0
        fix: () => "the module could not load Microsoft.Online.PasswordSynchronization.Rpc.dll, which needs the Microsoft Visual C++ 2013 " +
            `Redistributable (x64). Install it on the host that runs PowerShell (vcredist_x64.exe, version 12.0), or update the module to ` +
            `2.4.71.0 or later, whose runtime install works (Update-Module -Name ${MODULE_NAME}), then run again`,
    },
    {
        // test/fixtures/ad-powershell/seed-transcripts.json: in a child domain, run with an
        // Enterprise Admin of the root, this failed; "I needed to create a Domain Admin Account on
        // the child domain to get it working". A second commenter: run it from the Entra Connect server.
        code: "KerberosServerIncomplete",
        match: /SecondaryKrbTgtNumber/i,
        fix: (c) => `the Azure AD Kerberos Server objects of ${c.domain} were read back without their secondary krbtgt number. ` +
            `The domain credential must be a Domain Admin of ${c.domain} itself: for a child domain, an Enterprise Admin of the ` +
            "forest root is not enough (users who hit this in a child domain fixed it with a Domain Admin account of the child domain). " +
            "If it is, run the module on the Entra Connect server, or wait for replication of the new krbtgt_AzureAD and run again",
    },
    {
        code: "DirectoryAccessDenied",
        match: /insufficient access rights/i,
        fix: () => "the domain credential may not create the Azure AD Kerberos Server objects. It needs Domain Admins and Enterprise Admins, " +
            "and SeEnableDelegationPrivilege on the domain controllers (\"Enable computer and user accounts to be trusted for delegation\" " +
            "in the Default Domain Controllers Policy; a GPO that removed Administrators from it causes exactly this)",
    },
    {
        code: "DomainStrongAuthRequired",
        match: /strong(er)? authentication is required/i,
        // the compiled cause (test/fixtures/ad-powershell/errors.json): the DCs require LDAP
        // signing (LDAPServerIntegrity=2) while the host running the module does not sign (LdapClientIntegrity=0)
        fix: () => "the domain controllers require LDAP signing and the host that runs the module does not sign its LDAP connections. " +
            "On that host, set the policy \"Network security: LDAP client signing requirements\" to \"Require signing\", then run again",
    },
    {
        code: "RotationTooSoon",
        // The module's exact text for its once-per-24-hours rule is not public; these are the words
        // such a message would use. An unmatched refusal still surfaces as PublisherCommandFailed.
        match: /(24 hours|24h|once per day|too soon|rotated recently).*(rotat|-Force)|rotat.*(24 hours|24h|too soon|recently)/i,
        fix: () => "the key was rotated less than 24 hours ago, and the module rotates at most once per 24 hours. Wait, or rotate " +
            "with force (-Force). Rotating twice within the ticket lifetime invalidates tickets issued under the previous key",
        input: "keyRotation",
    },
    {
        code: "PublisherModuleOutdated",
        match: /ServiceCredentials MUST be zero|Primary:Kerberos-Newer-Keys/i,
        fix: () => `this version of ${MODULE_NAME} cannot read keys from Windows Server 2025 domain controllers. ` +
            `Update it to 2.4.71.0 or later: Update-Module -Name ${MODULE_NAME}`,
    },
    {
        code: "PublisherModuleOutdated",
        match: /Failed to set password for account/i,
        fix: () => "the computer account was created on one domain controller and its password set on another, a bug of the module " +
            `bundled with old Azure AD Connect builds. Use the PowerShell Gallery module instead: Install-Module -Name ${MODULE_NAME}`,
    },
    {
        // The text is from a user's transcript (test/fixtures/ad-powershell/seed-transcripts.json:
        // Set-AzureADKerberosServer with -UserPrincipalName, DirectoryServiceException); no public
        // source gives its cause. The module reads the new krbtgt_AzureAD's secret back over DRS
        // (Microsoft.Online.PasswordSynchronization.Rpc.dll), so the advice lists that step's
        // documented requirements, marked as likely causes, not as a diagnosis.
        code: "DomainSecretsReadFailed",
        match: /Failed to read secrets from the domain/i,
        fix: () => "the module could not read the new key's secret back from a domain controller; Microsoft publishes no cause for " +
            "this text. Likely causes, from what that read needs: run the module on the Entra Connect server or a host with its RPC " +
            "libraries, as Microsoft's steps say; give the domain credential in UPN form (user@domain; DOMAIN\\user falls back to NTLM, " +
            "which fails); the account must not be in Protected Users; the host must reach the domain controllers over RPC " +
            "(TCP 135 and the dynamic range); with Windows Server 2025 DCs the module must be 2.4.71.0 or later",
    },
    {
        // azure-docs issue #110070 and test/fixtures/ad-powershell/seed-transcripts.json: PowerShell 7
        // (7.5.1 in one report) on a DC; what worked was running on the Entra Connect server
        code: "PublisherPlatformUnsupported",
        match: /Operation is not supported on this platform/i,
        fix: (c) => "the module failed with \"Operation is not supported on this platform\", which users report under PowerShell 7. " +
            (c.host === "pwsh"
                ? 'Set publisher.host to "windowsPowerShell" (Windows PowerShell 5.1, the default), and run it'
                : "This run used Windows PowerShell 5.1; the fix users report is to run it") +
            " on the Entra Connect server (or another Windows Server host with the module's RPC libraries) that reaches the domain controllers",
        input: "publisher.host",
    },
    {
        // Microsoft's docs (sql-docs winauth-azuread-setup-incoming-trust-based-flow.md; azure-docs
        // storage-files-identity-auth-hybrid-cloud-trust.md): -SetupCloudTrust in a child domain.
        // This adapter never passes -SetupCloudTrust; the text can still come from a module run
        // that someone else started on the same domain.
        code: "KerberosTrustChildDomain",
        match: /LsaCreateTrustedDomainEx.*0x549/i,
        fix: () => "creating the trusted domain object KERBEROS.MICROSOFTONLINE.COM failed with 0x549: that is done in the forest root domain " +
            "only (Microsoft's incoming-trust docs), not in a child domain",
    },
    {
        code: "KerberosTrustNameCollision",
        match: /Collision setting top level names on trust/i,
        fix: () => "another trust already routes one of the top level names (e.g. windows.net) by name suffix; remove the name from " +
            "that trust's name suffix routing, then run again",
    },
    {
        code: "CloudTenantBlocked",
        match: /AADSTS5000225/,
        fix: () => "Entra ID says the tenant is blocked for inactivity: the cloud account is in another, dormant tenant. " +
            "Check that publisher.cloudUserPrincipalName belongs to the tenant the domain syncs to",
        input: "publisher.cloudUserPrincipalName",
    },
    {
        code: "PublisherInteractionRequired",
        // The module ships ADAL (Microsoft.IdentityModel.Clients.ActiveDirectory.dll); ADAL-based
        // Microsoft modules asked to sign in interactively without a desktop throw .NET's
        // "Showing a modal dialog box or form when the application is not running in UserInteractive
        // mode is not a valid operation." (Microsoft365DSC issues #472, #3134). The others are
        // PowerShell's own refusals under -NonInteractive (a Read-Host or a credential prompt).
        match: /not running in UserInteractive mode|PowerShell is in NonInteractive mode|Read and Prompt functionality is not available/i,
        fix: () => "the module tried to open an interactive sign-in, which cannot be shown here (no desktop, -NonInteractive). " +
            "Unattended, use publisher.signIn { mode: \"password\", password, accountExcludedFromMfa: true } for an account excluded from MFA, " +
            "or { mode: \"deferred\" } to get the commands to run by hand, signed in with MFA, on the Entra Connect server (docs/operations.md)",
        input: "publisher.signIn",
    },
    {
        code: "DirectoryAuthFailed",
        match: /supplied credential is invalid|user name or password is incorrect|logon failure/i,
        fix: () => "the domain credential was refused by the domain controller. Check the user name (UPN form, user@domain) and the password",
    },
];

function describe(e: { type: string; message: string }): string {
    return `${e.type}: ${e.message}`;
}

/** The module's error -> the ProviderError a user sees. */
export function mapModuleError(err: ModuleErrorInfo, ctx: ErrorContext): ProviderError {
    const texts = [describe(err), ...err.inner.map(describe)];
    const modulesWords = ctx.scrub(plainText(texts.filter((t) => t.trim() !== ":").join(" <- "))).replace(/\s+/g, " ").trim().slice(0, 1500);
    const what = `${CMDLETS[ctx.operation]} for ${ctx.domain}`;
    const known = KNOWN_ERRORS.find((k) => texts.some((t) => k.match.test(t)));
    const details = { resource: what, serviceCode: err.type, retryable: known?.retryable ?? false, input: known?.input };
    if (known) return new ProviderError(known.code, `${what} failed: ${known.fix(ctx)}. The module said: ${modulesWords}`, details);
    return new ProviderError("PublisherCommandFailed", `${what} failed: ${modulesWords}`, details);
}

/** pwsh (or the remote shell) failed before the script could report. */
export function mapShellFailure(o: { exitCode: number | null; signal: string | null; stderr: string }, ctx: ErrorContext & { where: string }): ProviderError {
    const what = `${CMDLETS[ctx.operation]} for ${ctx.domain} (${ctx.where})`;
    const tail = ctx.scrub(o.stderr).trim().split(/\r?\n/).slice(-5).join(" ").replace(/\s+/g, " ").slice(0, 800);
    // foreign text: the shell's stderr
    if (o.exitCode === 127 || o.exitCode === 9009 || /command not found|is not recognized as an internal or external command|No such file or directory/i.test(o.stderr)) {
        return new ProviderError("PublisherShellNotFound",
            `${what}: PowerShell was not found (${tail}). publisher.host "windowsPowerShell" runs powershell.exe and "pwsh" runs PowerShell 7: ` +
            "install the one chosen on that host (on its PATH), or choose the other", { resource: what, input: "publisher.host" });
    }
    const status = o.signal ? `signal ${o.signal}` : `exit status ${o.exitCode}`;
    return new ProviderError("PublisherShellFailed", `${what}: PowerShell ended with ${status} without reporting a result${tail ? `: ${tail}` : ""}`, { resource: what });
}
