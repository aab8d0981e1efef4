// Issue 13's acceptance, through the real Pulumi CLI: another client (a careful portal user) adds a
// group to a policy's exclusions while `pulumi up` of a ConditionalAccessExclusion creates, updates
// or deletes its own entries on the same policy, and the emulator throttles the product's write
// with a 429 that asks it to wait 3 s. The other client writes inside that wait and reads its own
// write back. A product that re-sent its throttled body (merged from a read made before the other
// client's write) would replace the list and drop the other client's group; 20 rounds, 0 lost,
// the product's own entries right after each round. The e2e layer runs with the lab's replicas
// lagging (global-setup.ts), so reads may also be stale.
import * as path from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { SEED } from "../../lab/emulator";
import { CaLab } from "../support/ca-lab";
import { createTestStack, type TestStack } from "../support/stack";
import { labConsistency, labSecretEnv, requireLab } from "../support/lab";

const PROGRAM = path.join(__dirname, "programs/ca-exclusion");
const ROUNDS = 20;

jest.setTimeout(900_000);

describe("another writer on the same policy while the product's write is throttled", () => {
    const lab = requireLab();
    const ca = new CaLab(lab);
    const run = `${process.pid}-${randomBytes(3).toString("hex")}`;
    const name = `e2e CA other writers ${run}`;
    let policyId = "";
    let t: TestStack;

    beforeAll(async () => {
        policyId = await ca.seedPolicy(name, [SEED.groups.breakGlassAdmins]);
        t = await createTestStack({ programDir: PROGRAM, env: labSecretEnv(lab), config: { ...ca.programConfig(), exclusions: { value: "[]" } } });
    }, 120_000);

    afterAll(() => ca.tearDown([t], [policyId]), 300_000);

    // round i: create (pilot group), update (pilot + storage), delete; repeated
    const phases = [
        { verb: "create", ours: [SEED.groups.whfbPilot], exclusions: [{ name: "ours", policy: name, excludeGroups: ["WHfB Pilot"] }] },
        { verb: "update", ours: [SEED.groups.whfbPilot, SEED.groups.storageUsers], exclusions: [{ name: "ours", policy: name, excludeGroups: ["WHfB Pilot", "Storage Users"] }] },
        { verb: "delete", ours: [], exclusions: [] },
    ];

    test(`${ROUNDS} rounds: no entry of the other client lost, ours right after every round`, async () => {
        const foreign: string[] = [];
        const staleBefore = (await labConsistency(lab)).staleServed;
        for (let round = 0; round < ROUNDS; round++) {
            const phase = phases[round % phases.length];
            await t.stack.setConfig("exclusions", { value: JSON.stringify(phase.exclusions) });
            const fault = await ca.armFault({ method: "PATCH", path: `/v1.0/identity/conditionalAccess/policies/${policyId}`, status: 429, retryAfter: 3, times: 1 });
            const group = randomUUID();
            // the other client writes while the product waits out its 429
            const other = (async () => {
                const until = Date.now() + 120_000;
                while ((await ca.faultApplied(fault)) === 0) {
                    if (Date.now() > until) throw new Error(`round ${round}: the product never sent its ${phase.verb} write`);
                    await new Promise((r) => setTimeout(r, 100));
                }
                await ca.addExclusionAsAnotherClient(policyId, group);
            })();
            const up = await t.stack.up();
            await other;
            await ca.removeFault(fault);
            foreign.push(group);
            expect(up.summary.result).toBe("succeeded");
            const groups = (await ca.lists(policyId))!.groups;
            const context = `round ${round} (${phase.verb})`;
            expect({ context, lost: [SEED.groups.breakGlassAdmins, ...foreign].filter((g) => !groups.includes(g)) }).toEqual({ context, lost: [] });
            const ours: string[] = [SEED.groups.whfbPilot, SEED.groups.storageUsers];
            expect({ context, ours: groups.filter((g) => ours.includes(g)).sort() }).toEqual({ context, ours: [...phase.ours].sort() });
        }
        // the rounds really ran against lagging replicas
        expect((await labConsistency(lab)).staleServed).toBeGreaterThan(staleBefore);
    });

    test("after the rounds, a refresh finds nothing to change", async () => {
        await t.stack.setConfig("exclusions", { value: JSON.stringify(phases[0].exclusions) });
        await t.stack.up();
        await t.stack.preview({ refresh: true, expectNoChanges: true });
    });
});
