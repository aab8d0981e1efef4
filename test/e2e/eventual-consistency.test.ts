// Issue 13's acceptance: with the lab's Graph replicas lagging (the e2e layer's global-setup.ts:
// for 1.5 s after a write, half the reads of that object see the version before), every Graph
// resource kind's create, update, refresh and delete converge through the real Pulumi CLI, and
// `pulumi preview --refresh --expect-no-changes` passes after each `up`: no perpetual diff, no
// duplicate profile, nothing of the other team's removed. (AzureADKerberosServer reads AD and the
// publisher, which do not lag in the lab; its e2e file covers it.)
import { randomBytes } from "node:crypto";
import { SEED } from "../../lab/emulator";
import { CaLab } from "../support/ca-lab";
import { labConsistency, requireLab } from "../support/lab";
import type { TestStack } from "../support/stack";
import { cloudTrustArgs, declare, exclusionArgs, hostToRealmArgs, reliabilityStack, type Declared } from "../reliability/support/inputs";
import { tenantState } from "../reliability/support/lab";

jest.setTimeout(600_000);

describe("every Graph resource kind against lagging replicas", () => {
    const lab = requireLab();
    const ca = new CaLab(lab);
    const run = `${process.pid}-${randomBytes(3).toString("hex")}`;
    const names = { ctp: `e2e lag ctp ${run}`, htr: `e2e lag htr ${run}`, policy: `e2e lag policy ${run}` };
    let policyId = "";
    let t: TestStack;
    let staleBefore = 0;

    const declared = (v: 1 | 2): Declared => ({
        cloudTrustPolicies: [{ name: "ctp", args: cloudTrustArgs(lab, names.ctp, v === 2 ? { description: `second ${run}` } : {}) }],
        hostToRealmMappings: [{ name: "htr", args: hostToRealmArgs(lab, names.htr, v === 2 ? { mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net", "files.contoso.example"] }] } : {}) }],
        exclusions: [{ name: "ex", args: exclusionArgs(lab, names.policy, { excludeGroups: v === 2 ? ["Storage Users", "WHfB Pilot"] : ["Storage Users"] }) }],
    });
    const profiles = async (name: string) => {
        const s = await tenantState(lab);
        return s.configurationPolicies.filter((p: any) => p.name === name).length + s.deviceConfigurations.filter((p: any) => p.displayName === name).length;
    };

    beforeAll(async () => {
        policyId = await ca.seedPolicy(names.policy, [SEED.groups.breakGlassAdmins]);
        t = await reliabilityStack(lab, declared(1));
        staleBefore = (await labConsistency(lab)).staleServed;
    }, 120_000);

    afterAll(() => ca.tearDown([t], [policyId]), 300_000);

    test("create, then a refreshing preview finds nothing to change", async () => {
        expect((await t.stack.up()).summary.resourceChanges).toMatchObject({ create: 4 });
        await t.stack.preview({ refresh: true, expectNoChanges: true });
        expect([await profiles(names.ctp), await profiles(names.htr)]).toEqual([1, 1]);
    });

    test("update each, then a refreshing preview finds nothing to change", async () => {
        await declare(t, declared(2));
        expect((await t.stack.up()).summary.resourceChanges).toMatchObject({ update: 3 });
        await t.stack.preview({ refresh: true, expectNoChanges: true });
        expect([...(await ca.lists(policyId))!.groups].sort()).toEqual([SEED.groups.breakGlassAdmins, SEED.groups.storageUsers, SEED.groups.whfbPilot].sort());
    });

    test("a refresh right after changes nothing, and neither does the next preview", async () => {
        const r = await t.stack.refresh();
        expect(r.summary.resourceChanges).not.toHaveProperty("update");
        await t.stack.preview({ expectNoChanges: true });
    });

    test("destroy removes ours only; the replicas really lagged meanwhile", async () => {
        await t.stack.destroy();
        expect([await profiles(names.ctp), await profiles(names.htr)]).toEqual([0, 0]);
        expect((await ca.lists(policyId))!.groups).toEqual([SEED.groups.breakGlassAdmins]);
        expect((await labConsistency(lab)).staleServed).toBeGreaterThan(staleBefore);
    });
});
