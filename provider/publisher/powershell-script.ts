// What is sent to `pwsh -NoProfile -NonInteractive -Command -` on stdin. Three parts, in this order:
//
//   1. BOOTSTRAP_LINE, the only line PowerShell itself reads as a command. With `-Command -` the
//      console host reads stdin one line at a time from Console.In and runs each complete statement
//      before reading the next (REPL-like; PowerShell issues #3223, #21808; ConsoleHost.cs
//      ReadLineFromFile reads char by char from the same Console.In object the script sees). So
//      when this line runs, the rest of stdin is still unread, and it takes the rest itself:
//   2. the secrets line, read with [Console]::In.ReadLine(): base64 fields, so pure ASCII whatever
//      the console code page, and starting with "#" so that if the bootstrap ever failed to run,
//      the host would see a comment and echo nothing;
//   3. the script body, read with ReadToEnd() and run as one script block, which avoids the
//      REPL's statement-by-statement quirks (multi-line statements needing a blank line).
//
// Secrets never enter the script text (Script Block Logging records script text) and never pass
// through a cmdlet parameter (Module Logging records parameter bindings): they are decoded and
// wrapped into PSCredentials with .NET calls only. The body reports through one line on stdout,
// "<marker> <base64 of ConvertTo-Json>", so parsing never depends on pwsh's formatting of other
// streams, on line wrapping, or on the console encoding.
import type { EntraCloud } from "../kerberos/model";
import { psSingleQuoted, validateDomainName, validateUserPrincipalName } from "./powershell-quote";

export type PublisherOperation = "set" | "get" | "remove";

/** The cmdlet each operation runs. */
export const CMDLETS: Record<PublisherOperation, string> = {
    set: "Set-AzureADKerberosServer",
    get: "Get-AzureADKerberosServer",
    remove: "Remove-AzureADKerberosServer",
};

export const MODULE_NAME = "AzureADHybridAuthenticationManagement";

/**
 * Set-AzureADKerberosServerEndpoint -TargetEndpoint values. Microsoft Learn lists what
 * Get-AzureADKerberosServerEndpoint shows ("0 :Public 1 :China 2 :Us Government",
 * https://learn.microsoft.com/entra/identity/authentication/howto-authentication-passwordless-security-key-on-premises);
 * the parameter name comes from a public 21Vianet deployment guide (POWERSHELL.md, "National clouds").
 */
export const MODULE_ENDPOINTS: Record<EntraCloud, 0 | 1 | 2> = { public: 0, china: 1, usGovernment: 2 };

/** The pwsh command line, local or remote: no script and no secret in it. */
export const PWSH_ARGS: readonly string[] = ["-NoProfile", "-NonInteractive", "-Command", "-"];

export const BOOTSTRAP_LINE =
    "$ErrorActionPreference='Stop';$__pekIn=[Console]::In;$__pekSecrets=$__pekIn.ReadLine();$__pekBody=$__pekIn.ReadToEnd();" +
    "$__pekOut=@(& ([scriptblock]::Create($__pekBody)) $__pekSecrets);$__pekSecrets=$null;exit [int]$__pekOut[-1]";

export const SECRETS_LINE_TAG = "#PEK1";
export const RESULT_MARKER_PREFIX = "PEK-RESULT-";

/** Exit codes the body returns (pwsh's own failures use others, e.g. 64 for a bad command line). */
export const EXIT = { ok: 0, moduleError: 1, framingError: 2 } as const;

/** The properties of Get-AzureADKerberosServer's output that the port's table carries. */
export const SERVER_PROPERTIES = [
    "Id", "UserAccount", "ComputerAccount", "DisplayName", "DomainDnsName", "KeyVersion", "KeyUpdatedOn", "KeyUpdatedFrom",
    "CloudDisplayName", "CloudDomainDnsName", "CloudId", "CloudKeyVersion", "CloudKeyUpdatedOn",
] as const;

export interface ScriptRequest {
    operation: PublisherOperation;
    domain: string;
    cloudUserPrincipalName: string;
    /** "credential": -CloudCredential (a cloud password is sent); "interactive": -UserPrincipalName (the module signs in interactively) */
    cloudAuth: "credential" | "interactive";
    /** set only: -RotateServerKey */
    rotateServerKey?: boolean;
    /** set only, with rotateServerKey: -Force */
    force?: boolean;
    /** Set-AzureADKerberosServerEndpoint -TargetEndpoint before the operation, in the same session; left out: not called */
    endpoint?: EntraCloud;
    /** makes the result marker unique to this run, so no other output can be mistaken for it */
    nonce: string;
    /**
     * The run's own time limit in milliseconds, kept by the script on the host that runs it (see
     * watchdogLines); without it the script sets none. The adapter always passes one.
     */
    stopAfterMs?: number;
}

export interface ScriptSecrets {
    domainUsername: string;
    domainPassword: string;
    /** required when cloudAuth is "credential" */
    cloudPassword?: string;
}

export function resultMarker(nonce: string): string {
    return `${RESULT_MARKER_PREFIX}${nonce}`;
}

