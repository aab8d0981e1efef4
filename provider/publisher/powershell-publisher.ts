// The production KerberosPublisherPort: Microsoft's AzureADHybridAuthenticationManagement cmdlets
// (Set/Get/Remove-AzureADKerberosServer) run by Windows PowerShell 5.1 (or, when chosen, PowerShell
// 7), on this machine or on a Windows host over SSH. Secrets arrive here already resolved (the
// caller resolves SecretRefs) and leave only on the child's stdin; see powershell-script.ts for the
// framing and powershell-secrets.ts for the rest.
import { randomBytes } from "node:crypto";
import { ProviderError } from "../core/errors";
import type { KerberosPublisherPort, KerberosServerTable, PublisherRequest, SetServerRequest } from "./port";
import { mapModuleError, mapShellFailure } from "./powershell-errors";
import { plainText, readScriptResult, toServerTable } from "./powershell-output";
import { type ProcessOutcome, runProcess } from "./powershell-process";
import type { EntraCloud, PowerShellHost } from "../kerberos/model";
import { validateDomainName, validateUserPrincipalName } from "./powershell-quote";
import { buildStdin, CMDLETS, PWSH_ARGS, type PublisherOperation, RESULT_MARKER_PREFIX, type ScriptRequest } from "./powershell-script";
import { childEnvironment, makeScrubber } from "./powershell-secrets";
import { remoteCommandLine, sshArgs, sshFailure, type SshTarget, validateSshTarget, withSshFiles } from "./powershell-ssh";

export type PowerShellShell = { type: "local" } | ({ type: "ssh" } & SshTarget);

/** publisher.host -> the executable, locally and on the ssh host (found on PATH there). */
export const HOST_COMMANDS: Record<PowerShellHost, string> = { windowsPowerShell: "powershell.exe", pwsh: "pwsh" };

/**
 * Why PowerShell 7 is only an explicit choice: the module is a Windows PowerShell (Desktop) binary
 * module (its manifest declares no CompatiblePSEditions), and users report its cloud calls failing
 * under PowerShell 7 (MicrosoftDocs/azure-docs issue #110070).
 */
export const PWSH_HOST_WARNING =
    'publisher.host is "pwsh" (PowerShell 7): Microsoft documents AzureADHybridAuthenticationManagement for Windows PowerShell 5.1 only, ' +
    'and under PowerShell 7 users report "Unexpected exception thrown. Action: GetKerberosDomainSyncConfigAsync, Exception: Operation is not supported on this platform." ' +
    'Use host "windowsPowerShell" (the default) unless this host has been seen to work';

export interface PowerShellPublisherOptions {
    shell: PowerShellShell;
    cloudUserPrincipalName: string;
    /** with it: -CloudCredential (unattended); without: -UserPrincipalName (the module signs in interactively) */
    cloudPassword?: string;
    /** default "windowsPowerShell" */
    host?: PowerShellHost;
    /** the module's endpoint, set before every operation; left out: as the host's module has it */
    cloud?: EntraCloud;
    /** the executable instead of HOST_COMMANDS[host]; tests run the stand-in with it (not an input) */
    command?: string;
    /** default "ssh" */
    sshCommand?: string;
    /** per operation; default 5 minutes. Dynamic providers ignore customTimeouts, so this is the limit */
    timeoutMs?: number;
    /** progress and diagnostics, one line each, secrets scrubbed */
    onLog?: (line: string) => void;
}

export const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * How much longer than timeoutMs the script's own limit is (powershell-script.ts, watchdogLines).
 * The script's clock starts after ours (pwsh start-up, the ssh connection), and the margin keeps it
 * from ending pwsh before our timer fires even when this event loop is slow, so a hung run is
 * reported as PublisherTimeout and not as a pwsh that died.
 */
export const SELF_STOP_MARGIN_MS = 2000;

function validateOptions(o: PowerShellPublisherOptions): void {
    validateUserPrincipalName(o.cloudUserPrincipalName);
    if (o.cloudPassword !== undefined && (typeof o.cloudPassword !== "string" || o.cloudPassword === "")) {
        throw new ProviderError("PublisherConfigInvalid", "publisher.cloudPassword resolved to an empty value", { input: "publisher.cloudPassword" });
    }
    if (o.timeoutMs !== undefined && !(Number.isFinite(o.timeoutMs) && o.timeoutMs > 0)) {
        // timeoutMs comes from the operation's timeouts.* (resources/azure-ad-kerberos-server-impl.ts)
        throw new ProviderError("PublisherConfigInvalid", "the PowerShell run's time limit must be a positive number of milliseconds; check timeouts", { input: "timeouts" });
    }
    if (o.host !== undefined && !(o.host in HOST_COMMANDS)) {
        throw new ProviderError("PublisherConfigInvalid", 'publisher.host must be "windowsPowerShell" or "pwsh"', { input: "publisher.host" });
    }
    if (o.shell?.type === "ssh") validateSshTarget(o.shell);
    else if (o.shell?.type !== "local") throw new ProviderError("PublisherConfigInvalid", 'publisher.shell.type must be "local" or "ssh"', { input: "publisher.shell" });
}

