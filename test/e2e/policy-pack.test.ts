// The CrossGuard policy pack (policy/) through the real Pulumi CLI: `pulumi preview --policy-pack
// policy/` on a program that declares exactly the offending input, one rule at a time. A compliant
// stack passes. Only the replacement rule needs a real server (created against the lab, destroyed after).
import * as path from "node:path";
import { createTestStack, type TestStack } from "../support/stack";
import { labCa, labSecretEnv, requireLab, expectNoLabSecret } from "../support/lab";
import { labServerInputs } from "../support/kerberos-lab";
import { failingText, REPO } from "../support/rollout-lab";

const PROGRAM = path.join(__dirname, "programs/declared");
const POLICY = path.join(REPO, "policy");
const STEP = 180_000;

describe("policy pack through the real CLI", () => {
    const lab = requireLab();
    const corp = lab.forests.find((f) => f.name === "corp")!;
    const fab = lab.forests.find((f) => f.name === "fabrikam")!;
    const texts: string[] = [];
    let t: TestStack;
    const graph = () => labServerInputs(lab, corp).graph;
    const compliantServer = (extra: Record<string, unknown> = {}) => ({ name: "corp", args: labServerInputs(lab, corp, { keyRotation: { maxAgeDays: 180 }, ...extra }) });
    const exclusion = (groups: string[]) => ({ name: "mfa", args: { graph: graph(), policy: "Require MFA for all users", excludeApplications: ["[Storage Account] labstorage.file.core.windows.net"], excludeGroups: groups } });
    const declare = async (servers: unknown[], exclusions: unknown[] = []) => {
        await t.stack.setConfig("servers", { value: JSON.stringify(servers) });
        await t.stack.setConfig("exclusions", { value: JSON.stringify(exclusions) });
    };
    const previewWithPolicy = () => t.stack.preview({ policyPacks: [POLICY] });
    const violation = async (rule: string, message: RegExp) => {
        const text = await failingText(previewWithPolicy());
        texts.push(text);
        expect(text).toMatch(new RegExp(`\\[mandatory\\]\\s+${rule}\\s`));
        expect(text).toMatch(message);
        return text;
    };

    beforeAll(async () => { t = await createTestStack({ programDir: PROGRAM, env: labSecretEnv(lab) }); }, STEP);
    afterAll(async () => {
        if (t) {
            await t.stack.destroy().catch(() => undefined);
            await t.dispose();
        }
    }, STEP);

    test("a compliant stack passes: rotation ≤ 180 days, LDAPS, no privileged group, break-glass excluded", async () => {
        await declare([compliantServer()], [exclusion(["Break Glass Admins"])]);
        const pv = await previewWithPolicy();
        expect(pv.changeSummary).toMatchObject({ create: 3 });
    }, STEP);

    test("key rotation: unset, and longer than 180 days, are both refused", async () => {
        await declare([{ name: "corp", args: labServerInputs(lab, corp) }]);
        await violation("kerberos-key-rotation-max-age", /corp: keyRotation\.maxAgeDays is not set, so the key of corp\.lab\.test is never rotated/);
        await declare([compliantServer({ keyRotation: { maxAgeDays: 365 } })]);
        await violation("kerberos-key-rotation-max-age", /corp: keyRotation\.maxAgeDays is 365; this organisation rotates Kerberos server keys at least every 180 days/);
    }, STEP);

    test("a privileged group in the allow list is refused even with allowPrivilegedGroups", async () => {
        await declare([compliantServer({ allowedGroups: ["Domain Users", "Enterprise Admins"], allowPrivilegedGroups: true })]);
        await violation("no-privileged-group-in-allow-list", /corp: allowedGroups\[1\] "Enterprise Admins" is a privileged group/);
    }, STEP);

    test("plain LDAP is refused outside the lab (loopback DCs are the lab)", async () => {
        const offLab = labServerInputs(lab, corp).directory;
        await declare([compliantServer({ directory: { ...offLab, urls: ["ldap://dc1.corp.example.com:389"], allowPlainLdap: true } })]);
        await violation("no-plain-ldap-outside-lab", /corp: directory url ldap:\/\/dc1\.corp\.example\.com:389 is plain LDAP outside the lab; use ldaps:\/\//);
        await declare([compliantServer({ directory: { ...offLab, urls: [`ldap://${corp.ip}:389`], allowPlainLdap: true } })]);
        const pv = await previewWithPolicy(); // the lab's own DC over plain LDAP: allowed by this rule
        expect(pv.changeSummary).toMatchObject({ create: 2 });
    }, STEP);

    test("Conditional Access exclusions without the break-glass group are refused", async () => {
        await declare([compliantServer()], [exclusion(["Storage Users"])]);
        await violation("ca-exclusions-keep-break-glass", /Conditional Access policy "Require MFA for all users" gets exclusions from mfa, but none of them excludes the break-glass group \(break glass admins\)/);
    }, STEP);

    test("replacing an AzureADKerberosServer (its domain changed) is flagged", async () => {
        await declare([compliantServer()]);
        const up = await t.stack.up();
        expect(up.summary.result).toBe("succeeded");
        await declare([{ name: "corp", args: labServerInputs(lab, fab, { keyRotation: { maxAgeDays: 180 } }) }]);
        await violation("no-kerberos-server-replacement", /corp: domain changes from corp\.lab\.test to fabrikam\.lab\.test, which replaces the Kerberos server/);
        // without the pack the engine would indeed replace it
        const pv = await t.stack.preview();
        expect(pv.changeSummary).toMatchObject({ replace: 1 });
        await declare([compliantServer()]);
        await t.stack.destroy();
    }, STEP);

    test("no secret in any policy output", () => {
        expect(labCa(lab)).toContain("BEGIN CERTIFICATE");
        expectNoLabSecret(lab, texts);
    });
});
