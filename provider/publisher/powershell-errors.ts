// The module's known failures (kerberos-server.md §4.2) -> ProviderErrors with a stable code and a
// message that says what to fix, followed by the module's own words (scrubbed). Codes shared with
// the lab publisher (DirectoryAccessDenied, DomainStrongAuthRequired, KerberosServerIncomplete,
// RotationTooSoon, DirectoryAuthFailed) mean the same thing there, so callers handle both alike.
// Anything unknown passes through as PublisherCommandFailed with the exception type and text.
import { ProviderError } from "../core/errors";
import { type ModuleErrorInfo, plainText } from "./powershell-output";
import { CMDLETS, MODULE_NAME, type PublisherOperation } from "./powershell-script";
import type { Scrubber } from "./powershell-secrets";

export interface ErrorContext {
    operation: PublisherOperation;
    domain: string;
    scrub: Scrubber;
}

interface KnownError {
    code: string;
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
        fix: () => "the module could not load Microsoft.Online.PasswordSynchronization.Rpc.dll, which needs the Microsoft Visual C++ 2013 " +
            "Redistributable (x64). Install it on the host that runs PowerShell (vcredist_x64.exe, version 12.0), then run again",
    },
    {
        code: "KerberosServerIncomplete",
        match: /SecondaryKrbTgtNumber/i,
        fix: (c) => `the Azure AD Kerberos Server objects of ${c.domain} were read back without their secondary krbtgt number. ` +
            "The domain credential must be in Domain Admins of the forest root domain and in Enterprise Admins (for a child domain, " +
            "use an Enterprise Admin of the root). If it is, the module read the new krbtgt_AzureAD from a domain controller the write " +
            "had not replicated to yet: wait for replication, then run again",
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
        fix: () => "the domain controllers require LDAP signing and the module's connection was not signed. Run it on a domain-joined " +
            "Windows host with the domain credential in UPN form (user@domain) so it binds with Negotiate and signs, or check the " +
            "\"Domain controller: LDAP server signing requirements\" policy against what the host supports",
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
        code: "DomainSecretsReadFailed",
        match: /Failed to read secrets from the domain/i,
        fix: () => "the module could not replicate the krbtgt_AzureAD secret from a domain controller (DRS). Check that the domain " +
            "credential is in UPN form (NTLM fallback fails), is not in Protected Users, has Replicating Directory Changes (All), " +
            "that the host reaches the DCs over RPC (TCP 135 and the dynamic range), and on Windows Server 2025 DCs that the module is 2.4.71.0 or later",
    },
    {
        code: "PublisherPlatformUnsupported",
        match: /Operation is not supported on this platform/i,
        fix: () => "the module failed on this host with \"Operation is not supported on this platform\". Run it in Windows PowerShell 5.1 " +
            "(pwshCommand \"powershell\") on the Entra Connect server or another Windows Server host that can reach the domain controllers",
    },
    {
        code: "PublisherInteractionRequired",
        // the last: ADAL's refusal to show a sign-in dialog without a desktop (errors.json; the module ships ADAL)
        match: /NonInteractive mode|Read and Prompt functionality is not available|interactive (sign-in|login|prompt)|not running in UserInteractive mode/i,
        fix: () => "the module asked for interactive input, which cannot be given here. Without publisher.cloudPassword it signs in " +
            "interactively as cloudUserPrincipalName; set cloudPassword (an account allowed to sign in with a password) to run unattended",
        input: "publisher.cloudPassword",
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
    if (o.exitCode === 127 || o.exitCode === 9009 || /command not found|is not recognized as an internal or external command|No such file or directory/i.test(o.stderr)) {
        return new ProviderError("PublisherShellNotFound",
            `${what}: PowerShell was not found (${tail}). Install PowerShell 7 on that host, or set the publisher's pwsh command to its full path`, { resource: what });
    }
    const status = o.signal ? `signal ${o.signal}` : `exit status ${o.exitCode}`;
    return new ProviderError("PublisherShellFailed", `${what}: PowerShell ended with ${status} without reporting a result${tail ? `: ${tail}` : ""}`, { resource: what });
}
