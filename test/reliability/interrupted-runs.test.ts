// A pipeline can be killed at any moment (runner timeout, cancelled job). For every resource kind,
// `pulumi up` runs as a CI job would and its whole process group (CLI, language host, provider
// hosts) is killed with SIGKILL at a step boundary of create, update or delete, held there by a
// pause the lab makes (a publisher delay, an emulator request that never answers, a list lock held
// by another owner). Then the recovery the operations docs give (docs/operations.md "Recovering from a killed
// run") is run, and the world must have converged: `preview --refresh --expect-no-changes` passes,
// no duplicate profile, the Kerberos objects exist once with their cloud record, no list lock
// left, and nothing of anyone else's (the other team's exclusion, another owner's claim) removed.
import { randomBytes } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { SEED } from "../../lab/emulator";
import type { FaultRule } from "../../lab/emulator";
import { readDc, readKeyVersion, readListClaims, sameDnSet } from "../support/kerberos-lab";
import { withAdminLdap } from "../support/lab";
import type { TestStack } from "../support/stack";
import { policyExclusions, seedForeignPolicy } from "./support/ca";
import { cloudTrustArgs, declare, exclusionArgs, hostToRealmArgs, reliabilityStack, serverArgs, type Declared } from "./support/inputs";
import {
    addFaults, armPublisherFault, clearFaults, clearPublisherFaults, cloudRecord, forest, listFaults, publisherFaults, reliabilityLab, tenantState, until,
} from "./support/lab";
import { interruptedRun } from "./support/results";

jest.setTimeout(600_000);

const lab = reliabilityLab();
const fabrikam = forest(lab, "fabrikam");
const run = randomBytes(3).toString("hex");
const names = { policy: `rel-killed-ca-${run}`, ctp: `rel-killed-ctp-${run}`, htr: `rel-killed-htr-${run}` };
const claimsDn = `CN=EntraKerberosListClaims,CN=System,${fabrikam.baseDn}`;
const lockDn = `CN=lock,${claimsDn}`;
const dn = (cn: string) => `CN=${cn},CN=Users,${fabrikam.baseDn}`;
let t: TestStack;
let policyId = "";

beforeAll(async () => {
    policyId = await seedForeignPolicy(lab, names.policy);
    t = await reliabilityStack(lab, {});
}, 120_000);

afterAll(async () => {
    await clearFaults(lab).catch(() => undefined);
    await clearPublisherFaults(lab).catch(() => undefined);
    await declare(t, {});
    await t?.stack.up().catch(() => undefined);
    await t?.dispose();
}, 600_000);

/** Runs `pulumi up` for `d`, waits until `paused` says the run sits at the step boundary, and kills the process group. */
async function killedUp(d: Declared, paused: () => Promise<boolean>): Promise<void> {
    await declare(t, d);
    const up: ChildProcess = t.spawnUp();
    const ended = new Promise<void>((r) => up.once("exit", () => r()));
    let output = "";
    up.stdout?.on("data", (b) => { output += b; });
    up.stderr?.on("data", (b) => { output += b; });
    try {
        await until("the run to reach the step boundary", async () => {
            if (up.exitCode !== null) throw new Error(`pulumi up ended (exit ${up.exitCode}) before the step boundary:\n${output}`);
            return paused();
        }, 180_000, 200);
    } finally {
        if (up.exitCode === null && up.signalCode === null) process.kill(-up.pid!, "SIGKILL");
        await ended;
    }
}

/** What docs/operations.md "Recovering from a killed run" tells the user to run; then the proof that it converged. */
async function recover(): Promise<void> {
    await t.stack.cancel();                                  // the lock the killed run left on the backend
    await t.stack.refresh({ clearPendingCreates: true });    // forget creates that were in flight: the next up adopts their objects
    await t.stack.up();
    await t.stack.preview({ refresh: true, expectNoChanges: true });
}

/** One kill point, recorded for the reliability summary; the lab's pauses are cleared whatever happened. */
async function interrupted(resource: string, point: string, fn: () => Promise<void>): Promise<void> {
    try {
        await interruptedRun(resource, point, fn);
    } finally {
        await clearFaults(lab);
        await clearPublisherFaults(lab);
    }
}

