// `npm run demo`: the whole product on this machine, against the local lab, in one command.
//   1. the Pulumi CLI (built from source and cached on first use)      scripts/install-pulumi-cli.sh
//   2. the lab (Samba AD forests + Graph emulator on loopback)          npm run lab -- up
//   3. pulumi up --stack lab: the root program rolls out every lab forest, wave by wave
//   4. the status table (stack output statusTable)
//   5. drift: krbtgt_AzureAD of the first forest re-keyed on its DC behind the product's back
//   6. pulumi preview --refresh --diff names the drift
//   7. pulumi up --refresh repairs it; the status table again
//   8. pulumi preview --refresh --expect-no-changes passes
//   9. pulumi destroy (skip with --keep: the lab domains are shared with the tests, so by default the
//      demo leaves them as it found them)
// It prints no secret: the lab's secrets travel only in the CLI's environment and every line the
// children print is redacted. Exit status 0 only when every step did what it should.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { readLab } from "../../lab/cli";
import { defaultLabDir, repoRoot } from "../../lab/layout";
import { rotateKrbtgtOutOfBand } from "../../lab/out-of-band";
import { redactor } from "./redact";
import { demoStack, dropStaleSalt, type DemoStack } from "./pulumi-stack";

const repo = repoRoot();
const keep = process.argv.includes("--keep");
const print = (s: string) => process.stdout.write(s);
const timings: [string, number][] = [];
let stepNo = 0;

async function step<T>(title: string, fn: () => Promise<T> | T): Promise<T> {
    stepNo += 1;
    print(`\n== ${stepNo}. ${title}\n`);
    const t0 = Date.now();
    try {
        return await fn();
    } finally {
        timings.push([title, (Date.now() - t0) / 1000]);
    }
}

function sh(cmd: string, args: string[], capture = false): string {
    return execFileSync(cmd, args, { cwd: repo, encoding: "utf8", stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"] }) ?? "";
}

/** `lab env` prints `export NAME='value'` lines; parsed here, never echoed. */
function parseLabEnv(text: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const m of text.matchAll(/^export ([A-Za-z_][A-Za-z0-9_]*)='([^']*)'$/gm)) env[m[1]] = m[2];
    return env;
}

async function must(stack: DemoStack, what: string, args: string[], opts: { quiet?: boolean } = {}): Promise<string> {
    const r = await stack.pulumi(args, opts);
    if (r.code !== 0) {
        if (opts.quiet) print(r.output); // what went wrong, when it was not shown as it happened
        throw new Error(`${what} failed (pulumi ${args.join(" ")} exited ${r.code})`);
    }
    return r.output;
}

async function main(): Promise<void> {
    const t0 = Date.now();
    const pulumiBin = await step("Pulumi CLI", () => sh("bash", [path.join(repo, "scripts/install-pulumi-cli.sh")], true).trim().split("\n").pop()!);
    await step("lab up", () => { sh(process.execPath, [path.join(repo, "bin/lab/cli.js"), "up"]); });
    const labDir = defaultLabDir();
    const lab = readLab(labDir);
    if (!lab) throw new Error(`no lab in ${labDir} after lab up`);
    const secretsEnv = parseLabEnv(sh(process.execPath, [path.join(repo, "bin/lab/cli.js"), "env"], true));
    const stack = demoStack({ repo, labDir, pulumiBin, secretsEnv, redact: redactor(Object.values(secretsEnv)), print });
    const driftForest = lab.forests[0];

    await step("pulumi up --stack lab (every lab forest, wave by wave)", async () => {
        const exists = (await stack.pulumi(["stack", "ls", "--json"], { quiet: true })).output.includes('"name": "lab"');
        if (exists) {
            // a rollout left by `--keep` or an interrupted run: start from nothing, so the repair below
            // is the first rotation (the module allows one per 24 hours)
            print("a previous demo rollout exists: destroying it first\n");
            await must(stack, "destroying the previous rollout", ["destroy", "--yes", "--skip-preview", "--continue-on-error"], { quiet: true });
        } else {
            dropStaleSalt(path.join(repo, "Pulumi.lab.yaml"));
            await must(stack, "creating the lab stack", ["stack", "init"], { quiet: true });
        }
        await must(stack, "the rollout", ["up", "--yes", "--skip-preview", "--continue-on-error", "--suppress-outputs", "--suppress-progress"]);
    });
    await step("status table", async () => { await must(stack, "reading the status table", ["stack", "output", "statusTable"]); });

    await step(`drift: krbtgt_AzureAD of ${driftForest.domain} re-keyed on its DC, not published`, async () => {
        const version = await rotateKrbtgtOutOfBand(lab, driftForest);
        print(`replaced the unicodePwd of CN=krbtgt_AzureAD,CN=Users,${driftForest.baseDn} over LDAPS; on-prem key version is now ${version}\n`);
    });
    await step("pulumi preview --refresh --diff", async () => {
        const out = await must(stack, "the drift preview", ["preview", "--refresh", "--diff", "--suppress-progress"]);
        const named = /key version on-prem \d+ ≠ cloud \d+/.exec(out);
        if (!named) throw new Error("the preview did not name the key version drift");
        print(`\n>> the preview names the drift: "${named[0]}"\n`);
    });
    await step("pulumi up --refresh (repair)", async () => {
        await must(stack, "the repair", ["up", "--refresh", "--yes", "--skip-preview", "--continue-on-error", "--suppress-outputs", "--suppress-progress"]);
        await must(stack, "reading the status table", ["stack", "output", "statusTable"]);
    });
    await step("pulumi preview --refresh --expect-no-changes", async () => {
        await must(stack, "the drift check", ["preview", "--refresh", "--expect-no-changes", "--suppress-progress"]);
        print("\n>> no drift left\n");
    });
    if (!keep) {
        await step("pulumi destroy (the lab's domains go back to how the demo found them; --keep skips this)", async () => {
            await must(stack, "destroy", ["destroy", "--yes", "--skip-preview"], { quiet: true });
            print("destroyed\n");
        });
    }

    print("\n== demo timings\n");
    for (const [title, s] of timings) print(`${s.toFixed(1).padStart(7)} s  ${title}\n`);
    print(`${((Date.now() - t0) / 1000).toFixed(1).padStart(7)} s  total\n`);
    print("demo passed\n");
}

main().catch((e) => {
    process.stderr.write(`\ndemo FAILED: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
});