function b64(s: string): string {
    return Buffer.from(s, "utf8").toString("base64");
}

/** "#PEK1 <user> <password> <cloud password | ->", each base64 of UTF-8. */
export function buildSecretsLine(s: ScriptSecrets): string {
    return [SECRETS_LINE_TAG, b64(s.domainUsername), b64(s.domainPassword), s.cloudPassword === undefined ? "-" : b64(s.cloudPassword)].join(" ");
}

function cloudArgs(req: ScriptRequest): string {
    return req.cloudAuth === "credential" ? "-CloudCredential $cloudCredential" : "-UserPrincipalName $cloudUserPrincipalName";
}

function operationLines(req: ScriptRequest): string[] {
    const common = `-Domain $domain -DomainCredential $domainCredential ${cloudArgs(req)}`;
    const get = `Get-AzureADKerberosServer ${common}`;
    switch (req.operation) {
        case "set": {
            const rotate = req.rotateServerKey ? (req.force ? " -RotateServerKey -Force" : " -RotateServerKey") : "";
            return [
                `    $null = Set-AzureADKerberosServer ${common}${rotate}`,
                // Set's own output is not documented; the table comes from Get, as the docs suggest.
                `    Write-PekResult @{ ok = $true; server = (Select-PekServer (${get})) }`,
            ];
        }
        case "get":
            return [`    Write-PekResult @{ ok = $true; server = (Select-PekServer (${get})) }`];
        case "remove":
            return [
                `    $null = Remove-AzureADKerberosServer ${common}`,
                "    Write-PekResult @{ ok = $true }",
            ];
    }
}

/**
 * Run by a second runspace of the same pwsh process: unless $Stop is signalled first, it kills the
 * process when $Ms have passed (pwsh 7: with its child processes; Windows PowerShell 5.1's .NET has
 * no Kill(entireProcessTree), and there sshd's job object for the session ends the rest). Pure .NET
 * calls, no cmdlet, so nothing has to be auto-loaded for it to work.
 */
export const WATCHDOG_SCRIPT =
    "param($Ms, $Stop) if (-not $Stop.WaitOne($Ms)) { $p = [System.Diagnostics.Process]::GetCurrentProcess(); " +
    "if ($PSVersionTable.PSVersion.Major -ge 7) { $p.Kill($true) } else { $p.Kill() } }";

/**
 * Arms the watchdog. Why the script bounds itself: the adapter's timeout kills only the processes
 * on its own machine. Locally that is pwsh; over ssh it is the ssh client, and sshd does not end a
 * command that runs without a terminal when the client goes away (observed with OpenSSH 9.2 on
 * Linux; Win32-OpenSSH issue #1751), so a hung module would otherwise run on the host for good.
 * `-tt` would make sshd hang the session up, but a terminal echoes stdin, and stdin holds the secrets.
 * The runspace's pipeline thread is a foreground thread, so the `finally` below must stop it, or
 * pwsh would not exit until the limit.
 */
function watchdogLines(stopAfterMs: number): string[] {
    return [
        "    $watchdogStop = [System.Threading.ManualResetEvent]::new($false)",
        `    $watchdog = [powershell]::Create().AddScript(${psSingleQuoted(WATCHDOG_SCRIPT)}).AddArgument(${stopAfterMs}).AddArgument($watchdogStop)`,
        "    $null = $watchdog.BeginInvoke()",
    ];
}

