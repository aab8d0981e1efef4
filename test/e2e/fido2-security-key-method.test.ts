// Fido2SecurityKeyMethod through the real Pulumi CLI against the shared lab's Graph emulator (its
// replicas lagging: test/e2e/global-setup.ts): create, update, drift named in preview and repaired
// by up, destroy, with the seeded foreign include target surviving all of them; an unknown group
// failing preview with no request to the configuration. The configuration is the lab tenant's one
// singleton, so this file puts back every setting it changed.
import * as path from "node:path";
import { SEED } from "../../lab/emulator";
import { CONFIG_PATH } from "../../provider/fido2/model";
import { CaLab } from "../support/ca-lab";
import { createTestStack, type TestStack } from "../support/stack";
import { labSecretEnv, requireLab } from "../support/lab";

const PROGRAM = path.join(__dirname, "programs/fido2");
const FOREIGN = SEED.groups.helpdeskA;
const YUBIKEY = "cb69481e-8ff7-4039-93ec-0a2729a154a8";

jest.setTimeout(300_000);

describe("Fido2SecurityKeyMethod through the real Pulumi engine against the lab", () => {
    const lab = requireLab();
    const ca = new CaLab(lab);
    const output: string[] = [];
    const onOutput = (s: string) => { output.push(s); };
    let t: TestStack;
    let before: any;

    const config = async () => (await ca.admin("GET", "/_emulator/state")).authenticationMethodConfigurations.find((c: any) => c.id === "Fido2");
    const targets = async () => (await config()).includeTargets.map((x: any) => x.id);
    const editByHand = (edit: (c: any) => void) => config().then(async (c) => { edit(c); await ca.admin("POST", "/_emulator/seed", { authenticationMethodConfigurations: [c] }); });
    const configure = (method: unknown) => t.stack.setConfig("method", { value: JSON.stringify(method) });

    beforeAll(async () => {
        before = await config();
        expect(before.includeTargets.map((x: any) => x.id)).toContain(FOREIGN);
        t = await createTestStack({ programDir: PROGRAM, env: labSecretEnv(lab), config: { ...ca.programConfig(), method: { value: JSON.stringify({ includeGroups: ["WHfB Pilot Users"], isAttestationEnforced: true }) } } });
    }, 120_000);

    afterAll(async () => {
        await t?.stack.destroy().catch(() => undefined);
        await t?.dispose();
        // the lab's one configuration: back to how this file found it
        if (before) await ca.admin("POST", "/_emulator/seed", { authenticationMethodConfigurations: [before] });
        await ca.close();
    }, 300_000);

    test("create adds the pilot group next to the foreign target and sets the declared setting", async () => {
        const up = await t.stack.up({ onOutput });
        expect(up.outputs.ownedGroupIds.value).toEqual([SEED.groups.whfbPilotUsers]);
        expect(await targets()).toEqual([FOREIGN, SEED.groups.whfbPilotUsers]);
        expect((await config()).isAttestationEnforced).toBe(true);
        await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
    });

    test("update: another pilot group and key restrictions; the foreign target stays", async () => {
        await configure({ includeGroups: ["WHfB Pilot"], isAttestationEnforced: true, keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY] } });
        const up = await t.stack.up({ onOutput });
        expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
        expect(await targets()).toEqual([FOREIGN, SEED.groups.whfbPilot]);
        expect((await config()).keyRestrictions).toEqual({ isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY] });
    });

    test("drift: the pilot target removed and a setting flipped by hand are named in preview --refresh and repaired by up", async () => {
        await editByHand((c) => { c.includeTargets = c.includeTargets.filter((x: any) => x.id !== SEED.groups.whfbPilot); c.isAttestationEnforced = false; });
        const pv = await t.stack.preview({ refresh: true, diff: true, onOutput });
        expect(pv.changeSummary.update).toBe(1);
        expect(pv.stdout).toMatch(/~ isAttestationEnforced\s*: false => true/);
        expect(pv.stdout).toMatch(/includeGroups[\s\S]*"WHfB Pilot"/);
        await t.stack.up({ refresh: true, onOutput });
        expect(await targets()).toEqual([FOREIGN, SEED.groups.whfbPilot]);
        expect((await config()).isAttestationEnforced).toBe(true);
        await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
    });

    test("an unknown group fails preview naming it; nothing is sent to the configuration", async () => {
        const since = Date.now();
        await configure({ includeGroups: ["WHfB Pilot", "No Such Pilot Group"], isAttestationEnforced: true });
        const err = await t.stack.preview({ onOutput }).then(() => undefined, (e) => e);
        expect(String(err)).toContain('includeGroups[1] "No Such Pilot Group": no group is named "No Such Pilot Group"');
        const requests = (await ca.admin("GET", "/_emulator/requests")).value.filter((r: any) => r.path === `/v1.0${CONFIG_PATH}` && r.at >= since);
        expect(requests).toEqual([]);
        await configure({ includeGroups: ["WHfB Pilot"], isAttestationEnforced: true, keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY] } });
    });

    test("destroy removes only the pilot target; the foreign target and the settings stay", async () => {
        const d = await t.stack.destroy({ onOutput });
        expect(d.summary.result).toBe("succeeded");
        expect(await targets()).toEqual([FOREIGN]);
        expect((await config()).keyRestrictions.aaGuids).toEqual([YUBIKEY]);
    });
});
