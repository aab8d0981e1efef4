// Finds the real Pulumi CLI built from source by scripts/install-pulumi-cli.sh (cached by version
// outside the repo). Tests never fall back to a fake: no CLI means the e2e layer fails loudly.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../..");

let cached: string | undefined;

/** The directory holding `pulumi`, `pulumi-language-nodejs` and the nodejs provider shim. */
export function pulumiBinDir(): string {
    if (cached) return cached;
    const fromEnv = process.env.PULUMI_CLI_BIN;
    if (fromEnv && fs.existsSync(path.join(fromEnv, "pulumi"))) return (cached = fromEnv);
    const out = execFileSync("bash", [path.join(REPO, "scripts/install-pulumi-cli.sh")], {
        cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"],
    });
    const dir = out.trim().split("\n").pop()!;
    if (!fs.existsSync(path.join(dir, "pulumi"))) throw new Error(`install-pulumi-cli.sh printed ${dir}, which has no pulumi binary`);
    return (cached = dir);
}

/** Environment for running the CLI offline against a local backend. */
export function pulumiEnv(extra: Record<string, string> = {}): Record<string, string> {
    const bin = pulumiBinDir();
    return {
        PATH: `${bin}:${process.env.PATH}`,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
        NO_COLOR: "1",
        ...extra,
    };
}
