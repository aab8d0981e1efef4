// Running pwsh on a Windows host over OpenSSH. The private key goes to a mode-600 file in a fresh
// mode-700 temp directory for the life of one run (ssh reads keys only from files; an agent would
// need its own socket and lifetime), removed in `finally`. The host key is always checked: with
// BatchMode and StrictHostKeyChecking=yes an unknown host fails instead of being trusted on first
// use. A host key given as an input (publisher.shell.hostKey) goes to a known_hosts file in the same
// temp directory, so a fresh runner with an empty ~/.ssh can still verify the host.
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
    /** the host's public key(s), see parseHostKeys; default: ssh's own known_hosts (~/.ssh/known_hosts) */
    hostKey?: string;
}

/** The key types OpenSSH writes to known_hosts (sshkey.c's keytypes table, public-key names). */
const HOST_KEY_TYPES = new Set([
    "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
]);

export interface HostKey { type: string; base64: string }

/**
 * publisher.shell.hostKey -> its keys. Each non-empty, non-# line is a known_hosts line
 * ("<hosts> <type> <base64> [comment]", as ssh-keyscan prints it) or a bare public key
 * ("<type> <base64> [comment]", as in C:\ProgramData\ssh\ssh_host_ed25519_key.pub). The host
 * names of a known_hosts line are dropped: the key is bound to publisher.shell.host. Markers
 * (@cert-authority, @revoked) are refused. The base64 must decode to a key blob that names the
 * same type (RFC 4253 §6.6: the blob starts with the type as an SSH string). Throws a plain Error
 * saying what is wrong; callers name the input.
 */
export function parseHostKeys(text: string): HostKey[] {
    const keys: HostKey[] = [];
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (!line || line.startsWith("#")) continue;
        if (line.startsWith("@")) throw new Error("markers (@cert-authority, @revoked) are not supported: give the host's own key");
        const words = line.split(/[ \t]+/);
        const at = HOST_KEY_TYPES.has(words[0]) ? 0 : HOST_KEY_TYPES.has(words[1]) ? 1 : -1;
        if (at < 0) throw new Error(`a line is neither "<type> <base64>" nor "<hosts> <type> <base64>" with a type ssh knows (${[...HOST_KEY_TYPES].join(", ")})`);
        const [type, base64] = [words[at], words[at + 1] ?? ""];
        if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new Error(`the ${type} key is not base64`);
        const blob = Buffer.from(base64, "base64");
        const nameLength = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
        if (nameLength !== type.length || blob.subarray(4, 4 + nameLength).toString("latin1") !== type) {
            throw new Error(`the ${type} key's data is not a ${type} public key`);
        }
        keys.push({ type, base64 });
    }
    if (keys.length === 0) throw new Error("it holds no key");
    return keys;
}

/** The known_hosts text for target: its keys under the name ssh looks up ("[host]:port" off port 22). */
export function knownHostsText(t: Pick<SshTarget, "host" | "port">, keys: readonly HostKey[]): string {
    const port = t.port ?? 22;
    const name = port === 22 ? t.host : `[${t.host}]:${port}`;
    return keys.map((k) => `${name} ${k.type} ${k.base64}\n`).join("");
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
    if (t.hostKey !== undefined) {
        try {
            if (typeof t.hostKey !== "string") throw new Error("it is not a string");
            parseHostKeys(t.hostKey);
        } catch (e) {
            throw invalid("publisher.shell.hostKey", `publisher.shell.hostKey: ${(e as Error).message}`);
        }
    }
    if (typeof t.privateKeyPem !== "string" || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(t.privateKeyPem)) {
        throw invalid("publisher.shell.privateKey", "publisher.shell.privateKey must resolve to a PEM or OpenSSH private key");
    }
}

export interface SshFiles {
    keyPath: string;
    /** set when the target has a hostKey */
    knownHostsPath?: string;
}

