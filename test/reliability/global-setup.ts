// Starts the reliability suite's own lab (support/lab.ts) once for all its test files: a second lab
// in a directory of its own, so the shared lab (127.0.0.2-4, port 47443) other layers use is never
// stopped, reset or faulted by this suite. RELIABILITY_LAB_DIR may name an existing lab directory
// (a developer re-running the suite); otherwise a fresh one is made and removed by the teardown.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO, reliabilityLabEnv } from "./support/lab";

const run = promisify(execFile);

export default async function globalSetup(): Promise<void> {
    const given = process.env.RELIABILITY_LAB_DIR;
    const dir = given ?? fs.mkdtempSync(path.join(os.tmpdir(), "entra-kerberos-reliability-lab-"));
    if (!given) process.env.RELIABILITY_LAB_OWNED = "1"; // the teardown removes only a directory it made
    process.env.RELIABILITY_LAB_DIR = dir;               // inherited by the test workers
    const t0 = Date.now();
    await run(process.execPath, [path.join(REPO, "bin/lab/cli.js"), "up"], { cwd: REPO, env: { ...process.env, ...reliabilityLabEnv(dir) }, timeout: 300_000 })
        .catch(async (e) => {
            // leave nothing half-started behind: stop what did start, remove a directory we made
            await run(process.execPath, [path.join(REPO, "bin/lab/cli.js"), "down"], { cwd: REPO, env: { ...process.env, ...reliabilityLabEnv(dir) } }).catch(() => undefined);
            if (!given) fs.rmSync(dir, { recursive: true, force: true });
            throw new Error(`the reliability lab did not come up in ${dir}: ${e.stderr ?? e.message}`);
        });
    process.stderr.write(`\nreliability lab up in ${dir} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
}
