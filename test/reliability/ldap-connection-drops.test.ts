// An LDAP connection dropped mid-operation, at every point: the AzureADKerberosServer reconciler
// (create and update, as the provider runs them) against the reliability lab's fabrikam DC through a
// TLS-record proxy that drops the connection after the client's k-th request, for every k, with
// the request lost or only its answer lost. Each faulted run must succeed or fail with a
// ProviderError that says what failed (never a raw socket error, never a secret); the run after it,
// fault-free, must converge with exactly one of each object and the declared lists on the DC.
import { ProviderError } from "../../provider/core/errors";
import { newContext } from "../../provider/kerberos/context";
import type { AzureADKerberosServerInputs } from "../../provider/kerberos/model";
import { converge, readServer, removeServer } from "../../provider/kerberos/reconciler";
import { readDc, sameDnSet } from "../support/kerberos-lab";
import { forest, reliabilityLab } from "./support/lab";
import { serverArgs } from "./support/inputs";
import { faultScenario } from "./support/results";
import { TlsRecordProxy, type DropPlan } from "./support/tls-proxy";

jest.setTimeout(600_000);

const lab = reliabilityLab();
const fab = forest(lab, "fabrikam");
const proxy = new TlsRecordProxy({ host: fab.ip, port: 636 });
const ctx = () => newContext({ env: { ...process.env, ...lab.secrets }, callTimeoutMs: 30_000 });
const secrets = Object.values(lab.secrets);
let url = "";

const LISTS = [["Domain Users"], ["Domain Users", "Domain Guests"]];
const dn = (cn: string) => `CN=${cn},CN=Users,${fab.baseDn}`;
function inputs(allowed: string[]): AzureADKerberosServerInputs {
    // through the proxy, the DC's certificate is checked against its host name, not the proxy's address
    const a = serverArgs(lab, fab, { allowedGroups: allowed });
    return { ...a, directory: { ...a.directory, urls: [url], tlsServerName: fab.dcHostName, timeoutMs: 5000 } } as AzureADKerberosServerInputs;
}

async function expectConverged(allowed: string[]): Promise<void> {
    proxy.reset();
    const r = await converge(inputs(allowed), { existing: true }, ctx());
    expect(r.outputs).toMatchObject({ inSync: true, driftReasons: [] });
    const dc = await readDc(lab, fab);
    expect([dc.computers.length, dc.krbtgts.length, dc.scps.length]).toEqual([1, 1, 1]);
    expect(sameDnSet(dc.allowed, allowed.map(dn))).toBe(true);
}

/** A faulted run: success, or an honest ProviderError (a code, the DC named, no secret). */
async function faulted(run: () => Promise<unknown>): Promise<"survived" | "failed honestly"> {
    try {
        await run();
        return "survived";
    } catch (e) {
        expect(e).toBeInstanceOf(ProviderError);
        const err = e as ProviderError;
        expect(err.code).toMatch(/^Directory(ConnectionLost|Unreachable|Timeout)$|^KerberosServerNotInSync$/);
        expect(err.message).toMatch(/127\.0\.0\.1:\d+|no domain controller answered|not in sync/);
        for (const s of secrets) expect(err.message).not.toContain(s);
        return "failed honestly";
    }
}

beforeAll(async () => {
    url = await proxy.start();
    await removeServer(inputs(LISTS[0]), ctx()).catch(() => undefined);
});

afterAll(async () => {
    proxy.reset();
    await removeServer(inputs(LISTS[0]), ctx()).catch(() => undefined);
    await proxy.stop();
});

test("create: the provider's connection dropped after each of its requests, request or answer lost; the next run converges", async () => {
    // count the requests of a clean create's first connection (observe) and of the list write
    proxy.reset();
    await converge(inputs(LISTS[1]), { existing: false }, ctx());
    const perConnection = [...proxy.records];
    expect(perConnection.length).toBeGreaterThanOrEqual(3); // observe, lists, read back
    await removeServer(inputs(LISTS[1]), ctx());

    // the list write of a create (connection 1) is where a half-done server would be left behind
    const outcomes: string[] = [];
    for (let k = 0; k < perConnection[1]; k++) {
        for (const mode of ["requestLost", "answerLost"] as DropPlan["mode"][]) {
            await faultScenario("ldap", `create: connection dropped after request ${k} of the list write (${mode})`, async () => {
                proxy.reset({ connection: 1, drop: { afterRecords: k, mode } });
                const how = await faulted(() => converge(inputs(LISTS[1]), { existing: false }, ctx()));
                expect(proxy.dropped).toBeGreaterThan(0);
                outcomes.push(how);
                // not half-created: refresh reports the server exactly as it is
                proxy.reset();
                const seen = await readServer(inputs(LISTS[1]), {}, ctx());
                if (!seen.inSync) expect(seen.driftReasons.join("; ")).toMatch(/allow list/);
                await expectConverged(LISTS[1]);
                await removeServer(inputs(LISTS[1]), ctx());
                return how;
            });
        }
    }
    expect(outcomes).toContain("failed honestly");
});

test("update of the allow list: dropped after each request of every connection; the next run converges", async () => {
    proxy.reset();
    await converge(inputs(LISTS[0]), { existing: false }, ctx());
    proxy.reset();
    await converge(inputs(LISTS[1]), { existing: true }, ctx());
    const perConnection = [...proxy.records];
    let target = 0;
    for (let c = 0; c < perConnection.length; c++) {
        for (let k = 0; k < perConnection[c]; k++) {
            const mode: DropPlan["mode"] = k % 2 === 0 ? "answerLost" : "requestLost"; // both kinds, half the runs
            await faultScenario("ldap", `update: connection ${c} dropped after request ${k} (${mode})`, async () => {
                proxy.reset({ connection: c, drop: { afterRecords: k, mode } });
                const how = await faulted(() => converge(inputs(LISTS[target]), { existing: true }, ctx()));
                expect(proxy.dropped).toBeGreaterThan(0);
                await expectConverged(LISTS[target]);
                target = 1 - target; // every run changes the list, so every run has a write to interrupt
                return how;
            });
        }
    }
});
