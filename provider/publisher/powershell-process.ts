// Running one child (pwsh, or ssh running pwsh remotely) with a given stdin and a hard time limit.
// Dynamic providers ignore customTimeouts, so the limit is ours: on expiry the whole process group
// is killed (pwsh and anything it started) and the caller gets a retryable PublisherTimeout.
import { spawn, spawnSync } from "node:child_process";
import { ProviderError } from "../core/errors";

export interface ProcessRun {
    command: string;
    args: readonly string[];
    /** written in full, then stdin is closed */
    stdin: string;
    env: NodeJS.ProcessEnv;
    timeoutMs: number;
    /** what to call the run in messages, e.g. "Get-AzureADKerberosServer contoso.com (local pwsh)" */
    label: string;
    /** stdout + stderr beyond this is a failure (a runaway child must not fill memory); default 8 MiB */
    maxOutputBytes?: number;
    /** what a timeout stops, for its message; default "the process and its children were stopped" */
    stoppedOnTimeout?: string;
}

export interface ProcessOutcome {
    stdout: string;
    stderr: string;
    exitCode: number | null;
    signal: NodeJS.Signals | null;
    pid: number;
}

const DEFAULT_MAX_OUTPUT = 8 * 1024 * 1024;

// Children still running when this process exits (the engine kills the provider on cancel) are
// killed with it; detached process groups would otherwise outlive us.
const running = new Set<number>();
let exitHookInstalled = false;
function track(pid: number): void {
    running.add(pid);
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on("exit", () => { for (const p of running) killTree(p); });
    }
}

/** Kills the child and everything in its process group (POSIX) or process tree (Windows). */
export function killTree(pid: number): void {
    try {
        if (process.platform === "win32") {
            spawnSync("taskkill", ["/pid", String(pid), "/T", "/F"], { stdio: "ignore", windowsHide: true });
        } else {
            process.kill(-pid, "SIGKILL");
        }
    } catch {
        // already gone
    }
}

export function runProcess(run: ProcessRun): Promise<ProcessOutcome> {
    const max = run.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    return new Promise((resolve, reject) => {
        let child;
        try {
            child = spawn(run.command, [...run.args], {
                env: run.env,
                stdio: ["pipe", "pipe", "pipe"],
                // its own process group, so a timeout can kill pwsh and its children in one signal
                detached: process.platform !== "win32",
                windowsHide: true,
            });
        } catch (e) {
            reject(spawnFailure(run, e));
            return;
        }
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let size = 0;
        let settled = false;
        let failure: ProviderError | undefined;

        const stop = (why: ProviderError) => {
            if (failure) return;
            failure = why;
            if (child.pid !== undefined) killTree(child.pid);
            // a grandchild may hold the pipes open after the kill; do not wait for it
            child.stdout?.destroy();
            child.stderr?.destroy();
        };
        const timer = setTimeout(() => stop(new ProviderError("PublisherTimeout",
            `${run.label} did not finish within ${Math.round(run.timeoutMs / 1000)} s; ${run.stoppedOnTimeout ?? "the process and its children were stopped"}. ` +
            "If the domain controllers or Entra are slow to answer, raise the resource's timeouts (a PowerShell run gets the operation's limit, at most 120 s)", { retryable: true })), run.timeoutMs);
        const collect = (into: Buffer[]) => (chunk: Buffer) => {
            size += chunk.length;
            if (size > max) {
                stop(new ProviderError("PublisherOutputInvalid", `${run.label} wrote more than ${max} bytes of output; it was stopped`));
                return;
            }
            into.push(chunk);
        };
        child.stdout.on("data", collect(out));
        child.stderr.on("data", collect(err));
        if (child.pid !== undefined) track(child.pid);

        const finish = (code: number | null, signal: NodeJS.Signals | null) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (child.pid !== undefined) running.delete(child.pid);
            if (failure) {
                reject(failure);
                return;
            }
            resolve({ stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), exitCode: code, signal, pid: child.pid ?? -1 });
        };
        child.on("error", (e) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (child.pid !== undefined) running.delete(child.pid);
            reject(failure ?? spawnFailure(run, e));
        });
        // "close" waits for the pipes too, so all output is in; after a kill, "exit" is enough
        child.on("close", finish);
        child.on("exit", (code, signal) => { if (failure) finish(code, signal); });

        // EPIPE when the child exits without reading everything: its exit status tells the story
        child.stdin.on("error", () => undefined);
        child.stdin.end(run.stdin);
    });
}

function spawnFailure(run: ProcessRun, e: unknown): ProviderError {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === "ENOENT") {
        return new ProviderError("PublisherShellNotFound",
            `${run.label}: "${run.command}" was not found on this machine. ` +
            (run.command.endsWith("ssh") ? "Install the OpenSSH client" : 'publisher.host "windowsPowerShell" runs powershell.exe and "pwsh" runs PowerShell 7: install the one chosen, or choose the other'),
            { cause: e });
    }
    return new ProviderError("PublisherShellFailed", `${run.label}: could not start "${run.command}" (${code ?? (e as Error)?.message})`, { cause: e });
}
