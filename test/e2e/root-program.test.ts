// The root program (Pulumi.yaml + index.ts at the repository root) through the real CLI: a bad
// `cloudKerberosTrust` config stops it before any resource is registered, naming the config path.
// (`npm run demo` runs the good path: demo.test.ts.)
import { createTestStack, type TestStack } from "../support/stack";
import { labSecretEnv, requireLab } from "../support/lab";
import { labStackConfig } from "../../lab/stack-config";
import { failingText, REPO } from "../support/rollout-lab";

describe("root program config validation", () => {
    const lab = requireLab();
    let t: TestStack;

    beforeAll(async () => { t = await createTestStack({ programDir: REPO, env: labSecretEnv(lab) }); }, 120_000);
    afterAll(async () => { await t?.dispose(); }, 120_000);

    test("a bad domain in the second forest: the error names cloudKerberosTrust.forests[1].domains[0].domain, nothing is registered", async () => {
        const config: any = labStackConfig(lab);
        config.forests[1].domains[0].domain = "fabrikam lab test";
        config.forests[0].domains[0].directory.password = "not-a-reference";
        await t.stack.setConfig("cloudKerberosTrust", { value: JSON.stringify(config) });
        const text = await failingText(t.stack.preview());
        expect(text).toMatch(/stack config cloudKerberosTrust is not valid \(2 problems/);
        expect(text).toMatch(/cloudKerberosTrust\.forests\[0\]\.domains\[0\]\.directory\.password: must be an object \(\{ env: \.\.\. \} or \{ config: \.\.\. \}\), not a string/);
        expect(text).toMatch(/cloudKerberosTrust\.forests\[1\]\.domains\[0\]\.domain: "fabrikam lab test" is not a DNS name/);
        expect(text).not.toMatch(/AzureADKerberosServer|CloudKerberosTrust cloud-kerberos-trust/);
        expect(text).not.toContain("not-a-reference");
        const state = await t.exportState();
        expect(state.resources ?? []).toEqual([]);
    }, 120_000);
});
