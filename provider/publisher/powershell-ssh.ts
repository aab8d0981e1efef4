// Running pwsh on a Windows host over OpenSSH. The private key goes to a mode-600 file in a fresh
// mode-700 temp directory for the life of one run (ssh reads keys only from files; an agent would
// need its own socket and lifetime), removed in `finally`. The host key is always checked: with
// BatchMode an unknown host fails instead of being trusted on first use.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ProviderError } from "../core/errors";
import { isAccountName, isHost } from "../core/grammar";

export interface SshTarget {
    host: string;
    user: string;
    privateKeyPem: string;
    port?: number;
    /** a known_hosts file holding the host's key; default: ssh's own (~/.ssh/known_hosts) */
    knownHostsFile?: string;
}

function invalid(input: string, message: string): ProviderError {
    return new ProviderError("PublisherConfigInvalid", message, { input });
}

/** Refuses values ssh would read as options or split into words. */
export function validateSshTarget(t: SshTarget): void {
    if (typeof t.host !== "string" || !isHost(t.host)) {
        throw invalid("publisher.shell.host", "publisher.shell.host must be a host name or IP address");
    }
    // Windows accounts may be "user", "DOMAIN\\user" or "user@domain"; -l takes them all
    if (typeof t.user !== "string" || !isAccountName(t.user)) {
        throw invalid("publisher.shell.user", "publisher.shell.user must be an account name (letters, digits, . _ - @ \\)");
    }
    if (t.port !== undefined && !(Number.isInteger(t.port) && t.port >= 1 && t.port <= 65535)) {
        throw invalid("publisher.shell.port", "publisher.shell.port must be an integer from 1 to 65535");
    }
    if (t.knownHostsFile !== undefined && (typeof t.knownHostsFile !== "string" || !t.knownHostsFile || /\s/.test(t.knownHostsFile))) {
        throw invalid("publisher.shell.knownHostsFile", "publisher.shell.knownHostsFile must be a path without whitespace");
    }
    if (typeof t.privateKeyPem !== "string" || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(t.privateKeyPem)) {
        throw invalid("publisher.shell.privateKey", "publisher.shell.privateKey must resolve to a PEM or OpenSSH private key");
    }
}

/** Runs fn with the key in a private temp file; the file and its directory are gone afterwards. */
export async function withPrivateKeyFile<T>(pem: string, fn: (keyPath: string) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pek-ssh-"));
    try {
        fs.chmodSync(dir, 0o700);
        const keyPath = path.join(dir, "id");
        // ssh refuses a key file without a final newline ("invalid format")
        fs.writeFileSync(keyPath, pem.endsWith("\n") ? pem : `${pem}\n`, { mode: 0o600, flag: "wx" });
        return await fn(keyPath);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * The remote command as one string for the remote shell (cmd.exe by default on Windows OpenSSH):
 * words joined by spaces, a command path with spaces in double quotes.
 */
export function remoteCommandLine(pwshCommand: string, args: readonly string[]): string {
    // an allow-list: the string is interpreted by a shell we do not control (cmd.exe or sh)
    if (!/^[A-Za-z0-9_.:\\/ +-]{1,260}$/.test(pwshCommand) || pwshCommand.trim() !== pwshCommand) {
        throw invalid("publisher.pwshCommand", "the pwsh command for ssh must be a plain path: letters, digits, spaces and _ . : \\ / + -");
    }
    const cmd = /\s/.test(pwshCommand) ? `"${pwshCommand}"` : pwshCommand;
    return [cmd, ...args].join(" ");
}

/** ssh's argv: no secret in it, only the key file's path. */
export function sshArgs(t: SshTarget, keyPath: string, remoteCommand: string): string[] {
    const args = [
        "-T", // no terminal: stdin is data, and no echo of it
        "-i", keyPath,
        "-p", String(t.port ?? 22),
        "-l", t.user,
        "-o", "BatchMode=yes",
        "-o", "IdentitiesOnly=yes",
        "-o", "StrictHostKeyChecking=yes",
        "-o", "ConnectTimeout=20",
        "-o", "ServerAliveInterval=15",
        "-o", "ServerAliveCountMax=4",
        "-o", "LogLevel=ERROR",
    ];
    if (t.knownHostsFile) args.push("-o", `UserKnownHostsFile=${t.knownHostsFile}`);
    args.push("--", t.host, remoteCommand);
    return args;
}

/** ssh exits 255 for its own failures; its stderr says which. Undefined when it is not ssh's. */
export function sshFailure(exitCode: number | null, stderr: string, target: string): ProviderError | undefined {
    if (exitCode !== 255) return undefined;
    const text = stderr.trim().split(/\r?\n/).slice(-3).join(" ").slice(0, 400);
    if (/host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|no .*host key is known/i.test(stderr)) {
        return new ProviderError("PublisherSshHostKeyRejected",
            `ssh to ${target}: the host key is unknown or has changed (${text}). Add the Windows host's key to the known_hosts file given as publisher.shell.knownHostsFile (ssh-keyscan, checked against the host)`);
    }
    if (/permission denied|too many authentication failures|invalid format|load key/i.test(stderr)) {
        return new ProviderError("PublisherSshAuthFailed",
            `ssh to ${target}: the key was refused (${text}). Put the public key in the account's authorized_keys (for an administrator on Windows: C:\\ProgramData\\ssh\\administrators_authorized_keys)`);
    }
    if (/connection refused|timed out|no route to host|could not resolve|name or service not known|connection reset|closed by remote host/i.test(stderr)) {
        return new ProviderError("PublisherSshUnreachable", `ssh to ${target}: ${text || "could not connect"}`, { retryable: true });
    }
    return new ProviderError("PublisherSshFailed", `ssh to ${target} failed: ${text || "exit status 255"}`);
}
