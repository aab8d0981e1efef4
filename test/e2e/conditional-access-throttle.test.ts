// One stack with 10 ConditionalAccessExclusions across 5 policies, through the real Pulumi CLI,
// against the lab emulator enforcing conditional access's 1 request/second per tenant with 429s
// that carry no Retry-After: up, a refresh that finds nothing to change, and destroy all converge
// without an error. The policies are this run's own; the lab is never reset.
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { SEED } from "../../lab/emulator";
import { CaLab } from "../support/ca-lab";
import { createTestStack, type TestStack } from "../support/stack";
import { Agent } from "undici";
import { labCa, labSecretEnv, requireLab } from "../support/lab";

const PROGRAM = path.join(__dirname, "programs/ca-exclusion");

jest.setTimeout(300_000);

describe("10 exclusions across 5 policies under the 1 request/second throttle", () => {
    const lab = requireLab();
    const ca = new CaLab(lab);
    const run = `${process.pid}-${randomBytes(3).toString("hex")}`;
    const names = Array.from({ length: 5 }, (_, i) => `e2e CA throttle ${run} #${i}`);
    let ids: string[] = [];
    let t: TestStack;
    let started = 0;

    beforeAll(async () => {
        ids = await Promise.all(names.map((n) => ca.seedPolicy(n, [SEED.groups.breakGlassAdmins])));
        const throttling = await fetchThrottling();
        expect(throttling.conditionalAccess).toMatchObject({ enabled: true, requests: 1, windowMs: 1000 });
        // per policy: the storage app by name and a group by id on the policy's name; a group by name on its id
        const exclusions = names.flatMap((n, i) => [
            { name: `apps-${i}`, policy: n, excludeApplications: ["[Storage Account] labstorage.file.core.windows.net"], excludeGroups: [SEED.groups.storageUsers] },
            { name: `pilot-${i}`, policy: ids[i], excludeGroups: ["WHfB Pilot"] },
        ]);
        t = await createTestStack({ programDir: PROGRAM, env: labSecretEnv(lab), config: { ...ca.programConfig(), exclusions: { value: JSON.stringify(exclusions) } } });
    }, 120_000);

    afterAll(() => ca.tearDown([t], ids), 300_000);

    async function fetchThrottling(): Promise<any> {
        const dispatcher = new Agent({ connect: { ca: [labCa(lab)] } });
        try {
            return await (await fetch(`${lab.emulator.url}/_emulator/throttling`, { dispatcher } as RequestInit)).json();
        } finally {
            await dispatcher.close();
        }
    }

    test("up converges: every policy gets both resources' entries, the pre-existing group untouched", async () => {
        started = Date.now();
        const up = await t.stack.up();
        expect(up.summary.result).toBe("succeeded");
        expect(up.summary.resourceChanges).toMatchObject({ create: 11 });
        for (const id of ids) {
            const l = (await ca.lists(id))!;
            expect(l.apps).toEqual([SEED.storageAppId]);
            expect([...l.groups].sort()).toEqual([SEED.groups.breakGlassAdmins, SEED.groups.storageUsers, SEED.groups.whfbPilot].sort());
        }
        const owned = up.outputs.owned.value as { groups: string[] }[];
        expect(owned.every((o) => !o.groups.includes(SEED.groups.breakGlassAdmins))).toBe(true);
    });

    test("a refresh reads all 10 and finds nothing to change", async () => {
        await t.stack.preview({ refresh: true, expectNoChanges: true });
    });

    test("destroy removes exactly the stack's entries", async () => {
        const d = await t.stack.destroy();
        expect(d.summary.result).toBe("succeeded");
        for (const id of ids) expect(await ca.lists(id)).toEqual({ apps: [], groups: [SEED.groups.breakGlassAdmins], users: [] });
    });

    test("no request failed other than with the throttle's 429, and pacing kept those rare", async () => {
        const log = (await Promise.all(ids.map((id) => ca.requests(id, started)))).flat();
        expect(log.filter((r) => r.status >= 400 && r.status !== 429)).toEqual([]);
        // 10 creates, 10 reads, 10 deletes; anything else in the tenant (other test runs) may cost a few 429s
        expect(log.filter((r) => r.method === "PATCH" && r.status === 204)).toHaveLength(20);
        expect(log.filter((r) => r.status === 429).length).toBeLessThan(log.length / 4);
    });
});