/** The script body (part 3). Pure ASCII; the domain and UPN are validated and single-quoted. */
export function buildScriptBody(req: ScriptRequest): string {
    const domain = validateDomainName(req.domain);
    const upn = validateUserPrincipalName(req.cloudUserPrincipalName);
    if (!/^[0-9a-f]{16,64}$/.test(req.nonce)) throw new Error("nonce must be lowercase hex");
    if (req.endpoint !== undefined && !(req.endpoint in MODULE_ENDPOINTS)) throw new Error(`endpoint must be one of ${Object.keys(MODULE_ENDPOINTS).join(", ")}`);
    const limit = req.stopAfterMs;
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0 && limit <= 2_147_483_647)) {
        throw new Error("stopAfterMs must be a positive 32-bit integer (WaitOne takes an Int32)");
    }
    const lines = [
        "param([string]$SecretsLine)",
        "$ErrorActionPreference = 'Stop'",
        "$ProgressPreference = 'SilentlyContinue'",
        // Remove-* may be a ShouldProcess cmdlet; a confirmation prompt cannot be answered here.
        "$ConfirmPreference = 'None'",
        `$resultMarker = ${psSingleQuoted(resultMarker(req.nonce))}`,
        `$domain = ${psSingleQuoted(domain)}`,
        `$cloudUserPrincipalName = ${psSingleQuoted(upn)}`,
        "function Write-PekResult($Result) {",
        "    $json = ConvertTo-Json -InputObject $Result -Depth 4 -Compress",
        "    [Console]::Out.WriteLine($resultMarker + ' ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($json)))",
        "    [Console]::Out.Flush()",
        "}",
        "function ConvertFrom-PekField([string]$Field) {",
        "    if ($Field -eq '-') { return $null }",
        "    return [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Field))",
        "}",
        "function Select-PekServer($Server) {",
        "    if ($null -eq $Server) { return $null }",
        // the names as an array of literals, not bare words: the same to PowerShell, and the form
        // tree-sitter-powershell reads (it has no comma list of bare-word arguments), so the
        // grammar test (test/unit/publisher/powershell-grammar.test.ts) can check the whole script
        `    return @($Server)[0] | Select-Object -Property @(${SERVER_PROPERTIES.map((p) => `'${p}'`).join(", ")})`,
        "}",
        "$fields = $SecretsLine.Split(' ')",
        `if ($fields.Length -ne 4 -or $fields[0] -ne '${SECRETS_LINE_TAG}') {`,
        "    Write-PekResult @{ ok = $false; error = @{ type = 'PekFramingError'; message = 'The secrets line was missing or malformed.' } }",
        `    return ${EXIT.framingError}`,
        "}",
        "$domainCredential = [System.Management.Automation.PSCredential]::new((ConvertFrom-PekField $fields[1]), [System.Net.NetworkCredential]::new('', (ConvertFrom-PekField $fields[2])).SecurePassword)",
        ...(req.cloudAuth === "credential"
            ? ["$cloudCredential = [System.Management.Automation.PSCredential]::new($cloudUserPrincipalName, [System.Net.NetworkCredential]::new('', (ConvertFrom-PekField $fields[3])).SecurePassword)"]
            : []),
        "$fields = $null",
        "$SecretsLine = $null",
        "try {",
        ...(limit !== undefined ? watchdogLines(limit) : []),
        `    Import-Module -Name '${MODULE_NAME}'`,
        ...(req.endpoint !== undefined ? [`    Set-AzureADKerberosServerEndpoint -TargetEndpoint ${MODULE_ENDPOINTS[req.endpoint]}`] : []),
        ...operationLines(req),
        `    return ${EXIT.ok}`,
        "} catch {",
        "    $e = $_.Exception",
        "    $inner = @()",
        "    $i = $e.InnerException",
        "    while ($null -ne $i -and $inner.Count -lt 4) { $inner += @{ type = $i.GetType().FullName; message = $i.Message }; $i = $i.InnerException }",
        "    Write-PekResult @{ ok = $false; error = @{ type = $e.GetType().FullName; message = $e.Message; errorId = $_.FullyQualifiedErrorId; inner = $inner } }",
        `    return ${EXIT.moduleError}`,
        ...(limit !== undefined
            // Set() returns a bool: into $null, or it would become the exit code the bootstrap reads
            ? ["} finally {", "    if ($null -ne $watchdog) { $null = $watchdogStop.Set(); $watchdog.Dispose() }"]
            : []),
        "}",
    ];
    return lines.join("\n") + "\n";
}

/** Everything written to pwsh's stdin, in order; stdin is closed after it. */
export function buildStdin(req: ScriptRequest, secrets: ScriptSecrets): string {
    if (req.cloudAuth === "credential" && secrets.cloudPassword === undefined) throw new Error("cloudAuth credential needs a cloud password");
    if (req.cloudAuth === "interactive" && secrets.cloudPassword !== undefined) throw new Error("cloudAuth interactive sends no cloud password");
    const body = buildScriptBody(req);
    return `${BOOTSTRAP_LINE}\n${buildSecretsLine(secrets)}\n${body}`;
}

export interface ManualRequest {
    operation: "set" | "remove";
    domain: string;
    cloudUserPrincipalName: string;
    rotateServerKey?: boolean;
    force?: boolean;
    endpoint?: EntraCloud;
}

/**
 * What an admin runs by hand (publisher.signIn "deferred") in an elevated Windows PowerShell on the
 * Entra Connect server: Microsoft's own steps (-UserPrincipalName, so the module signs in
 * interactively, with MFA), the domain and account as literals, no secret (Get-Credential asks).
 * The same parameter sets as operationLines.
 */
export function manualCommands(req: ManualRequest): string[] {
    const domain = psSingleQuoted(validateDomainName(req.domain));
    const upn = psSingleQuoted(validateUserPrincipalName(req.cloudUserPrincipalName));
    const common = "-Domain $domain -UserPrincipalName $userPrincipalName -DomainCredential $domainCred";
    const rotate = req.operation === "set" && req.rotateServerKey ? (req.force ? " -RotateServerKey -Force" : " -RotateServerKey") : "";
    return [
        `Import-Module ${MODULE_NAME}`,
        ...(req.endpoint === undefined ? [] : [`Set-AzureADKerberosServerEndpoint -TargetEndpoint ${MODULE_ENDPOINTS[req.endpoint]}`]),
        `$domain = ${domain}`,
        `$userPrincipalName = ${upn}`,
        `$domainCred = Get-Credential -Message ${psSingleQuoted(`A Domain Admin of ${req.domain}, in UPN form`)}`,
        req.operation === "set" ? `Set-AzureADKerberosServer ${common}${rotate}` : `Remove-AzureADKerberosServer ${common}`,
        `Get-AzureADKerberosServer ${common}`,
    ];
}
