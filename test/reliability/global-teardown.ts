// Stops every process the reliability lab started (the lab CLI's `down`, by PID) and removes the
// lab directory when global-setup.ts made it. RELIABILITY_KEEP_LAB=1 leaves it running.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO, reliabilityLabEnv } from "./support/lab";

const run = promisify(execFile);

export default async function globalTeardown(): Promise<void> {
    const dir = process.env.RELIABILITY_LAB_DIR;
    if (!dir || process.env.RELIABILITY_KEEP_LAB === "1") return;
    await run(process.execPath, [path.join(REPO, "bin/lab/cli.js"), "down"], { cwd: REPO, env: { ...process.env, ...reliabilityLabEnv(dir) }, timeout: 120_000 })
        .catch((e) => process.stderr.write(`reliability lab down failed: ${e.stderr ?? e.message}\n`));
    if (process.env.RELIABILITY_LAB_OWNED === "1") fs.rmSync(dir, { recursive: true, force: true });
}
