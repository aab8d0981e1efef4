// publisher.signIn "deferred" through the real Pulumi CLI against the lab (contoso): `up` stops with
// PublishDeferred printing the module commands; the admin runs them (the lab publisher stands in for
// Set-AzureADKerberosServer run by hand); the next `up` verifies and completes without publishing; a
// pull request's `preview --refresh` and a `refresh` then run with no cloud password anywhere and
// still show the key versions and where they came from. The provider never starts PowerShell here.
import * as path from "node:path";
import { createTestStack, type TestStack } from "../support/stack";
import { labSecretEnv, requireLab, expectNoLabSecret } from "../support/lab";
import { labCloudRecord, labManualPublisher, labServerInputs, readKeyVersion, readListClaims, clearListClaims } from "../support/kerberos-lab";

const PROGRAM = path.join(__dirname, "programs/kerberos-server");
const STEP = 180_000;

describe('AzureADKerberosServer with publisher.signIn "deferred"', () => {
    const lab = requireLab();
    const contoso = lab.forests.find((f) => f.name === "contoso")!;
    const admin = "kerberos-admin@lab.onmicrosoft.com";
    const args = labServerInputs(lab, contoso, { publisher: { type: "powershell", cloudUserPrincipalName: admin, signIn: { mode: "deferred" } } });
    const labPort = () => labManualPublisher(lab);
    const domainCredential = { username: contoso.adminUpn, password: lab.secrets[contoso.adminPasswordEnv] };
    let t: TestStack;
    const onOutput = () => undefined;

    async function failing(p: Promise<unknown>): Promise<string> {
        const e: any = await p.then(() => { throw new Error("expected the operation to fail"); }, (err) => err);
        return `${e?.message ?? ""}\n${e?.stdout ?? ""}\n${e?.stderr ?? ""}`;
    }


    beforeAll(async () => {
        await labPort().remove({ domain: contoso.domain, domainCredential }); // whatever an earlier run left
        await clearListClaims(lab, contoso);
        // the provider's environment: the directory and graph secrets, and no cloud (hybrid admin) password at all
        t = await createTestStack({ programDir: PROGRAM, env: labSecretEnv(lab) });
        await t.stack.setConfig("servers", { value: JSON.stringify([{ name: "contoso", args }]) });
    }, STEP);

    afterAll(async () => {
        await labPort().remove({ domain: contoso.domain, domainCredential }).catch(() => undefined);
        await clearListClaims(lab, contoso).catch(() => undefined); // the claim the deferred destroy kept
        await t?.dispose();
    }, STEP);

    test("the configuration holds no cloud password, and the provider's environment none either", () => {
        expect(JSON.stringify(args.publisher)).not.toMatch(/password/i);
        expect(Object.keys(labSecretEnv(lab)).some((k) => /HYBRID|CLOUD_PASSWORD/i.test(k))).toBe(false);
    });

    test("up stops with the deferred-publish error (PublishDeferred) printing the commands for contoso, with no secret", async () => {
        const text = await failing(t.stack.up({ onOutput }));
        expect(text).toContain(`publisher.signIn is "deferred", so this run does not sign in to Entra`);
        expect(text).toContain(`$domain = '${contoso.domain}'`);
        expect(text).toContain(`$userPrincipalName = '${admin}'`);
        expect(text).toContain("Set-AzureADKerberosServer -Domain $domain -UserPrincipalName $userPrincipalName -DomainCredential $domainCred");
        expectNoLabSecret(lab, [text]);
        expect(labCloudRecord(lab, contoso.domain)).toBeUndefined();
    }, STEP);

    test("after the admin's run by hand, the next up verifies and completes without publishing", async () => {
        const published = await labPort().set({ domain: contoso.domain, domainCredential });
        const up = await t.stack.up({ onOutput });
        expect(up.summary.result).toBe("succeeded");
        const o = up.outputs.results.value.contoso;
        expect(o).toMatchObject({
            inSync: true, driftReasons: [], cloudKeySource: "auditLog",
            keyVersion: await readKeyVersion(lab, contoso), cloudKeyVersion: published.CloudKeyVersion, cloudId: published.CloudId,
        });
        // nothing published by the provider: the lab's record is still the one the admin's run made
        expect(labCloudRecord(lab, contoso.domain)!.keyVersion).toBe(published.CloudKeyVersion);
    }, STEP);

    test("a pull request's preview --refresh (no cloud password anywhere) shows no changes; refresh reports the versions and their source", async () => {
        const pv = await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
        expect(pv.changeSummary).toEqual({ same: 2 });
        await t.stack.refresh({ onOutput });
        const o = (await t.stack.outputs()).results.value.contoso;
        expect(o).toMatchObject({ cloudKeySource: "auditLog", inSync: true, cloudKeyVersion: labCloudRecord(lab, contoso.domain)!.keyVersion });
        expect(o.keyVersion).toBe(o.cloudKeyVersion);
    }, STEP);

    test("destroy is deferred too: it prints the Remove command and leaves the server", async () => {
        const text = await failing(t.stack.destroy({ onOutput }));
        expect(text).toContain(`publisher.signIn is "deferred", so this run does not sign in to Entra`);
        expect(text).toContain("Remove-AzureADKerberosServer -Domain $domain -UserPrincipalName $userPrincipalName -DomainCredential $domainCred");
        expect(labCloudRecord(lab, contoso.domain)).toBeDefined();
        // nothing let go before the hand-over: this stack's list claim is still in AD
        expect(Object.keys(await readListClaims(lab, contoso))).toHaveLength(1);
    }, STEP);
});
