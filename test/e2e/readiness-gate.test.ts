// Waves gated on readiness (readinessGate: true) through the real CLI and the root program: corp in
// wave 1, fabrikam in wave 2, the FIDO2 method's pilot group "WHfB Pilot Users". With the readiness
// seed's failures in corp (a pilot user in Domain Admins, one in Protected Users, a disabled one, a
// cloud-only one), `pulumi up` creates corp's server and then the wave-1 gate refuses with
// WaveNotReady naming corp and each blocking finding, so fabrikam is not touched; with the failures
// cleared, `pulumi up` lets wave 2 go. A preview of the finished stack with the failures back shows
// the same refusal (the gate's diff runs the report).
import { clearReadinessSeed, readinessUpn, seedReadinessLab } from "../../lab/readiness-seed";
import { labStackConfig } from "../../lab/stack-config";
import { readDc } from "../support/kerberos-lab";
import { labSecretEnv, requireLab, expectNoLabSecret } from "../support/lab";
import { failingText, REPO } from "../support/rollout-lab";
import { createTestStack, type TestStack } from "../support/stack";

const STEP = 300_000;

describe("waves gated on readiness", () => {
    const lab = requireLab();
    const [corp, fab] = ["corp", "fabrikam"].map((n) => lab.forests.find((f) => f.name === n)!);
    const output: string[] = [];
    const onOutput = (s: string) => { output.push(s); };
    const failures: string[] = [];
    let t: TestStack;

    beforeAll(async () => {
        const full: any = labStackConfig(lab);
        const config = {
            caCertificate: full.caCertificate, graph: full.graph, readinessGate: true,
            forests: full.forests.filter((f: any) => ["corp", "fabrikam"].includes(f.name)).map((f: any) => ({ ...f, wave: f.name === "corp" ? 1 : 2 })),
            // the pilot group the gate checks (the readiness seed's)
            fido2SecurityKeyMethod: { state: "enabled", includeGroups: ["WHfB Pilot Users"] },
        };
        t = await createTestStack({ programDir: REPO, env: labSecretEnv(lab), config: { cloudKerberosTrust: { value: JSON.stringify(config) } } });
        await seedReadinessLab(lab, { withFailures: true });
    }, STEP);

    afterAll(async () => {
        await clearReadinessSeed(lab).catch(() => undefined);
        if (t) {
            await t.stack.destroy({ onOutput }).catch(() => undefined);
            await t.dispose();
        }
    }, STEP);

    const urns = async (): Promise<string[]> => ((await t.exportState()).resources ?? []).map((r: any) => r.urn);

    test("a blocking finding in wave 1's domain: up creates corp, the wave-1 gate refuses naming corp and the findings, fabrikam is untouched", async () => {
        const text = await failingText(t.stack.up({ onOutput }));
        failures.push(text);
        expect(text).toMatch(/WaveGate \(cloud-kerberos-trust\/wave-1\):\s+error: wave 1 is not ready/);
        expect(text).toMatch(/wave 1 is not ready: the readiness report of corp\/corp\.lab\.test has \d+ blocking findings/);
        expect(text).toMatch(new RegExp(`user-in-denied-group ${readinessUpn("tier0").replace(/\./g, "\\.")} \\([^)]*Domain Admins`));
        expect(text).toMatch(new RegExp(`user-in-denied-group ${readinessUpn("protected").replace(/\./g, "\\.")} \\(Protected Users`));
        expect(text).toContain(`user-disabled ${readinessUpn("disabled")}`);
        expect(text).toContain(`user-not-synchronised ${readinessUpn("cloudOnly")}`);
        const u = await urns();
        expect(u.some((x) => x.endsWith("AzureADKerberosServer::corp/corp.lab.test"))).toBe(true);
        expect(u.some((x) => x.endsWith("WaveGate::cloud-kerberos-trust/wave-1"))).toBe(false);
        expect(u.some((x) => x.endsWith("AzureADKerberosServer::fabrikam/fabrikam.lab.test"))).toBe(false);
        expect(u.some((x) => x.endsWith("Fido2SecurityKeyMethod::cloud-kerberos-trust/fido2-security-key-method"))).toBe(false);
        expect((await readDc(lab, corp)).krbtgts).toHaveLength(1);
        expect((await readDc(lab, fab)).krbtgts).toHaveLength(0);
    }, STEP);

    test("the findings cleared: up lets wave 2 go and records the gate's verdict", async () => {
        await seedReadinessLab(lab, { withFailures: false });
        const up = await t.stack.up({ onOutput });
        expect(up.summary.result).toBe("succeeded");
        const state = await t.exportState();
        const gate = (w: number) => state.resources.find((r: any) => r.urn.endsWith(`WaveGate::cloud-kerberos-trust/wave-${w}`));
        expect(gate(1).outputs.readinessVerdict).toMatch(/^(ready|warnings)$/);
        expect(gate(2)).toBeDefined();
        expect((await readDc(lab, fab)).krbtgts).toHaveLength(1);
    }, STEP);

    test("a preview with the failures back shows the refusal (the gate's diff runs the report)", async () => {
        await seedReadinessLab(lab, { withFailures: true });
        const text = await failingText(t.stack.preview({ onOutput }));
        failures.push(text);
        expect(text).toMatch(/wave 1 is not ready: the readiness report of corp\/corp\.lab\.test has \d+ blocking findings/);
        expect(text).toContain(readinessUpn("tier0"));
        await seedReadinessLab(lab, { withFailures: false });
        const pv = await t.stack.preview({ onOutput });
        expect(pv.changeSummary).not.toHaveProperty("update");
    }, STEP);

    test("no secret in the engine output, the refusals or the state", async () => {
        const state = JSON.stringify(await t.exportState());
        expectNoLabSecret(lab, [output.join(""), ...failures, state]);
    });
});