/**
 * Runs fn with the private key (and the host key, when given) in private temp files; the files
 * and their directory are gone afterwards.
 */
export async function withSshFiles<T>(t: SshTarget, fn: (files: SshFiles) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pek-ssh-"));
    try {
        fs.chmodSync(dir, 0o700);
        const keyPath = path.join(dir, "id");
        // ssh refuses a key file without a final newline ("invalid format")
        const pem = t.privateKeyPem;
        fs.writeFileSync(keyPath, pem.endsWith("\n") ? pem : `${pem}\n`, { mode: 0o600, flag: "wx" });
        let knownHostsPath: string | undefined;
        if (t.hostKey !== undefined) {
            knownHostsPath = path.join(dir, "known_hosts");
            fs.writeFileSync(knownHostsPath, knownHostsText(t, parseHostKeys(t.hostKey)), { mode: 0o600, flag: "wx" });
        }
        return await fn({ keyPath, knownHostsPath });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * The remote command as one string for the remote shell (cmd.exe by default on Windows OpenSSH):
 * words joined by spaces, a command path with spaces in double quotes.
 */
export function remoteCommandLine(command: string, args: readonly string[]): string {
    // an allow-list: the string is interpreted by a shell we do not control (cmd.exe or sh). The
    // command is powershell.exe or pwsh (publisher.host), or a test's stand-in, never user text.
    if (!/^[A-Za-z0-9_.:\\/ +-]{1,260}$/.test(command) || command.trim() !== command) {
        throw new ProviderError("PublisherConfigInvalid", "the PowerShell command for ssh must be a plain path: letters, digits, spaces and _ . : \\ / + -");
    }
    const cmd = /\s/.test(command) ? `"${command}"` : command;
    return [cmd, ...args].join(" ");
}

/** ssh's argv: no secret in it, only the key file's path. */
export function sshArgs(t: SshTarget, files: SshFiles, remoteCommand: string): string[] {
    const args = [
        "-T", // no terminal: stdin is data, and no echo of it
        "-i", files.keyPath,
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
    // only this file: a stale entry in the runner's own known_hosts must not decide
    if (files.knownHostsPath) args.push("-o", `UserKnownHostsFile=${files.knownHostsPath}`, "-o", "GlobalKnownHostsFile=none");
    args.push("--", t.host, remoteCommand);
    return args;
}

/** ssh exits 255 for its own failures; its stderr says which. Undefined when it is not ssh's. */
export function sshFailure(exitCode: number | null, stderr: string, target: string): ProviderError | undefined {
    if (exitCode !== 255) return undefined;
    const text = stderr.trim().split(/\r?\n/).slice(-3).join(" ").slice(0, 400);
    // foreign text: ssh's stderr
    if (/host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|no .*host key is known/i.test(stderr)) {
        return new ProviderError("PublisherSshHostKeyRejected",
            `ssh to ${target}: the host key is unknown or has changed (${text}). Set publisher.shell.hostKey to the Windows host's public key (C:\\ProgramData\\ssh\\ssh_host_ed25519_key.pub on the host, or ssh-keyscan output checked against it)`);
    }
    // foreign text: ssh's stderr
    if (/permission denied|too many authentication failures|invalid format|load key/i.test(stderr)) {
        return new ProviderError("PublisherSshAuthFailed",
            `ssh to ${target}: the key was refused (${text}). Put the public key in the account's authorized_keys (for an administrator on Windows: C:\\ProgramData\\ssh\\administrators_authorized_keys)`);
    }
    // foreign text: ssh's stderr
    if (/connection refused|timed out|no route to host|could not resolve|name or service not known|connection reset|closed by remote host/i.test(stderr)) {
        return new ProviderError("PublisherSshUnreachable", `ssh to ${target}: ${text || "could not connect"}`, { retryable: true });
    }
    return new ProviderError("PublisherSshFailed", `ssh to ${target} failed: ${text || "exit status 255"}`);
}
