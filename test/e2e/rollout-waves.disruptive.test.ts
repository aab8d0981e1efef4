// CloudKerberosTrust (examples/multi-forest) through the real CLI: three lab forests in two waves
// (corp, then fabrikam + contoso). With fabrikam's DC stopped, `pulumi up --continue-on-error` still
// completes wave 1 and contoso (same wave as the broken forest), the error names fabrikam, and the
// wave-2 gate is skipped; once the DC is back, `pulumi up` completes the rollout. This file stops a
// DC of the shared lab, so it runs last (test/support/sequencer.js) and restores the DC in `finally`.
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { startDc, stopDc } from "../../lab/samba";
import { createTestStack, type TestStack } from "../support/stack";
import { labSecretEnv, requireLab, expectNoLabSecret } from "../support/lab";
import { readDc } from "../support/kerberos-lab";
import { EXAMPLES, failingText, labSitesConfig } from "../support/rollout-lab";

const PROGRAM = path.join(EXAMPLES, "multi-forest");
const STEP = 300_000;

describe("multi-forest rollout in waves, one forest unreachable", () => {
    const lab = requireLab();
    const [corp, fab, contoso] = ["corp", "fabrikam", "contoso"].map((n) => lab.forests.find((f) => f.name === n)!);
    const output: string[] = [];
    const onOutput = (s: string) => { output.push(s); };
    let t: TestStack;
    let failure = "";

    beforeAll(async () => {
        t = await createTestStack({
            programDir: PROGRAM, env: labSecretEnv(lab),
            config: { lab: labSitesConfig(lab), namePrefix: { value: `e2e ${randomBytes(3).toString("hex")} ` } },
        });
    }, STEP);

    afterAll(async () => {
        await startDc(lab.labDir, fab).catch(() => undefined);
        if (t) {
            await t.stack.destroy({ onOutput }).catch(() => undefined);
            await t.dispose();
        }
    }, STEP);

    test("fabrikam's DC down: wave 1 and contoso complete, the error names fabrikam, wave 2's gate waits", async () => {
        await stopDc(lab.labDir, fab);
        try {
            failure = await failingText(t.stack.up({ continueOnError: true, onOutput }));
        } finally {
            await startDc(lab.labDir, fab);
        }
        expect(failure).toMatch(/AzureADKerberosServer \(fabrikam\/fabrikam\.lab\.test\)/);
        expect(failure).toMatch(new RegExp(`fabrikam\\.lab\\.test[\\s\\S]*${fab.ip.replace(/\./g, "\\.")}`));
        expect(failure).not.toMatch(/AzureADKerberosServer \((corp|contoso)\//);

        const urns: string[] = (await t.exportState()).resources.map((r: any) => r.urn);
        const has = (suffix: string) => urns.some((u) => u.endsWith(suffix));
        expect(has("AzureADKerberosServer::corp/corp.lab.test")).toBe(true);
        expect(has("WaveGate::rollout/wave-1")).toBe(true);
        expect(has("AzureADKerberosServer::contoso/contoso.lab.test")).toBe(true);   // same wave as the failure: not stopped by it
        expect(has("AzureADKerberosServer::fabrikam/fabrikam.lab.test")).toBe(false);
        expect(has("WaveGate::rollout/wave-2")).toBe(false);                          // depends on the failure: skipped
        expect(has("CloudTrustPolicy::rollout/cloud-trust-policy")).toBe(true);        // waits for wave 1 only
        expect(has("ConditionalAccessExclusion::rollout/ca-exclusion/mfa")).toBe(true);
        for (const f of [corp, contoso]) expect((await readDc(lab, f)).krbtgts).toHaveLength(1);
        expect((await readDc(lab, fab)).krbtgts).toHaveLength(0);
    }, STEP);

    test("after the DC returns, pulumi up completes the rollout and every domain is in sync", async () => {
        const up = await t.stack.up({ onOutput });
        expect(up.summary.result).toBe("succeeded");
        expect(up.summary.resourceChanges).toMatchObject({ create: 2 }); // fabrikam's server and the wave-2 gate
        expect(up.outputs.allInSync.value).toBe(true);
        const rows = up.outputs.domains.value as { forest: string; wave: number; inSync: boolean }[];
        expect(rows.map((r) => [r.wave, r.forest, r.inSync])).toEqual([[1, "corp", true], [2, "fabrikam", true], [2, "contoso", true]]);
        expect(up.outputs.statusTable.value).toMatch(/3 of 3 domains in sync$/);
        const pv = await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
        expect(pv.changeSummary).not.toHaveProperty("update");
    }, STEP);

    test("no secret in the engine output, the error or the state", async () => {
        const state = JSON.stringify(await t.exportState());
        expectNoLabSecret(lab, [output.join(""), failure, state]);
    });
});
