// The demo's `lab` stack of the root program: the Pulumi CLI built by scripts/install-pulumi-cli.sh,
// a local file backend and a generated passphrase kept under the lab directory (.lab/ by default),
// and the lab's secret references exported into the CLI's environment only.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export interface StackRun {
    code: number;
    /** what the command printed (already redacted) */
    output: string;
}

export interface DemoStack {
    /** runs `pulumi <args> --stack lab` in the repository; prints as it goes unless quiet */
    pulumi(args: string[], opts?: { quiet?: boolean }): Promise<StackRun>;
}

export function demoStack(opts: { repo: string; labDir: string; pulumiBin: string; secretsEnv: Record<string, string>; redact: (s: string) => string; print: (s: string) => void }): DemoStack {
    const backend = path.join(opts.labDir, "pulumi-backend");
    fs.mkdirSync(backend, { recursive: true, mode: 0o700 });
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...opts.secretsEnv,
        PATH: `${opts.pulumiBin}:${process.env.PATH}`,
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE_FILE: passphraseFile(opts.labDir),
        PULUMI_HOME: path.join(opts.labDir, "pulumi-home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
        NO_COLOR: "1",
    };
    return {
        pulumi: (args, runOpts = {}) => new Promise((resolve, reject) => {
            const child = spawn("pulumi", [...args, "--stack", "lab", "--color", "never"], { cwd: opts.repo, env, stdio: ["ignore", "pipe", "pipe"] });
            let output = "";
            const take = (chunk: Buffer) => {
                const text = opts.redact(chunk.toString("utf8"));
                output += text;
                if (!runOpts.quiet) opts.print(text);
            };
            child.stdout.on("data", take);
            child.stderr.on("data", take);
            child.on("error", reject);
            child.on("close", (code) => resolve({ code: code ?? 1, output }));
        }),
    };
}

/** The passphrase of the demo's stack: generated once, mode 600, never printed. */
export function passphraseFile(labDir: string): string {
    const file = path.join(labDir, "pulumi-passphrase");
    if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(24).toString("base64url"), { mode: 0o600 });
    return file;
}

/**
 * A Pulumi.lab.yaml salt belongs to the backend that created the stack. When the demo's backend has
 * no `lab` stack (first run, or .lab was removed), a salt left in the file would be checked against
 * the new passphrase and fail, so it goes before the stack is created anew.
 */
export function dropStaleSalt(stackConfigFile: string): void {
    if (!fs.existsSync(stackConfigFile)) return;
    const text = fs.readFileSync(stackConfigFile, "utf8");
    const without = text.replace(/^encryptionsalt:.*\n/m, "");
    if (without !== text) fs.writeFileSync(stackConfigFile, without);
}
