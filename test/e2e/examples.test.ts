// examples/single-domain through the real CLI against the lab: up, a clean drift check, destroy.
// (examples/multi-forest runs in rollout-waves.disruptive.test.ts.)
import * as path from "node:path";
import { createTestStack, type TestStack } from "../support/stack";
import { labSecretEnv, requireLab } from "../support/lab";
import { readDc } from "../support/kerberos-lab";
import { EXAMPLES, labSitesConfig } from "../support/rollout-lab";

const STEP = 180_000;

describe("examples/single-domain against the lab", () => {
    const lab = requireLab();
    const corp = lab.forests.find((f) => f.name === "corp")!;
    let t: TestStack;

    beforeAll(async () => {
        t = await createTestStack({ programDir: path.join(EXAMPLES, "single-domain"), env: labSecretEnv(lab), config: { lab: labSitesConfig(lab) } });
    }, STEP);
    afterAll(async () => {
        if (t) {
            await t.stack.destroy().catch(() => undefined);
            await t.dispose();
        }
    }, STEP);

    test("up creates corp's server in sync, the drift check is clean, destroy removes it", async () => {
        const up = await t.stack.up();
        expect(up.outputs).toMatchObject({ domain: { value: corp.domain }, inSync: { value: true }, driftReasons: { value: [] } });
        expect(up.outputs.keyVersion.value).toBe(up.outputs.cloudKeyVersion.value);
        expect((await readDc(lab, corp)).denied.some((dn) => dn.startsWith("CN=Domain Guests,"))).toBe(true);
        await t.stack.preview({ refresh: true, expectNoChanges: true });
        await t.stack.destroy();
        expect(await readDc(lab, corp)).toMatchObject({ computers: [], krbtgts: [], scps: [] });
    }, STEP);
});