function validateRequest(req: PublisherRequest): void {
    validateDomainName(req?.domain);
    const c = req.domainCredential;
    if (!c || typeof c.username !== "string" || !c.username || typeof c.password !== "string" || !c.password) {
        throw new ProviderError("PublisherConfigInvalid", "the domain credential (-DomainCredential) needs a user name and a password", { input: "domainCredential" });
    }
}

export function createPowerShellPublisher(opts: PowerShellPublisherOptions): KerberosPublisherPort {
    validateOptions(opts);
    const host = opts.host ?? "windowsPowerShell";
    const pwsh = opts.command ?? HOST_COMMANDS[host];
    const ssh = opts.sshCommand ?? "ssh";
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const shell = opts.shell;
    const where = shell.type === "ssh" ? `ssh ${shell.user}@${shell.host}:${shell.port ?? 22}` : `local ${pwsh}`;
    if (shell.type === "ssh") remoteCommandLine(pwsh, PWSH_ARGS); // validates the command now, not at first use

    async function run(operation: PublisherOperation, req: SetServerRequest): Promise<unknown> {
        validateRequest(req);
        const secrets = [req.domainCredential.password, opts.cloudPassword, shell.type === "ssh" ? shell.privateKeyPem : undefined];
        const scrub = makeScrubber(secrets);
        const log = (line: string) => opts.onLog?.(scrub(plainText(line)));
        const ctx = { operation, domain: req.domain, scrub, host };

        const script: ScriptRequest = {
            operation,
            domain: req.domain,
            cloudUserPrincipalName: opts.cloudUserPrincipalName,
            cloudAuth: opts.cloudPassword !== undefined ? "credential" : "interactive",
            rotateServerKey: operation === "set" && req.rotateServerKey === true,
            force: operation === "set" && req.rotateServerKey === true && req.force === true,
            endpoint: opts.cloud,
            nonce: randomBytes(12).toString("hex"),
            // the timeout below kills only local processes; over ssh this is what ends the remote pwsh
            stopAfterMs: Math.min(Math.ceil(timeoutMs) + SELF_STOP_MARGIN_MS, 2_147_483_647),
        };
        if (operation === "set" && req.force && !req.rotateServerKey) log("force applies to key rotation only; not passing -Force");
        const stdin = buildStdin(script, {
            domainUsername: req.domainCredential.username,
            domainPassword: req.domainCredential.password,
            cloudPassword: opts.cloudPassword,
        });
        const label = `${CMDLETS[operation]} ${req.domain} (${where})`;
        const env = childEnvironment(process.env, secrets);
        const started = Date.now();
        if (host === "pwsh") log(`${label}: warning: ${PWSH_HOST_WARNING}`);
        log(`${label}: starting${script.rotateServerKey ? " with -RotateServerKey" : ""}${script.force ? " -Force" : ""}`);

        let outcome: ProcessOutcome;
        try {
            outcome = shell.type === "ssh"
                ? await withSshFiles(shell, (files) => runProcess({
                    command: ssh, args: sshArgs(shell, files, remoteCommandLine(pwsh, PWSH_ARGS)), stdin, env, timeoutMs, label,
                    stoppedOnTimeout: `the ssh client was stopped, and the script ends pwsh on the host by itself within ${SELF_STOP_MARGIN_MS / 1000} s`,
                }))
                : await runProcess({ command: pwsh, args: PWSH_ARGS, stdin, env, timeoutMs, label });
        } catch (e) {
            log(`${label}: ${(e as Error).message}`);
            throw e;
        }
        // pwsh's other output (warnings, the module's chatter) is worth seeing; the result line is not
        for (const line of outcome.stdout.split(/\r?\n/)) if (line.trim() && !line.startsWith(RESULT_MARKER_PREFIX)) log(`${label}: ${line}`);
        for (const line of outcome.stderr.split(/\r?\n/)) if (line.trim()) log(`${label}: stderr: ${line}`);
        log(`${label}: exit status ${outcome.exitCode ?? outcome.signal} after ${Date.now() - started} ms`);

        const result = readScriptResult(outcome.stdout, script.nonce);
        if (!result) {
            if (shell.type === "ssh") {
                const sshErr = sshFailure(outcome.exitCode, scrub(plainText(outcome.stderr)), `${shell.user}@${shell.host}:${shell.port ?? 22}`);
                if (sshErr) throw sshErr;
            }
            if (outcome.exitCode === 0) {
                const start = scrub(plainText(outcome.stdout)).trim().replace(/\s+/g, " ").slice(0, 200);
                throw new ProviderError("PublisherOutputInvalid",
                    `${label}: PowerShell exited normally but printed no result line${start ? `; its output began: ${start}` : ""}`, { resource: label });
            }
            throw mapShellFailure({ ...outcome, stderr: plainText(outcome.stderr) }, { ...ctx, where });
        }
        if (!result.ok) throw mapModuleError(result.error, ctx);
        return result.server;
    }

    return {
        async set(req: SetServerRequest): Promise<KerberosServerTable> {
            return toServerTable(await run("set", req), req.domain);
        },
        async get(req: PublisherRequest): Promise<KerberosServerTable> {
            return toServerTable(await run("get", req), req.domain);
        },
        async remove(req: PublisherRequest): Promise<void> {
            await run("remove", req);
        },
    };
}