/** An emulator rule that holds matching requests forever; `after`: the change is made first (the answer is lost). */
const hold = async (rule: Omit<FaultRule, "hang">): Promise<() => Promise<boolean>> => {
    const [id] = await addFaults(lab, [{ ...rule, hang: true, times: 1 }]);
    return async () => ((await listFaults(lab)).find((r) => r.id === id)?.applied ?? 0) > 0;
};
const server = (extra: Record<string, unknown> = {}): Declared => ({ servers: [{ name: "fabrikam", args: serverArgs(lab, fabrikam, extra) }] });
const profilesNamed = async (name: string) => (await tenantState(lab)).configurationPolicies.filter((p: any) => p.name === name).length
    + (await tenantState(lab)).deviceConfigurations.filter((p: any) => p.displayName === name).length;

async function serverConverged(allowed: string[]): Promise<void> {
    const dc = await readDc(lab, fabrikam);
    expect([dc.computers.length, dc.krbtgts.length, dc.scps.length]).toEqual([1, 1, 1]);
    expect(cloudRecord(lab, fabrikam.domain)?.branchId).toBe(dc.krbtgts[0].branchId);
    expect(cloudRecord(lab, fabrikam.domain)?.keyVersion).toBe(await readKeyVersion(lab, fabrikam));
    expect(sameDnSet(dc.allowed, allowed.map(dn))).toBe(true);
    expect(await withAdminLdap(lab, fabrikam, (c) => c.search(lockDn, { scope: "base" }).then(() => true, () => false))).toBe(false);
}

describe("AzureADKerberosServer", () => {
    test("create killed after the AD objects exist, before publishing", () => interrupted("AzureADKerberosServer", "create: AD objects written, not published", async () => {
        await armPublisherFault(lab, { domain: fabrikam.domain, point: "delay", at: "afterAdObjects", delayMs: 5000 });
        await killedUp(server(), async () => (await publisherFaults(lab)).length === 0); // the delay fired: the publisher sits inside it
        await new Promise((r) => setTimeout(r, 6000)); // the publisher's own call runs on to its end, as the module's would
        await recover();
        await serverConverged(["Domain Users"]);
    }));

    test("update killed after publishing a rotated key, before the state is written", () => interrupted("AzureADKerberosServer", "update: published, state not written", async () => {
        const d = server({ keyRotation: { trigger: `killed-${run}`, force: true } });
        // The provider takes the cloud values from Set's own answer, so nothing runs between the
        // publish and the state write but the provider's own AD read: the run is killed while Set is
        // under way (new key on-prem, publish to follow), and the publisher's call runs on to its end
        // without a caller, as the module's would. What the world then holds, the state never saw.
        await armPublisherFault(lab, { domain: fabrikam.domain, point: "delay", at: "afterRotation", delayMs: 5000 });
        await killedUp(d, async () => (await publisherFaults(lab)).length === 0); // the delay fired
        await new Promise((r) => setTimeout(r, 6000));
        const published = cloudRecord(lab, fabrikam.domain);
        expect(published?.keyVersion).toBe(await readKeyVersion(lab, fabrikam)); // rotated and published, unrecorded
        await recover();
        await serverConverged(["Domain Users"]);
    }));

    test("list change killed while waiting for another owner's list lock", () => interrupted("AzureADKerberosServer", "update: during a shared-list claim", async () => {
        const otherOwner = `another-stack/${run}`;
        await withAdminLdap(lab, fabrikam, (c) => c.add(lockDn, { objectClass: ["top", "container"], description: otherOwner, showInAdvancedViewOnly: "TRUE" }));
        const observed = await addFaults(lab, [{ method: "POST", path: "/lab/kerberos/get", times: 1 }]);
        let seenAt = 0;
        await killedUp(server({ allowedGroups: ["Domain Users", "Domain Guests"] }), async () => {
            if (!seenAt && ((await listFaults(lab)).find((r) => r.id === observed[0])?.applied ?? 0) > 0) seenAt = Date.now();
            return seenAt > 0 && Date.now() - seenAt > 3000; // read, then waiting on the lock
        });
        // the other owner finishes and releases its lock; its claim must survive our recovery
        await withAdminLdap(lab, fabrikam, (c) => c.del(lockDn));
        await recover();
        await serverConverged(["Domain Users", "Domain Guests"]);
        expect(Object.keys(await readListClaims(lab, fabrikam))).toHaveLength(1);
    }));

    test("delete killed before the cloud record is removed", () => interrupted("AzureADKerberosServer", "delete: claim released, server not removed", async () => {
        await killedUp({}, await hold({ method: "POST", path: "/lab/kerberos/remove" }));
        await recover();
        const dc = await readDc(lab, fabrikam);
        expect([dc.computers.length, dc.krbtgts.length, dc.scps.length]).toEqual([0, 0, 0]);
        expect(cloudRecord(lab, fabrikam.domain)).toBeUndefined();
    }));
});

