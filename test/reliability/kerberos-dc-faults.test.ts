// AD and publisher faults for AzureADKerberosServer through the real Pulumi CLI, against the
// reliability lab's corp and contoso DCs (this suite's own: stopping them disturbs nobody):
//   - the first DC in `urls` refuses connections and the second never answers: failover;
//   - a DC stopped during create (after the AD objects are written), during a rotation (after the
//     new key is set on-prem) and during an allow-list update (mid-connection);
//   - the publisher failing between the on-prem rotation and the cloud publish;
//   - a DC restarted from a snapshot taken before the last rotation (its key rolled back).
// Each time: the failing `up` says what happened, nothing is half-created without being reported
// (refresh names it as drift), the next `up` converges, and every object exists exactly once.
import type { LabForest } from "../../lab/layout";
import { readDc, readKeyVersion, sameDnSet } from "../support/kerberos-lab";
import type { TestStack } from "../support/stack";
import { declare, failureText, reliabilityStack, serverArgs } from "./support/inputs";
import {
    armPublisherFault, clearPublisherFaults, cloudRecord, forest, publisherFaults, reliabilityLab, restoreDc, snapshotDc, startLabDc, stopLabDc, until,
} from "./support/lab";
import { faultScenario } from "./support/results";
import { deadPort, silentListener, TlsRecordProxy } from "./support/tls-proxy";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

jest.setTimeout(300_000);

const lab = reliabilityLab();
const corp = forest(lab, "corp");
const contoso = forest(lab, "contoso");
const proxy = new TlsRecordProxy({ host: contoso.ip, port: 636 });
const snapshotDir = fs.mkdtempSync(path.join(os.tmpdir(), "reliability-dc-snapshot-"));
const output: string[] = [];
const onOutput = (s: string) => { output.push(s); };
let t: TestStack;
let proxyUrl = "";
let deadUrl = "";
let silent: Awaited<ReturnType<typeof silentListener>>;

/** corp: rotations always forced (this test rotates several times within 24 hours on purpose). */
let corpRotation: Record<string, unknown> = { force: true };
let contosoUrls: string[] = [];
let contosoAllowed = ["Domain Users"];
const servers = () => ({
    servers: [
        { name: "corp", args: serverArgs(lab, corp, { keyRotation: corpRotation }) },
        {
            name: "contoso", args: (() => {
                const a = serverArgs(lab, contoso, { allowedGroups: contosoAllowed });
                // behind the proxy the DC's certificate is checked against its host name
                return { ...a, directory: { ...a.directory, urls: contosoUrls, tlsServerName: contoso.dcHostName, timeoutMs: 3000 } };
            })(),
        },
    ],
});

async function onceEach(f: LabForest): Promise<void> {
    const dc = await readDc(lab, f);
    expect([dc.computers.length, dc.krbtgts.length, dc.scps.length]).toEqual([1, 1, 1]);
}

/** Starts `op`, waits until the lab publisher is paused at the armed delay, stops the DC, then lets `op` finish. */
async function stopDcDuring<T>(f: LabForest, op: Promise<T>): Promise<T> {
    await until(`the lab publisher to pause for ${f.domain}`, async () => !(await publisherFaults(lab)).some((x) => x.domain === f.domain && x.point === "delay"), 120_000, 100);
    await stopLabDc(lab, f);
    return op;
}

beforeAll(async () => {
    proxyUrl = await proxy.start();
    deadUrl = `ldaps://127.0.0.1:${await deadPort()}`;
    silent = await silentListener();
    contosoUrls = [deadUrl, silent.url, proxyUrl];
    t = await reliabilityStack(lab, servers());
}, 120_000);

afterAll(async () => {
    await clearPublisherFaults(lab).catch(() => undefined);
    for (const f of [corp, contoso]) await startLabDc(lab, f).catch(() => undefined); // whatever a failed test left stopped
    proxy.reset();
    await t?.stack.destroy({ onOutput }).catch(() => undefined);
    await t?.dispose();
    await proxy.stop();
    await silent?.stop();
    fs.rmSync(snapshotDir, { recursive: true, force: true });
}, 300_000);

test("create: contoso fails over past a refused and a silent DC; corp's DC stops after its AD objects are written; the next up converges", async () => {
    await armPublisherFault(lab, { domain: corp.domain, point: "delay", at: "afterAdObjects", delayMs: 12_000 });
    const text = await failureText(stopDcDuring(corp, t.stack.up({ onOutput, continueOnError: true })));
    await faultScenario("ldap", "first DC in urls refuses connections, the second accepts and never answers: failover to the third", async () => {
        expect(silent.connections()).toBeGreaterThan(0);
        expect(text).not.toMatch(/contoso\.lab\.test/); // contoso was created, quietly
        await onceEach(contoso);
    });
    await faultScenario("ldap", "DC stopped during create, after the AD objects were written; next up converges", async () => {
        // honest: names the domain and the step, and says the next up adopts what was written
        expect(text).toMatch(/publishing the Kerberos server of corp\.lab\.test through the lab publisher .* failed/);
        expect(text).toMatch(/adopted by the next `pulumi up`/);
        await startLabDc(lab, corp);
        expect(cloudRecord(lab, corp.domain)).toBeUndefined(); // the cloud half never happened
        const up = await t.stack.up({ onOutput });
        expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
        expect(up.outputs.servers.value.corp).toMatchObject({ inSync: true, cloudKeyVersion: cloudRecord(lab, corp.domain)!.keyVersion });
        await onceEach(corp);
        return "failed honestly, converged on the next up";
    });
});

