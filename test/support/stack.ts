// A real Pulumi stack for e2e tests: the Automation API over the CLI built from source, a local
// file:// backend and a passphrase secrets provider, all in a temporary directory per stack.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { LocalWorkspace, PulumiCommand, Stack, ConfigMap } from "@pulumi/pulumi/automation";
import { pulumiBinDir, pulumiEnv } from "./pulumi-cli";

export interface TestStack {
    stack: Stack;
    dir: string;
    /** Everything printed by the engine during this stack's operations (for secret scans). */
    output: string[];
    /** Reads the stack's state as `pulumi stack export --show-secrets` would. */
    exportState(): Promise<any>;
    /**
     * `pulumi up` as a pipeline runs it, in a process group of its own, so a test can kill the CLI
     * and everything it started (language host, provider hosts) at once, as a cancelled CI job is.
     */
    spawnUp(): ChildProcess;
    dispose(): Promise<void>;
}

export async function createTestStack(opts: {
    programDir: string;               // a Pulumi project directory inside the repo (so node_modules resolve)
    stackName?: string;
    config?: ConfigMap;
    env?: Record<string, string>;     // e.g. SecretRef env vars for the provider host
}): Promise<TestStack> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-kerberos-e2e-"));
    const backend = path.join(dir, "state");
    fs.mkdirSync(backend);
    const output: string[] = [];
    const pulumiCommand = await PulumiCommand.get({ root: path.dirname(pulumiBinDir()), skipVersionCheck: true });
    const envVars = pulumiEnv({
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: randomBytes(12).toString("hex"),
        ...opts.env,
    });
    const pulumiHome = path.join(dir, "home");
    const ws = await LocalWorkspace.create({ workDir: opts.programDir, pulumiHome, pulumiCommand, envVars });
    // Stack config files would land in the program directory; keep them in the temp dir instead.
    const stackName = opts.stackName ?? `t${randomBytes(4).toString("hex")}`;
    const stack = await Stack.create(stackName, ws);
    if (opts.config) await stack.setAllConfig(opts.config);
    return {
        stack, dir, output,
        exportState: async () => (await stack.exportStack()).deployment,
        spawnUp: () => spawn(path.join(pulumiBinDir(), "pulumi"), ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stackName], {
            cwd: opts.programDir, detached: true, stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, ...envVars, PULUMI_HOME: pulumiHome },
        }),
        dispose: async () => {
            await ws.removeStack(stackName, { force: true }).catch(() => undefined);
            fs.rmSync(path.join(opts.programDir, `Pulumi.${stackName}.yaml`), { force: true });
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** onOutput callback that records engine output for later assertions. */
export function recordTo(lines: string[]): (s: string) => void {
    return (s: string) => { lines.push(s); };
}
