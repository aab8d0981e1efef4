// Graph faults through the real Pulumi CLI, against the reliability lab's emulator, for every
// resource that talks to Graph (CloudTrustPolicy, HostToRealmMapping, ConditionalAccessExclusion,
// and AzureADKerberosServer: its audit cross-check and the lab publisher's token):
//   1. create while writes are applied but their answer is lost (reset / 500 / hang after the
//      request was handled): the first `up` fails honestly, the next converges, nothing duplicated;
//   2. update while reads and writes meet 429 (with and without Retry-After), 500, 502, 503,
//      connection resets and token-endpoint failures: `up` survives them in one go (a hang before
//      the answer, on a read, is retried after the per-request timeout: graph-resilience.test.ts);
//   3. refresh under throttling finds nothing to change; 4. destroy with answers lost removes all.
// Each fault rule is checked to have fired, so a scenario cannot pass with its fault missing.
import { randomBytes } from "node:crypto";
import type { FaultRule } from "../../lab/emulator";
import { SEED } from "../../lab/emulator";
import type { TestStack } from "../support/stack";
import { cloudTrustArgs, declare, exclusionArgs, failureText, hostToRealmArgs, reliabilityStack, serverArgs, type Declared } from "./support/inputs";
import { readDc } from "../support/kerberos-lab";
import { seedForeignPolicy } from "./support/ca";
import { addFaults, clearFaults, clearPublisherFaults, cloudRecord, forest, listFaults, reliabilityLab, tenantState } from "./support/lab";
import { faultScenario } from "./support/results";

jest.setTimeout(300_000);

const lab = reliabilityLab();
const corp = forest(lab, "corp");
const run = randomBytes(3).toString("hex");
const names = { ctp: `rel-ctp-${run}`, h2r: `rel-h2r-${run}`, policy: `rel-ca-${run}` };
const POLICIES = "/beta/deviceManagement/configurationPolicies";
const DEVICE_CONFIGS = "/beta/deviceManagement/deviceConfigurations";
const TOKEN = `/${lab.emulator.tenantId}/oauth2/v2.0/token`;
let policyId = "";
let t: TestStack;
const output: string[] = [];
const onOutput = (s: string) => { output.push(s); };