describe("Intune profiles", () => {
    const ctp = (extra: Record<string, unknown> = {}): Declared => ({ cloudTrustPolicies: [{ name: "ctp", args: cloudTrustArgs(lab, names.ctp, extra) }] });

    test("CloudTrustPolicy create killed after the policy exists, before its assignment", () => interrupted("CloudTrustPolicy", "create: policy written, not assigned", async () => {
        await killedUp(ctp(), await hold({ method: "POST", path: "/beta/deviceManagement/configurationPolicies/*/assign" }));
        await recover();
        expect(await profilesNamed(names.ctp)).toBe(1); // adopted by its marker, not created twice
        const p = (await tenantState(lab)).configurationPolicies.find((x: any) => x.name === names.ctp);
        expect(p.assignments.length).toBeGreaterThan(0);
    }));

    test("CloudTrustPolicy update killed after the write landed, before its answer", () => interrupted("CloudTrustPolicy", "update: written, answer lost", async () => {
        await killedUp(ctp({ description: `changed ${run}` }), await hold({ method: "PUT", path: "/beta/deviceManagement/configurationPolicies/*", after: true }));
        await recover();
        expect(await profilesNamed(names.ctp)).toBe(1);
    }));

    test("CloudTrustPolicy delete killed after the delete landed, before its answer", () => interrupted("CloudTrustPolicy", "delete: deleted, answer lost", async () => {
        await killedUp({}, await hold({ method: "DELETE", path: "/beta/deviceManagement/configurationPolicies/*", after: true }));
        await recover();
        expect(await profilesNamed(names.ctp)).toBe(0);
    }));

    test("HostToRealmMapping create killed after the profile exists, before its assignment", () => interrupted("HostToRealmMapping", "create: profile written, not assigned", async () => {
        const htr: Declared = { hostToRealmMappings: [{ name: "htr", args: hostToRealmArgs(lab, names.htr, { assignments: { includeGroups: ["WHfB Pilot"] } }) }] };
        await killedUp(htr, await hold({ method: "POST", path: "/beta/deviceManagement/*/*/assign" }));
        await recover();
        expect(await profilesNamed(names.htr)).toBe(1);
        await declare(t, {});
        await t.stack.up();
        expect(await profilesNamed(names.htr)).toBe(0);
    }));
});

describe("ConditionalAccessExclusion", () => {
    const ours = (groups: string[]): Declared => ({ exclusions: [{ name: "own", args: exclusionArgs(lab, names.policy, { excludeGroups: groups }) }] });
    const patchLandsAnswerLost = () => hold({ method: "PATCH", path: `/v1.0/identity/conditionalAccess/policies/${policyId}`, after: true });
    const groups = async () => [...(await policyExclusions(lab, policyId))!.groups].sort();

    test("create killed after the write, before the state", () => interrupted("ConditionalAccessExclusion", "create: written, state not saved", async () => {
        await killedUp(ours(["Storage Users"]), await patchLandsAnswerLost());
        await recover();
        expect(await groups()).toEqual([SEED.groups.breakGlassAdmins, SEED.groups.storageUsers].sort());
    }));

    test("update killed after the write, before the state", () => interrupted("ConditionalAccessExclusion", "update: written, state not saved", async () => {
        await killedUp(ours(["Storage Users", "WHfB Pilot"]), await patchLandsAnswerLost());
        await recover();
        expect(await groups()).toEqual([SEED.groups.breakGlassAdmins, SEED.groups.storageUsers, SEED.groups.whfbPilot].sort());
    }));

    test("delete killed after the write, before the state", () => interrupted("ConditionalAccessExclusion", "delete: written, state not saved", async () => {
        // an entry this resource owns for sure: added by an update that was not killed
        await declare(t, ours(["Storage Users", "WHfB Pilot", "WHfB Pilot Users"]));
        await t.stack.up();
        await killedUp({}, await patchLandsAnswerLost());
        await recover();
        const left = await groups();
        expect(left).toContain(SEED.groups.breakGlassAdmins);     // the other team's exclusion stays
        expect(left).not.toContain(SEED.groups.whfbPilotUsers);   // ours is gone
        // what the killed create and update wrote is kept, not owned (docs/operations.md "Recovering from a killed run")
        expect(left).toEqual([SEED.groups.breakGlassAdmins, SEED.groups.storageUsers, SEED.groups.whfbPilot].sort());
    }));
});
