// Two `pulumi up` runs at the same moment, against two stacks that touch the same Conditional
// Access policy (each owning its own exclusions, next to one that was there before) and the same
// domain's Kerberos server and allow list, through the real Pulumi CLI on the reliability lab:
//   1. both create at once: every exclusion either stack wrote is on the policy, the server exists
//      exactly once, its lists are the declared ones;
//   2. both change their exclusions at once, and declare different allow lists at once: nothing
//      either wrote is lost (each stack's list entries are claimed in AD under its name, and list
//      writes take the domain's list lock), and both stacks then refresh with no changes;
//   3. both destroy at once: each removes only its own exclusions; the server is gone once.
import { randomBytes } from "node:crypto";
import { SEED } from "../../lab/emulator";
import { readDc, readListClaims, sameDnSet } from "../support/kerberos-lab";
import type { TestStack } from "../support/stack";
import { policyExclusions, seedForeignPolicy } from "./support/ca";
import { declare, exclusionArgs, reliabilityStack, serverArgs, type Declared } from "./support/inputs";
import { cloudRecord, forest, reliabilityLab } from "./support/lab";
import { faultScenario } from "./support/results";

jest.setTimeout(300_000);

const lab = reliabilityLab();
const corp = forest(lab, "corp");
const run = randomBytes(3).toString("hex");
const policy = `rel-concurrent-${run}`;
const BOB = "bob@entrakerberoslab.onmicrosoft.com";
const ALICE = "alice@entrakerberoslab.onmicrosoft.com";
const sorted = (xs: string[] | undefined) => [...(xs ?? [])].sort();
const dn = (cn: string) => `CN=${cn},CN=Users,${corp.baseDn}`;
let policyId = "";
let a: TestStack, b: TestStack;
const output: string[] = [];
const onOutput = (s: string) => { output.push(s); };

const declared = (exclusion: Record<string, unknown>, allowedGroups: string[]): Declared => ({
    servers: [{ name: "corp", args: serverArgs(lab, corp, { allowedGroups }) }],
    exclusions: [{ name: "own", args: exclusionArgs(lab, policy, exclusion) }],
});

/** Both operations at once; each settles on its own (one failing does not stop the other). */
async function atOnce<T>(x: () => Promise<T>, y: () => Promise<T>): Promise<[PromiseSettledResult<T>, PromiseSettledResult<T>]> {
    const [rx, ry] = await Promise.allSettled([x(), y()]);
    return [rx, ry];
}

/** An `up` that failed in the race may be run again; it must then converge (and say why it failed). */
async function settle(t: TestStack, r: PromiseSettledResult<unknown>): Promise<string> {
    if (r.status === "fulfilled") return "both succeeded at once";
    expect(String((r.reason as Error)?.message)).toMatch(/corp\.lab\.test|rel-concurrent|Conditional Access/);
    await t.stack.up({ onOutput });
    return "one failed honestly in the race and converged on its next up";
}

beforeAll(async () => {
    policyId = await seedForeignPolicy(lab, policy);
    a = await reliabilityStack(lab, declared({ excludeGroups: ["Storage Users"] }, ["Domain Users"]));
    b = await reliabilityStack(lab, declared({ excludeGroups: ["WHfB Pilot Users"], excludeUsers: [BOB] }, ["Domain Users"]));
}, 120_000);

afterAll(async () => {
    for (const t of [a, b]) await t?.stack.destroy({ onOutput }).catch(() => undefined);
    for (const t of [a, b]) await t?.dispose();
}, 300_000);

test("both stacks create at once: every exclusion kept, one server, the declared lists", async () => {
    await faultScenario("concurrency", "two stacks create at once on one CA policy and one domain's server", async () => {
        const [ra, rb] = await atOnce(() => a.stack.up({ onOutput }), () => b.stack.up({ onOutput }));
        const how = [await settle(a, ra), await settle(b, rb)];
        expect(sorted((await policyExclusions(lab, policyId))!.groups)).toEqual(sorted([SEED.groups.breakGlassAdmins, SEED.groups.storageUsers, SEED.groups.whfbPilotUsers]));
        expect((await policyExclusions(lab, policyId))!.users).toEqual([SEED.users.bob]);
        const dc = await readDc(lab, corp);
        expect([dc.computers.length, dc.krbtgts.length, dc.scps.length]).toEqual([1, 1, 1]);
        expect(sameDnSet(dc.allowed, [dn("Domain Users")])).toBe(true);
        expect(cloudRecord(lab, corp.domain)?.branchId).toBe(dc.krbtgts[0].branchId);
        for (const t of [a, b]) await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
        return how.join("; ");
    });
});

test("both change their exclusions and declare different allow lists at once: nothing either wrote is lost", async () => {
    await declare(a, declared({ excludeGroups: ["WHfB Pilot"] }, ["Domain Users", "Domain Guests"]));
    await declare(b, declared({ excludeGroups: ["WHfB Pilot Users"], excludeUsers: [BOB, ALICE] }, ["Domain Users"]));
    const [ra, rb] = await atOnce(() => a.stack.up({ onOutput }), () => b.stack.up({ onOutput }));

    await faultScenario("concurrency", "two stacks rewrite their exclusions on one CA policy at once: nothing either wrote is lost", async () => {
        // a race the CA read-modify-write lost is retried inside the operation; an honest failure converges on the next up
        for (const [t, r] of [[a, ra], [b, rb]] as const) {
            if (r.status === "rejected" && !/allow list|not in sync/.test(String(r.reason?.message))) await t.stack.up({ onOutput });
        }
        const ex = (await policyExclusions(lab, policyId))!;
        expect(sorted(ex.groups)).toEqual(sorted([SEED.groups.breakGlassAdmins, SEED.groups.whfbPilot, SEED.groups.whfbPilotUsers]));
        expect(sorted(ex.users)).toEqual(sorted([SEED.users.bob, SEED.users.alice]));
    });

    await faultScenario("concurrency", "two stacks declare different allow lists for one domain at once: every group either declared is on the list", async () => {
        for (const [t, r] of [[a, ra], [b, rb]] as const) if (r.status === "rejected") await t.stack.up({ onOutput });
        const allowed = (await readDc(lab, corp)).allowed;
        expect(sameDnSet(allowed, [dn("Domain Users"), dn("Domain Guests")])).toBe(true); // A's and B's, never one replacing the other
        const owners = Object.keys(await readListClaims(lab, corp));
        for (const t of [a, b]) expect(owners.filter((o) => o.includes(`/${t.stack.name}/`))).toHaveLength(1);
        for (const t of [a, b]) await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
        const outcome = (r: PromiseSettledResult<unknown>) => (r.status === "fulfilled" ? "up succeeded" : "up failed and converged on the next");
        return `A: ${outcome(ra)}, B: ${outcome(rb)}; both lists kept, both stacks in sync`;
    });
});

test("both destroy at once: each removes only its own exclusions, the server goes once", async () => {
    await faultScenario("concurrency", "two stacks destroy at once: only their own exclusions go, the server goes once", async () => {
        const [ra, rb] = await atOnce(() => a.stack.destroy({ onOutput }), () => b.stack.destroy({ onOutput }));
        for (const [t, r] of [[a, ra], [b, rb]] as const) if (r.status === "rejected") await t.stack.destroy({ onOutput });
        expect(await policyExclusions(lab, policyId)).toEqual({ groups: [SEED.groups.breakGlassAdmins], apps: [], users: [] });
        expect(await readDc(lab, corp)).toMatchObject({ computers: [], krbtgts: [], scps: [] });
        expect(cloudRecord(lab, corp.domain)).toBeUndefined();
    });
});