function declared(step: 1 | 2): Declared {
    return {
        servers: [{ name: "corp", args: serverArgs(lab, corp, step === 2 ? { allowedGroups: ["Domain Users", "Domain Guests"] } : {}) }],
        cloudTrustPolicies: [{ name: "ctp", args: cloudTrustArgs(lab, names.ctp, step === 2 ? { description: "changed under faults" } : {}) }],
        hostToRealmMappings: [{
            name: "h2r", args: hostToRealmArgs(lab, names.h2r, step === 2
                ? { mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net", "files.corp.lab.test"] }] } : {}),
        }],
        exclusions: [{ name: "storage", args: exclusionArgs(lab, names.policy, { excludeGroups: step === 2 ? ["Storage Users", "WHfB Pilot"] : ["Storage Users"] }) }],
    };
}

/** How many objects of each kind carry this run's names: a duplicate shows up as 2. */
async function counts() {
    const s = await tenantState(lab);
    const named = (list: any[] | undefined, key: string, v: string) => (list ?? []).filter((x) => x[key] === v).length;
    const policy = (s.policies ?? []).find((p: any) => p.id === policyId);
    return {
        ctp: named(s.configurationPolicies, "name", names.ctp),
        h2r: named(s.deviceConfigurations, "displayName", names.h2r) + named(s.configurationPolicies, "name", names.h2r),
        storageUsersExcluded: (policy?.conditions.users.excludeGroups ?? []).filter((g: string) => g === SEED.groups.storageUsers).length,
    };
}

/** Arms the rules; returns a check that each one fired at least once. */
async function arm(rules: FaultRule[]): Promise<() => Promise<void>> {
    const ids = await addFaults(lab, rules);
    return async () => {
        const fired = (await listFaults(lab)).filter((f) => ids.includes(f.id));
        expect(fired.filter((f) => f.applied === 0).map((f) => `${f.method ?? "*"} ${f.path}`)).toEqual([]);
    };
}

beforeAll(async () => {
    policyId = await seedForeignPolicy(lab, names.policy);
    t = await reliabilityStack(lab, declared(1));
}, 120_000);

afterAll(async () => {
    await clearFaults(lab).catch(() => undefined);
    await clearPublisherFaults(lab).catch(() => undefined);
    await t?.stack.destroy({ onOutput }).catch(() => undefined);
    await t?.dispose();
}, 300_000);

afterEach(() => clearFaults(lab));

test("create with every write's answer lost: the first up fails honestly, the next converges with no duplicate", async () => {
    await faultScenario("graph", "create: answers of POST/PATCH lost (reset or hang after the write); next up converges without duplicates", async () => {
        const fired = await arm([
            { method: "POST", path: POLICIES, reset: true, after: true, times: 1 },
            { method: "POST", path: DEVICE_CONFIGS, hang: true, after: true, times: 1 }, // the per-request timeout, on a POST
            { method: "PATCH", path: `/v1.0/identity/conditionalAccess/policies/${policyId}`, reset: true, after: true, times: 1 },
            { method: "POST", path: "/lab/kerberos/set", reset: true, after: true, times: 1 },
        ]);
        // every resource's create runs, whatever fails first (else which ones ran would be timing)
        const text = await failureText(t.stack.up({ onOutput, continueOnError: true }));
        await fired();
        // honest: each failure names its resource and the call; a POST is never blindly repeated
        expect(text).toMatch(/CloudTrustPolicy "rel-ctp-\w+".*(ECONNRESET|UND_ERR_SOCKET|socket)/);
        expect(text).toMatch(/HostToRealmMapping "rel-h2r-\w+".*timed out after \d+ ms/);
        expect(text).toMatch(/lab publisher set corp\.lab\.test/);
        expect(await counts()).toMatchObject({ ctp: 1, h2r: 1 }); // the lost answers' writes happened

        await clearFaults(lab);
        const up = await t.stack.up({ onOutput });
        expect(up.summary.result).toBe("succeeded");
        expect(await counts()).toEqual({ ctp: 1, h2r: 1, storageUsersExcluded: 1 }); // adopted, not duplicated
        const dc = await readDc(lab, corp);
        expect([dc.computers.length, dc.krbtgts.length, dc.scps.length]).toEqual([1, 1, 1]);
        expect(up.outputs.servers.value.corp).toMatchObject({ inSync: true, cloudKeyVersion: cloudRecord(lab, corp.domain)!.keyVersion });
        return "failed honestly, converged on the next up";
    });
});

test("update under 429 with and without Retry-After, 500, 502, 503, resets and token-endpoint failures: up survives in one go", async () => {
    await declare(t, declared(2));
    const rules: [string, FaultRule][] = [
        ["429 without Retry-After on an Intune read", { method: "GET", path: `${POLICIES}/*`, status: 429, times: 2 }],
        ["429 with Retry-After on an Intune write", { method: "PUT", path: `${POLICIES}/*`, status: 429, retryAfter: 1, times: 1 }],
        ["503 with Retry-After on a PATCH", { method: "PATCH", path: `${DEVICE_CONFIGS}/*`, status: 503, retryAfter: 1, times: 1 }],
        ["500 on a group lookup", { method: "GET", path: "/v1.0/groups", status: 500, times: 1 }],
        ["502 on a group lookup", { method: "GET", path: "/v1.0/groups", status: 502, times: 1 }],
        ["503 without Retry-After on a Conditional Access read", { method: "GET", path: "/v1.0/identity/conditionalAccess/policies*", status: 503, times: 1 }],
        ["connection reset on the audit log read", { method: "GET", path: "/v1.0/auditLogs/directoryAudits", reset: true, times: 1 }],
        ["token endpoint 503", { method: "POST", path: TOKEN, status: 503, times: 1 }],
        ["token endpoint 500", { method: "POST", path: TOKEN, status: 500, times: 1 }],
        ["token endpoint connection reset", { method: "POST", path: TOKEN, reset: true, times: 1 }],
    ];
    const ids = await addFaults(lab, rules.map(([, r]) => r));
    const up = await t.stack.up({ onOutput }).catch((e) => e as Error);
    const applied = new Map((await listFaults(lab)).map((f) => [f.id, f.applied]));
    // one observation per fault: it fired, and the operation it hit still succeeded
    for (const [i, [name]] of rules.entries()) {
        await faultScenario("graph", `update: ${name}`, async () => {
            expect(applied.get(ids[i])).toBeGreaterThan(0);
            expect(up instanceof Error ? up.message : up.summary.result).toBe("succeeded");
            return "survived within the operation";
        });
    }
    if (up instanceof Error) throw up;
    expect(up.summary.resourceChanges).toMatchObject({ update: 4 });
    expect(await counts()).toEqual({ ctp: 1, h2r: 1, storageUsersExcluded: 1 });
});

test("the token endpoint down for a whole update: up fails saying so, the next up converges", async () => {
    await faultScenario("graph", "token endpoint down (503 on every request) during an update; next up converges", async () => {
        await declare(t, { ...declared(2), cloudTrustPolicies: [{ name: "ctp", args: cloudTrustArgs(lab, names.ctp, { description: "changed while the token endpoint was down" }) }] });
        const fired = await arm([{ method: "POST", path: TOKEN, status: 503 }]);
        const text = await failureText(t.stack.up({ onOutput }));
        await fired();
        // Entra's "try again", retried by @azure/identity and then reported as what it is (MSAL throttles further tries)
        expect(text).toMatch(/could not get a token: AADSTS90033: A transient error has occurred.*this is transient, run again/);
        expect(text).not.toContain("[object Object]");
        await clearFaults(lab);
        const up = await t.stack.up({ onOutput });
        expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
        expect(await counts()).toEqual({ ctp: 1, h2r: 1, storageUsersExcluded: 1 });
        return "failed honestly, converged on the next up";
    });
});

test("refresh under throttling of every read finds nothing to change", async () => {
    await faultScenario("graph", "refresh: 429 on every 2nd Graph read", async () => {
        const fired = await arm([
            { method: "GET", path: "/beta/*", status: 429, everyNth: 2 },
            { method: "GET", path: "/v1.0/*", status: 429, retryAfter: 0, everyNth: 2 },
        ]);
        await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
        await fired();
    });
});

test("destroy with the answers of deletes lost removes everything once", async () => {
    await faultScenario("graph", "destroy: answers of DELETE/remove lost (500 after, reset after); the next destroy finishes", async () => {
        const fired = await arm([
            { method: "DELETE", path: `${POLICIES}/*`, status: 500, after: true, times: 1 },
            { method: "DELETE", path: `${DEVICE_CONFIGS}/*`, reset: true, after: true, times: 1 },
            { method: "POST", path: "/lab/kerberos/remove", reset: true, after: true, times: 1 },
        ]);
        const first = await t.stack.destroy({ onOutput, continueOnError: true }).then(() => "", (e) => String(e?.message ?? e));
        await fired();
        await clearFaults(lab);
        if (first) await t.stack.destroy({ onOutput }); // whatever failed honestly goes now
        expect(await counts()).toMatchObject({ ctp: 0, h2r: 0, storageUsersExcluded: 0 });
        const dc = await readDc(lab, corp);
        expect([dc.computers.length, dc.krbtgts.length, dc.scps.length]).toEqual([0, 0, 0]);
        expect(cloudRecord(lab, corp.domain)).toBeUndefined();
        return first ? "failed honestly, finished on the next destroy" : "survived within the operation";
    });
});
