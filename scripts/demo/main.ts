// `npm run demo`: the whole product on this machine, against the local lab, in one command.
//   1. the Pulumi CLI (built from source and cached on first use)      scripts/install-pulumi-cli.sh
//   2. the lab (Samba AD forests + Graph emulator on loopback)          npm run lab -- up
//   3. pulumi up --stack lab: the root program rolls out every lab forest, wave by wave, then the
//      tenant side (lab/stack-config.ts): the Intune cloud trust profile, the host-to-realm mapping,
//      the storage app's exclusion from "Require MFA for all users" (a policy another team owns) and
//      the FIDO2 security key method for the pilot users
//   4. the status tables (stack outputs statusTable and tenantTable)
//   5. drift, behind the product's back: krbtgt_AzureAD of the first forest re-keyed on its DC, and
//      in "the portal" the profile's cloud trust setting turned off, the storage app's exclusion
//      removed and the pilot group taken out of the FIDO2 method
//   6. pulumi preview --refresh --diff names each of the four
//   7. pulumi up --refresh repairs them; the status tables again; the other team's exclusions and
//      FIDO2 target are still there
//   8. pulumi preview --refresh --expect-no-changes passes
//   9. pulumi destroy (skip with --keep: the lab domains are shared with the tests, so by default the
//      demo leaves them as it found them); the other team's entries survive it too
// It prints no secret: the lab's secrets travel only in the CLI's environment and every line the
// children print is redacted. Exit status 0 only when every step did what it should.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { readLab } from "../../lab/cli";
import { defaultLabDir, repoRoot } from "../../lab/layout";
import { SEED } from "../../lab/emulator/seed";
import { rotateKrbtgtOutOfBand } from "../../lab/out-of-band";
import { LabPortal } from "../../lab/portal-edits";
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
    const statusTables = async () => {
        await must(stack, "reading the status table", ["stack", "output", "statusTable"]);
        await must(stack, "reading the tenant table", ["stack", "output", "tenantTable"]);
    };
    await step("status tables (a row per domain, a row per tenant resource)", statusTables);

    const portal = new LabPortal(lab);
    try {
        await step(`drift: ${driftForest.domain}'s key re-keyed on its DC; in "the portal" cloud trust turned off, the storage app's MFA exclusion and the FIDO2 pilot group removed`, async () => {
            const version = await rotateKrbtgtOutOfBand(lab, driftForest);
            print(`replaced the unicodePwd of CN=krbtgt_AzureAD,CN=Users,${driftForest.baseDn} over LDAPS; on-prem key version is now ${version}\n`);
            const profileId = (await must(stack, "reading the profile id", ["stack", "output", "cloudTrustPolicyId"], { quiet: true })).trim();
            print(`set ${await portal.turnOffCloudTrust(profileId)} to false in profile ${profileId}\n`);
            await portal.removeExcludedApplication(SEED.policies.requireMfa, SEED.storageAppId);
            print(`removed the storage app ${SEED.storageAppId} from the exclusions of "Require MFA for all users"\n`);
            await portal.removeFido2Target(SEED.groups.whfbPilotUsers);
            print(`removed "WHfB Pilot Users" from the FIDO2 security key method's targets\n`);
        });
        await step("pulumi preview --refresh --diff", async () => {
            const out = await must(stack, "the drift preview", ["preview", "--refresh", "--diff", "--suppress-progress"]);
            for (const [kind, named] of namedDrift(out)) {
                if (!named) throw new Error(`the preview did not name the ${kind} drift`);
                print(`\n>> the preview names the ${kind} drift: ${named.replace(/\s+/g, " ")}`);
            }
            print("\n");
        });
        await step("pulumi up --refresh (repair)", async () => {
            await must(stack, "the repair", ["up", "--refresh", "--yes", "--skip-preview", "--continue-on-error", "--suppress-outputs", "--suppress-progress"]);
            await statusTables();
            await foreignEntriesSurvive(portal, "the repair");
        });
        await step("pulumi preview --refresh --expect-no-changes", async () => {
            await must(stack, "the drift check", ["preview", "--refresh", "--expect-no-changes", "--suppress-progress"]);
            print("\n>> no drift left\n");
        });
        if (!keep) {
            await step("pulumi destroy (the lab's domains and tenant go back to how the demo found them; --keep skips this)", async () => {
                await must(stack, "destroy", ["destroy", "--yes", "--skip-preview"], { quiet: true });
                print("destroyed\n");
                await foreignEntriesSurvive(portal, "the destroy");
            });
        }
    } finally {
        await portal.close();
    }
    print("\n== demo timings\n");
    for (const [title, s] of timings) print(`${s.toFixed(1).padStart(7)} s  ${title}\n`);
    print(`${((Date.now() - t0) / 1000).toFixed(1).padStart(7)} s  total\n`);
    print("demo passed\n");
}

/** What the preview printed for each kind's drift, or undefined where it named none. */
function namedDrift(preview: string): [string, string | undefined][] {
    const first = (re: RegExp) => re.exec(preview)?.[0];
    return [
        ["Kerberos key", first(/key version on-prem \d+ ≠ cloud \d+/)],
        ["cloud trust profile", first(/policies_usecloudtrustforonpremauth = false"? => "?\S*policies_usecloudtrustforonpremauth = true/)],
        ["Conditional Access exclusion", first(new RegExp(`excludeApplications[\\s\\S]{0,400}?"${SEED.storageAppId}"`))],
        ["FIDO2 method", first(/includeGroups[\s\S]{0,400}?"WHfB Pilot Users"/)],
    ];
}

/** The other team's entries: the break-glass exclusions on the MFA policy and the helpdesk's FIDO2 target. */
async function foreignEntriesSurvive(portal: LabPortal, after: string): Promise<void> {
    const users = (await portal.conditionalAccessPolicy(SEED.policies.requireMfa)).conditions.users;
    const targets = (await portal.fido2()).includeTargets.map((t: { id: string }) => t.id);
    const kept = users.excludeUsers.includes(SEED.users.breakGlass) && users.excludeGroups.includes(SEED.groups.breakGlassAdmins) && targets.includes(SEED.groups.helpdeskA);
    if (!kept) throw new Error(`another team's entries were lost in ${after}: MFA policy excludes users ${JSON.stringify(users.excludeUsers)}, groups ${JSON.stringify(users.excludeGroups)}; FIDO2 targets ${JSON.stringify(targets)}`);
    print(`>> after ${after}, the other team's entries are all there: "Break Glass 1" and "Break Glass Admins" excluded from "Require MFA for all users", "Helpdesk Operators" (EMEA) among the FIDO2 targets\n`);
}

main().catch((e) => {
    process.stderr.write(`\ndemo FAILED: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
});
