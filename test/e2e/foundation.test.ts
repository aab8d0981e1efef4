// The real Pulumi CLI (built from source) drives a small dynamic resource against the lab:
// up, a no-change preview, drift found by refresh and repaired, destroy. Nothing secret is stored.
import * as path from "node:path";
import { Attribute, Change } from "ldapts";
import { createTestStack, TestStack } from "../support/stack";
import { requireLab, labCa, labSecretEnv, labSecretValues, withAdminLdap } from "../support/lab";

const PROGRAM = path.join(__dirname, "programs/lab-group");

describe("real Pulumi engine against the lab", () => {
    const lab = requireLab();
    const corp = lab.forests[0];
    const groupName = `e2e-${process.pid}`;
    const dn = `CN=${groupName},CN=Users,${corp.baseDn}`;
    let t: TestStack;
    const output: string[] = [];
    const onOutput = (s: string) => { output.push(s); };
    const description = async () => withAdminLdap(lab, corp, async (c) => {
        const r = await c.search(corp.baseDn, { filter: `(sAMAccountName=${groupName})`, attributes: ["description"] });
        return r.searchEntries.map((e) => e.description);
    });

    beforeAll(async () => {
        t = await createTestStack({
            programDir: PROGRAM,
            env: labSecretEnv(lab),
            config: {
                domain: { value: corp.domain }, groupName: { value: groupName }, description: { value: "managed by e2e" },
                ldapsUrl: { value: corp.ldapsUrl }, username: { value: corp.adminUpn }, passwordEnv: { value: corp.adminPasswordEnv },
                caCertificate: { value: labCa(lab) },
            },
        });
    }, 120_000);
    afterAll(async () => { await t?.dispose(); });

    test("up creates the group on the DC", async () => {
        const up = await t.stack.up({ onOutput });
        expect(up.summary.result).toBe("succeeded");
        expect(up.outputs.dn.value).toBe(dn);
        expect(await description()).toEqual(["managed by e2e"]);
    }, 300_000);

    test("preview right after up has no changes (--expect-no-changes)", async () => {
        const pv = await t.stack.preview({ expectNoChanges: true, onOutput });
        expect(pv.changeSummary).toEqual({ same: 2 });
    }, 300_000);

    test("drift made on the DC shows in preview --refresh and up repairs it", async () => {
        await withAdminLdap(lab, corp, (c) => c.modify(dn, [new Change({ operation: "replace", modification: new Attribute({ type: "description", values: ["changed by hand"] }) })]));
        const pv = await t.stack.preview({ refresh: true, diff: true, onOutput });
        expect(pv.changeSummary.update).toBe(1);
        expect(pv.stdout).toMatch(/description.*changed by hand.*managed by e2e|changed by hand[\s\S]*managed by e2e/);
        await t.stack.up({ refresh: true, onOutput });
        expect(await description()).toEqual(["managed by e2e"]);
        await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
    }, 300_000);

    test("state holds references, never the lab's secrets", async () => {
        const state = JSON.stringify(await t.exportState());
        expect(state).toContain(`"env":"${corp.adminPasswordEnv}"`);
        for (const secret of labSecretValues(lab)) {
            expect(state).not.toContain(secret);
            expect(output.join("")).not.toContain(secret);
        }
    });

    test("destroy removes the group from the DC", async () => {
        const d = await t.stack.destroy({ onOutput });
        expect(d.summary.result).toBe("succeeded");
        expect(await description()).toEqual([]);
    }, 300_000);
});