test("the publisher fails between the on-prem rotation and the cloud publish: refresh names the two versions, up repairs", async () => {
    await faultScenario("publisher", "failure between on-prem rotation and cloud publish: drift named, repaired", async () => {
        await snapshotDc(lab, corp, snapshotDir); // for the restore test below: the key as it is now
        const published = cloudRecord(lab, corp.domain)!.keyVersion;
        corpRotation = { force: true, trigger: "rotate-1" };
        await declare(t, servers());
        await armPublisherFault(lab, { domain: corp.domain, point: "afterRotation" });
        const text = await failureText(t.stack.up({ onOutput }));
        expect(text).toMatch(/Injected fault for corp\.lab\.test: failing after the key was rotated in Active Directory/);
        const onPrem = await readKeyVersion(lab, corp);
        expect(onPrem).toBeGreaterThan(published);
        expect(cloudRecord(lab, corp.domain)!.keyVersion).toBe(published);

        const pv = await t.stack.preview({ refresh: true, diff: true, onOutput });
        expect(pv.stdout).toContain(`key version on-prem ${onPrem} ≠ cloud ${published}`);
        const up = await t.stack.up({ refresh: true, onOutput });
        expect(up.outputs.servers.value.corp).toMatchObject({ inSync: true });
        expect(cloudRecord(lab, corp.domain)!.keyVersion).toBe(await readKeyVersion(lab, corp));
        await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
        await onceEach(corp);
        return "failed honestly, reported as drift, repaired";
    });
});

test("corp's DC stops during a rotation, after the new key is set on-prem: the next up names the drift and repairs it", async () => {
    await faultScenario("ldap", "DC stopped during rotation (new key set on-prem, not yet read back or published); next up repairs", async () => {
        const published = cloudRecord(lab, corp.domain)!.keyVersion;
        corpRotation = { force: true, trigger: "rotate-2" };
        await declare(t, servers());
        await armPublisherFault(lab, { domain: corp.domain, point: "delay", at: "afterRotation", delayMs: 12_000 });
        const text = await failureText(stopDcDuring(corp, t.stack.up({ onOutput })));
        expect(text).toMatch(/corp\.lab\.test/);
        await startLabDc(lab, corp);
        const onPrem = await readKeyVersion(lab, corp);
        expect(onPrem).toBeGreaterThan(published); // rotated on-prem...
        expect(cloudRecord(lab, corp.domain)!.keyVersion).toBe(published); // ...not published
        const mark = output.length;
        const up = await t.stack.up({ refresh: true, diff: true, onOutput });
        expect(output.slice(mark).join("")).toMatch(new RegExp(`key version on-prem ${onPrem} ≠ cloud ${published}`));
        expect(up.outputs.servers.value.corp).toMatchObject({ inSync: true });
        await onceEach(corp);
        return "failed honestly, reported as drift, repaired";
    });
});

test("contoso's DC stops in the middle of an allow-list update: the next up finishes it", async () => {
    await faultScenario("ldap", "DC stopped mid-connection during an allow-list (PRP) update; next up converges", async () => {
        contosoUrls = [deadUrl, proxyUrl];
        contosoAllowed = ["Domain Users", "Domain Guests"];
        await declare(t, servers());
        // the update's connections: 0 reads, 1 writes the lists, 2 reads back. Stop the DC once the
        // write connection is bound and has searched (after its 3rd record), before it modifies.
        proxy.reset({ connection: 1, drop: { afterRecords: 3, mode: "hold", hold: () => stopLabDc(lab, contoso) } });
        const text = await failureText(t.stack.up({ onOutput }));
        expect(proxy.dropped).toBe(1);
        expect(text).toMatch(/contoso\.lab\.test/);
        expect(text).toMatch(/set allow\/deny lists of contoso\.lab\.test|no domain controller answered|connection was lost/);
        proxy.reset();
        await startLabDc(lab, contoso);
        const up = await t.stack.up({ refresh: true, onOutput });
        expect(up.outputs.servers.value.contoso).toMatchObject({ inSync: true });
        const dc = await readDc(lab, contoso);
        expect(sameDnSet(dc.allowed, contosoAllowed.map((g) => `CN=${g},CN=Users,${contoso.baseDn}`))).toBe(true);
        return "failed honestly, converged on the next up";
    });
});

test("corp's DC restarted from a snapshot older than its last rotations: refresh names the rolled-back key, up repairs", async () => {
    await faultScenario("ldap", "DC restarted from a snapshot (key rolled back on-prem): drift named, repaired", async () => {
        const cloud = cloudRecord(lab, corp.domain)!.keyVersion;
        await restoreDc(lab, corp, snapshotDir);
        const onPrem = await readKeyVersion(lab, corp);
        expect(onPrem).toBeLessThan(cloud);
        const pv = await t.stack.preview({ refresh: true, diff: true, onOutput });
        expect(pv.stdout).toContain(`key version on-prem ${onPrem} ≠ cloud ${cloud}`);
        const up = await t.stack.up({ refresh: true, onOutput });
        expect(up.outputs.servers.value.corp).toMatchObject({ inSync: true });
        expect(cloudRecord(lab, corp.domain)!.keyVersion).toBe(await readKeyVersion(lab, corp));
        await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
        await onceEach(corp);
        return "reported as drift, repaired";
    });
});

test("destroy removes both servers and their cloud records", async () => {
    proxy.reset();
    await t.stack.destroy({ onOutput });
    for (const f of [corp, contoso]) {
        expect(await readDc(lab, f)).toMatchObject({ computers: [], krbtgts: [], scps: [] });
        expect(cloudRecord(lab, f.domain)).toBeUndefined();
    }
});
