// ConditionalAccessExclusion through the real Pulumi CLI against the shared lab's Graph emulator
// (1 request/second conditional-access throttle on): two stacks owning different exclusions on
// one policy, next to an exclusion that was there before and one added by hand, through create,
// update and destroy of either stack; drift repaired; an unknown group failing preview with no
// PATCH sent; a deleted policy reported by name. Policies are this run's own; the lab is never reset.
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { SEED } from "../../lab/emulator";
import { CaLab } from "../support/ca-lab";
import { createTestStack, type TestStack } from "../support/stack";
import { labSecretEnv, labSecretValues, requireLab } from "../support/lab";

const PROGRAM = path.join(__dirname, "programs/ca-exclusion");
const STORAGE_APP = "[Storage Account] labstorage.file.core.windows.net";
const BOB = "bob@entrakerberoslab.onmicrosoft.com";
const sorted = (xs: string[] | undefined) => [...(xs ?? [])].sort();

jest.setTimeout(300_000);

describe("ConditionalAccessExclusion through the real Pulumi engine against the lab", () => {
    const lab = requireLab();
    const ca = new CaLab(lab);
    const run = `${process.pid}-${randomBytes(3).toString("hex")}`;
    const shared = `e2e CA shared ${run}`, doomed = `e2e CA doomed ${run}`;
    const ids = { shared: "", doomed: "" };
    const output: string[] = [];
    const onOutput = (s: string) => { output.push(s); };
    const stacks: TestStack[] = [];
    let a: TestStack, b: TestStack, c: TestStack;

    async function stack(exclusions: unknown[]): Promise<TestStack> {
        const t = await createTestStack({ programDir: PROGRAM, env: labSecretEnv(lab), config: { ...ca.programConfig(), exclusions: { value: JSON.stringify(exclusions) } } });
        stacks.push(t);
        return t;
    }
    const configure = (t: TestStack, exclusions: unknown[]) => t.stack.setConfig("exclusions", { value: JSON.stringify(exclusions) });
    const sharedLists = async () => {
        const l = (await ca.lists(ids.shared))!;
        return { apps: sorted(l.apps), groups: sorted(l.groups), users: sorted(l.users) };
    };

    beforeAll(async () => {
        // "another team's" policies; Break Glass Admins is their exclusion, there before any stack
        ids.shared = await ca.seedPolicy(shared, [SEED.groups.breakGlassAdmins]);
        ids.doomed = await ca.seedPolicy(doomed, []);
        a = await stack([{ name: "storage", policy: shared, excludeApplications: [STORAGE_APP], excludeGroups: ["Storage Users"] }]);
        b = await stack([{ name: "pilot", policy: ids.shared, excludeGroups: ["WHfB Pilot Users", "Break Glass Admins"], excludeUsers: [BOB] }]);
        c = await stack([{ name: "typo", policy: doomed, excludeGroups: [`No Such Group ${run}`] }]);
    }, 120_000);

    afterAll(() => ca.tearDown(stacks, [ids.shared, ids.doomed]), 300_000);

    test("stack A then stack B: each adds its own entries; B owns neither the pre-existing group nor A's", async () => {
        const upA = await a.stack.up({ onOutput });
        expect(upA.outputs.owned.value).toEqual([{ policyId: ids.shared, policyDisplayName: shared, applications: [SEED.storageAppId], groups: [SEED.groups.storageUsers], users: [] }]);
        const upB = await b.stack.up({ onOutput });
        expect(upB.outputs.owned.value).toEqual([{ policyId: ids.shared, policyDisplayName: shared, applications: [], groups: [SEED.groups.whfbPilotUsers], users: [SEED.users.bob] }]);
        expect(await sharedLists()).toEqual({
            apps: [SEED.storageAppId],
            groups: sorted([SEED.groups.breakGlassAdmins, SEED.groups.storageUsers, SEED.groups.whfbPilotUsers]),
            users: [SEED.users.bob],
        });
    });

    test("an exclusion added by hand is left alone, and neither stack sees a change", async () => {
        await ca.editUsersByHand(ids.shared, (u) => { u.excludeUsers = [...u.excludeUsers, SEED.users.alice]; });
        await a.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
        await b.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
    });

    test("state holds references, never the lab's secrets", async () => {
        const state = JSON.stringify(await b.exportState());
        expect(state).toContain(`"env":"${lab.emulator.app.clientSecretEnv}"`);
        for (const secret of labSecretValues(lab)) {
            expect(state).not.toContain(secret);
            expect(output.join("")).not.toContain(secret);
        }
    });
    test("updating stack A swaps its group; B's, the hand-added and the pre-existing entries stay", async () => {
        await configure(a, [{ name: "storage", policy: shared, excludeApplications: [STORAGE_APP], excludeGroups: ["WHfB Pilot"] }]);
        const up = await a.stack.up({ onOutput });
        expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
        expect(await sharedLists()).toEqual({
            apps: [SEED.storageAppId],
            groups: sorted([SEED.groups.breakGlassAdmins, SEED.groups.whfbPilot, SEED.groups.whfbPilotUsers]),
            users: sorted([SEED.users.bob, SEED.users.alice]),
        });
    });

    test("an owned exclusion removed by hand shows in preview --refresh --diff and up puts it back", async () => {
        await ca.editUsersByHand(ids.shared, (u) => { u.excludeGroups = u.excludeGroups.filter((g: string) => g !== SEED.groups.whfbPilotUsers); });
        const pv = await b.stack.preview({ refresh: true, diff: true, onOutput });
        expect(pv.changeSummary.update).toBe(1);
        // the planned update's input diff brings the group back (Pulumi diffs arrays by position)
        const planned = /\(update\)[\s\S]*?~ excludeGroups: \[([\s\S]*?)\n\s*\]/.exec(pv.stdout);
        expect(planned?.[1]).toMatch(/(\+ \[\d\]: |=> )"WHfB Pilot Users"/);
        await b.stack.up({ refresh: true, onOutput });
        expect((await sharedLists()).groups).toContain(SEED.groups.whfbPilotUsers);
        await b.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
    });

    test("an unknown group name fails preview naming the group; no PATCH is sent", async () => {
        await configure(b, [{ name: "pilot", policy: ids.shared, excludeGroups: ["WHfB Pilot Users", "Break Glass Admins", `No Such Group ${run}`], excludeUsers: [BOB] }]);
        const since = Date.now();
        const err = await b.stack.preview({ onOutput }).then(() => undefined, (e) => e);
        expect(String(err)).toContain(`excludeGroups[2] "No Such Group ${run}": no group is named "No Such Group ${run}"`);
        expect((await ca.requests(ids.shared, since)).filter((r) => r.method === "PATCH")).toEqual([]);
        // back to the good config
        await configure(b, [{ name: "pilot", policy: ids.shared, excludeGroups: ["WHfB Pilot Users", "Break Glass Admins"], excludeUsers: [BOB] }]);
    });

    test("a new resource naming an unknown group fails preview too (check looks names up, read-only), and up, before any write", async () => {
        const since = Date.now();
        // a create: the engine calls only check, which resolves the names with GETs
        const pv = await c.stack.preview({ onOutput }).then(() => undefined, (e) => e);
        expect(String(pv)).toContain(`"No Such Group ${run}": no group is named`);
        const err = await c.stack.up({ onOutput }).then(() => undefined, (e) => e);
        expect(String(err)).toContain(`"No Such Group ${run}": no group is named`);
        expect(await ca.requests(ids.doomed, since)).toEqual([]); // names fail before the policy is even read
    });

    test("a deleted policy is an error naming it in preview --refresh, not a silent re-create; destroy still works", async () => {
        await configure(c, [{ name: "typo", policy: doomed, excludeGroups: ["Storage Users"] }]);
        await c.stack.up({ onOutput });
        await ca.deletePolicy(ids.doomed);
        const err = await c.stack.preview({ refresh: true, onOutput }).then(() => undefined, (e) => e);
        expect(String(err)).toContain(`"${doomed}" (${ids.doomed}) no longer exists`);
        const d = await c.stack.destroy({ onOutput });
        expect(d.summary.result).toBe("succeeded");
    });

    test("destroying stack A removes only A's entries", async () => {
        await a.stack.destroy({ onOutput });
        expect(await sharedLists()).toEqual({
            apps: [],
            groups: sorted([SEED.groups.breakGlassAdmins, SEED.groups.whfbPilotUsers]),
            users: sorted([SEED.users.bob, SEED.users.alice]),
        });
    });

    test("destroying stack B leaves the pre-existing and the hand-added entries", async () => {
        await b.stack.destroy({ onOutput });
        expect(await sharedLists()).toEqual({ apps: [], groups: [SEED.groups.breakGlassAdmins], users: [SEED.users.alice] });
    });

});
