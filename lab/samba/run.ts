// Runs a child process to completion and collects its output, with secrets masked before any of
// it can reach a log line or an error message. Async (not execFileSync) so several forests can
// provision in parallel.
import { spawn } from "node:child_process";

export interface RunOptions {
    /** written to the child's stdin, then stdin is closed (how secrets reach a child without argv) */
    input?: string;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    /** strings to replace with *** in everything this module returns or throws */
    secrets?: string[];
    timeoutMs?: number;
}

export interface RunResult { code: number; output: string }

/** Replaces every occurrence of each (non-empty) secret with ***. */
export function redact(text: string, secrets: readonly string[] = []): string {
    let out = text;
    for (const s of secrets) if (s) out = out.split(s).join("***");
    return out;
}

/** Our environment minus anything named like a secret: Samba's processes have no use for the lab's passwords. */
export function envWithoutSecrets(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const kept = Object.entries(process.env).filter(([k]) => !/PASSWORD|SECRET|TOKEN|CREDENTIAL/i.test(k));
    return { ...Object.fromEntries(kept), ...extra };
}

/** The last `lines` lines of a text, for error messages that must stay short. */
export function tail(text: string, lines = 30): string {
    return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** Runs `cmd args`; stdout and stderr are merged (in arrival order) and redacted. Never rejects on exit code. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"] });
        const chunks: Buffer[] = [];
        child.stdout.on("data", (c: Buffer) => chunks.push(c));
        child.stderr.on("data", (c: Buffer) => chunks.push(c));
        const timer = opts.timeoutMs
            ? setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs)
            : undefined;
        child.on("error", (e) => { if (timer) clearTimeout(timer); reject(new Error(`${cmd}: ${e.message}`)); });
        child.on("close", (code, signal) => {
            if (timer) clearTimeout(timer);
            const output = redact(Buffer.concat(chunks).toString("utf8"), opts.secrets);
            resolve({ code: code ?? (signal ? 128 : 1), output });
        });
        child.stdin.on("error", () => { /* child may exit before reading its input; its exit code tells */ });
        child.stdin.end(opts.input ?? "");
    });
}

/** Like run(), but rejects with a short, redacted tail of the output when the exit code is not 0. */
export async function runOrThrow(what: string, cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
    const r = await run(cmd, args, opts);
    if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${tail(r.output)}`);
    return r.output;
}
