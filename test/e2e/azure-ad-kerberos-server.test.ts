// AzureADKerberosServer through the real Pulumi CLI (built from source) against the lab: one server
// per lab forest (corp and fabrikam; contoso belongs to other tests), the acceptance list in
// order. What is on the DCs and in the lab's cloud is checked independently of the provider.
import * as path from "node:path";
import { createTestStack, type TestStack } from "../support/stack";
import { requireLab, labSecretEnv, labSecretValues } from "../support/lab";
import {
    builtinDeniedDns, clearPublisherFaults, editListByHand, injectPublisherFault, kerberosDns, labCloudRecord, labServerInputs, readDc,
    readKeyVersion, rotateOutOfBand, sameDnSet,
} from "../support/kerberos-lab";

const PROGRAM = path.join(__dirname, "programs/kerberos-server");
const STEP = 180_000;

describe("AzureADKerberosServer with the real Pulumi engine", () => {
    const lab = requireLab();
    const corp = lab.forests.find((f) => f.name === "corp")!;
    const fab = lab.forests.find((f) => f.name === "fabrikam")!;
    const forests = [corp, fab];
    let t: TestStack;
    const output: string[] = [];
    const errors: string[] = [];
    const onOutput = (s: string) => { output.push(s); };

    // Both passwords are SecretRefs to environment variables. (A { config } SecretRef also works, but
    // the engine stores the whole stack config, secrets included, as the inputs of the default
    // pulumi-nodejs provider, so `stack export --show-secrets` would print it; see the contract test.)
    const server = (f: typeof corp, extra: Record<string, unknown> = {}) => ({ name: f.name, args: labServerInputs(lab, f, extra) });
    const setServers = (list: { name: string; args: unknown }[]) => t.stack.setConfig("servers", { value: JSON.stringify(list) });
    const both = () => [server(corp), server(fab)];

    /** Runs an operation that must fail; returns its whole text (for honesty and secret checks). */
    async function failing(p: Promise<unknown>): Promise<string> {
        const e: any = await p.then(() => { throw new Error("expected the operation to fail"); }, (err) => err);
        const text = `${e?.message ?? ""}\n${e?.stdout ?? ""}\n${e?.stderr ?? ""}`;
        errors.push(text);
        return text;
    }

    beforeAll(async () => {
        t = await createTestStack({ programDir: PROGRAM, env: labSecretEnv(lab) });
        await setServers(both());
    }, STEP);

    afterAll(async () => {
        for (const f of forests) await clearPublisherFaults(lab, f.domain).catch(() => undefined);
        if (t) {
            await setServers(both()).catch(() => undefined);
            await t.stack.destroy({ onOutput }).catch(() => undefined);
            await t.dispose();
        }
    }, STEP);

    test("up creates one server per forest; outputs match an independent LDAP read and the lab's cloud record", async () => {
        const up = await t.stack.up({ onOutput });
        expect(up.summary.result).toBe("succeeded");
        expect(up.summary.resourceChanges).toEqual({ create: 3 });
        for (const f of forests) {
            const o = up.outputs.results.value[f.name];
            const dc = await readDc(lab, f);
            const cloud = labCloudRecord(lab, f.domain)!;
            expect(dc.krbtgts).toHaveLength(1);
            expect(dc.computers).toEqual([kerberosDns(f).computer]);
            expect(dc.scps).toEqual([kerberosDns(f).scp]);
            expect(o).toMatchObject({
                domainDnsName: f.domain, inSync: true, driftReasons: [],
                branchId: dc.krbtgts[0].branchId, userAccount: dc.krbtgts[0].dn, computerAccount: dc.computers[0],
                keyVersion: await readKeyVersion(lab, f), keyUpdatedFrom: f.dcHostName,
                cloudId: cloud.branchId, cloudKeyVersion: cloud.keyVersion, cloudDomainDnsName: cloud.domainDnsName, cloudKeyUpdatedOn: cloud.keyUpdatedOn,
                auditKeyVersion: cloud.keyVersion,
            });
            expect(sameDnSet(dc.allowed, [`CN=Domain Users,CN=Users,${f.baseDn}`])).toBe(true);
            expect(sameDnSet(dc.denied, builtinDeniedDns(f))).toBe(true);
        }
    }, STEP);

    test("preview --refresh --expect-no-changes passes right after", async () => {
        const pv = await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
        expect(pv.changeSummary).toEqual({ same: 3 });
    }, STEP);

    test("out-of-band rotation on corp: the preview updates exactly corp and names both key versions; up repairs it", async () => {
        const published = labCloudRecord(lab, corp.domain)!.keyVersion;
        const fabBefore = labCloudRecord(lab, fab.domain)!.keyVersion;
        await rotateOutOfBand(lab, corp);
        const onPrem = await readKeyVersion(lab, corp);
        expect(onPrem).toBeGreaterThan(published);

        const pv = await t.stack.preview({ refresh: true, diff: true, onOutput });
        expect(pv.changeSummary).toEqual({ same: 2, update: 1 });
        const reason = `key version on-prem ${onPrem} ≠ cloud ${published}`;
        // the refresh shows the observed change, the update shows the reason going away
        expect(pv.stdout).toMatch(new RegExp(`AzureADKerberosServer: \\(update\\)\\s*\\[id=${corp.domain.replace(/\./g, "\\.")}\\][\\s\\S]*driftReasons: \\[\\s*- \\[0\\]: "${reason}"`));
        expect(pv.stdout).toMatch(new RegExp(`keyVersion\\s*: ${published} => ${onPrem}`));
        expect(pv.stdout).not.toMatch(/\(update\)\s*\[id=fabrikam\.lab\.test\]/);

        const up = await t.stack.up({ refresh: true, onOutput });
        expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
        const o = up.outputs.results.value.corp;
        expect(o).toMatchObject({ inSync: true, driftReasons: [] });
        expect(o.keyVersion).toBeGreaterThan(onPrem!);   // rotated through the publisher: a new key, published
        expect(o.keyVersion).toBe(await readKeyVersion(lab, corp));
        expect(labCloudRecord(lab, corp.domain)!.keyVersion).toBe(o.keyVersion);
        expect(labCloudRecord(lab, fab.domain)!.keyVersion).toBe(fabBefore); // fabrikam untouched

        const again = await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
        expect(again.changeSummary).toEqual({ same: 3 });
    }, STEP);

    test("allow/deny lists edited by hand on the DC are reported and restored", async () => {
        const staffish = `CN=Domain Guests,CN=Users,${fab.baseDn}`;
        await editListByHand(lab, fab, "msDS-RevealOnDemandGroup", [`CN=Domain Users,CN=Users,${fab.baseDn}`, staffish]);
        await editListByHand(lab, fab, "msDS-NeverRevealGroup", builtinDeniedDns(fab).filter((d) => !d.startsWith("CN=Schema Admins")));

        const pv = await t.stack.preview({ refresh: true, diff: true, onOutput });
        expect(pv.changeSummary).toEqual({ same: 2, update: 1 });
        expect(pv.stdout).toContain(`allow list: ${staffish} not desired`);
        expect(pv.stdout).toContain(`deny list: CN=Schema Admins,CN=Users,${fab.baseDn} missing`);

        await t.stack.up({ refresh: true, onOutput });
        const dc = await readDc(lab, fab);
        expect(sameDnSet(dc.allowed, [`CN=Domain Users,CN=Users,${fab.baseDn}`])).toBe(true);
        expect(sameDnSet(dc.denied, builtinDeniedDns(fab))).toBe(true);
        await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
    }, STEP);

    test("Domain Admins in allowedGroups fails check with a clear message unless allowPrivilegedGroups", async () => {
        try {
            await setServers([server(corp, { allowedGroups: ["Domain Users", "Domain Admins"] }), server(fab)]);
            const text = await failing(t.stack.preview({ onOutput }));
            expect(text).toMatch(/allowedGroups\[1\] "Domain Admins" is Domain Admins, a privileged group/);
            expect(text).toMatch(/allowPrivilegedGroups: true/);

            await setServers([server(corp, { allowedGroups: ["Domain Users", "Domain Admins"], allowPrivilegedGroups: true }), server(fab)]);
            const pv = await t.stack.preview({ onOutput });
            expect(pv.changeSummary).toEqual({ same: 2, update: 1 }); // accepted (not applied)
        } finally {
            await setServers(both());
        }
    }, STEP);

    test("a publish that fails after the AD objects exist leaves an honest error; the next up converges without duplicates", async () => {
        await setServers([server(fab)]);
        await t.stack.up({ onOutput }); // corp's server is removed...
        expect(await readDc(lab, corp)).toMatchObject({ computers: [], krbtgts: [], scps: [] });

        await setServers(both());  // ...and declared again, while the lab publisher fails once after writing AD
        await injectPublisherFault(lab, corp.domain, "afterAdObjects");
        const text = await failing(t.stack.up({ onOutput }));
        expect(text).toMatch(/publishing the Kerberos server of corp\.lab\.test through the lab publisher .* failed: .*Injected fault.*before the Kerberos domain was published/);
        expect(text).toMatch(/next `pulumi up`, which converges without duplicates/);
        const half = await readDc(lab, corp);
        expect(half.krbtgts).toHaveLength(1);         // the AD objects exist...
        expect(labCloudRecord(lab, corp.domain)).toBeUndefined(); // ...the cloud record does not

        const up = await t.stack.up({ onOutput });
        expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
        expect(up.outputs.results.value.corp).toMatchObject({ inSync: true, branchId: half.krbtgts[0].branchId });
        const dc = await readDc(lab, corp);
        expect(dc.computers).toHaveLength(1);
        expect(dc.krbtgts).toHaveLength(1);
        expect(dc.scps).toHaveLength(1);
        await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
    }, STEP);

    test("no password, key or token in the state export, the engine output or the error texts", async () => {
        const state = JSON.stringify(await t.exportState());
        expect(state).toContain(`"env":"${corp.adminPasswordEnv}"`);
        expect(state).toContain(`"env":"${fab.adminPasswordEnv}"`);
        expect(state).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/); // no JWT
        expect(errors.length).toBeGreaterThanOrEqual(2);
        for (const secret of labSecretValues(lab)) {
            expect(state).not.toContain(secret);
            expect(output.join("")).not.toContain(secret);
            for (const e of errors) expect(e).not.toContain(secret);
        }
    });

    test("destroy removes the objects on both DCs and both cloud records", async () => {
        const d = await t.stack.destroy({ onOutput });
        expect(d.summary.result).toBe("succeeded");
        for (const f of forests) {
            expect(await readDc(lab, f)).toMatchObject({ computers: [], krbtgts: [], scps: [] });
            expect(labCloudRecord(lab, f.domain)).toBeUndefined();
        }
    }, STEP);
});
