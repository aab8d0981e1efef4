// The readiness gate: a wave's gate refuses, naming the domains and each blocking finding, while the
// readiness report of the wave's domains blocks; it passes on warnings; preview (diff) and up
// (create, update) refuse alike; bad gate input and a bad `readinessGate` value are refused in check,
// naming the field, before any report runs.
import { cloudKerberosTrustConfigErrors } from "../../../provider/components/cloud-kerberos-trust-config";
import { MAX_NAMED_FINDINGS, readinessRefusal, type ReadinessGateInput } from "../../../provider/components/readiness-gate";
import { finding, verdictOf, type Finding } from "../../../provider/readiness/findings";
import { setReportRunner, waveGateProvider } from "../../../provider/resources/wave-gate-impl";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const spec = () => ({
    graph: {
        tenantId: "7b0f2c3e-5d1a-4c8e-9f60-1a2b3c4d5e6f",
        credential: { type: "clientSecret", clientId: "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c", clientSecret: { env: "LAB_GRAPH_CLIENT_SECRET" } },
        graphEndpoint: "https://127.0.0.1:47443", authorityHost: "https://127.0.0.1:47443", caCertificate: PEM,
    },
    forests: [{
        name: "corp", wave: 1, domains: [{
            domain: "corp.lab.test",
            directory: { urls: ["ldaps://127.0.0.2:636"], username: "Administrator@corp.lab.test", password: { env: "LAB_CORP_ADMIN_PASSWORD" }, caCertificate: PEM },
            publisher: { type: "lab", endpoint: "https://127.0.0.1:47443/lab/kerberos", caCertificate: PEM },
        }],
    }],
});
const readiness = (): ReadinessGateInput => ({ spec: spec(), pilotGroups: ["WHfB Pilot Users"] });
const inputs = () => ({ wave: 1, domains: [{ name: "corp/corp.lab.test", inSync: true, driftReasons: [] as string[] }], readiness: readiness() });
const tier0 = finding("user-in-denied-group", "rd-tier0@corp.lab.test", { domain: "corp.lab.test", pilotGroup: "WHfB Pilot Users", facts: { deniedGroups: ["Domain Admins"] } });
const oldKey = finding("kerberos-key-old", "corp.lab.test", { domain: "corp.lab.test", facts: { keyAgeDays: 200, maxAgeDays: 180 } });

/** The report runner the gate calls, answering `findings`, and the inputs it was called with. */
function reportWith(findings: Finding[]) {
    const calls: ReadinessGateInput[] = [];
    setReportRunner(async (input) => { calls.push(input); return { verdict: verdictOf(findings), findings }; });
    return calls;
}

afterEach(() => setReportRunner());

describe("readinessRefusal", () => {
    test("names the wave, its domains and each blocking finding with its object and denied groups", () => {
        expect(readinessRefusal(1, ["corp/corp.lab.test"], { findings: [tier0, oldKey, finding("user-not-synchronised", "rd-cloudonly@lab.test", { pilotGroup: "WHfB Pilot Users" })] })).toBe(
            "wave 1 is not ready: the readiness report of corp/corp.lab.test has 2 blocking findings: " +
            "corp.lab.test: user-in-denied-group rd-tier0@corp.lab.test (Domain Admins); pilot group \"WHfB Pilot Users\": user-not-synchronised rd-cloudonly@lab.test. " +
            "Later waves are held back until `npm run readiness` reports none for these domains");
    });

    test("warnings and info do not refuse; beyond the named findings the rest are counted", () => {
        expect(readinessRefusal(1, ["corp/corp.lab.test"], { findings: [oldKey, finding("dc-not-windows", "dc1.corp.lab.test", { domain: "corp.lab.test" })] })).toBeUndefined();
        const many = Array.from({ length: MAX_NAMED_FINDINGS + 5 }, (_, i) => finding("user-disabled", `u${i}@corp.lab.test`, { domain: "corp.lab.test" }));
        const message = readinessRefusal(2, ["corp/corp.lab.test"], { findings: many })!;
        expect(message).toContain(`has ${MAX_NAMED_FINDINGS + 5} blocking findings`);
        expect(message).toContain(`u${MAX_NAMED_FINDINGS - 1}@corp.lab.test; and 5 more.`);
        expect(message).not.toContain(`u${MAX_NAMED_FINDINGS}@`);
    });
});

describe("WaveGate with readiness", () => {
    test("create and update refuse with WaveNotReady while the wave's report blocks", async () => {
        const calls = reportWith([tier0]);
        await expect(waveGateProvider.create(inputs())).rejects.toMatchObject({ code: "WaveNotReady", message: expect.stringContaining("rd-tier0@corp.lab.test (Domain Admins)") });
        await expect(waveGateProvider.update("wave-1", inputs(), inputs())).rejects.toMatchObject({ code: "WaveNotReady" });
        expect(calls[0]).toEqual(readiness());
    });

    test("an out-of-sync wave is refused for that first, without running the report", async () => {
        const calls = reportWith([tier0]);
        const i = inputs();
        i.domains[0] = { ...i.domains[0], inSync: false, driftReasons: ["key version on-prem 9 ≠ cloud 7"] };
        await expect(waveGateProvider.create(i)).rejects.toMatchObject({ code: "WaveNotInSync" });
        expect(calls).toHaveLength(0);
    });

    test("a report with warnings only passes, and the gate records its verdict", async () => {
        reportWith([oldKey]);
        const r = await waveGateProvider.create(inputs());
        expect(r.outs).toMatchObject({ wave: 1, readinessVerdict: "warnings", readiness: readiness() });
    });

    test("diff (what a preview calls) refuses the same way, even while the wave's verdicts are unknown", async () => {
        reportWith([tier0]);
        const olds = { ...inputs(), readinessVerdict: "ready" };
        const news = { ...inputs(), domains: [{ name: "corp/corp.lab.test", inSync: UNKNOWN, driftReasons: UNKNOWN }] };
        await expect(waveGateProvider.diff("wave-1", olds, news)).rejects.toMatchObject({ code: "WaveNotReady" });
    });

    test("diff passes with no change when the report is clean and nothing else changed; without readiness no report runs", async () => {
        const calls = reportWith([]);
        expect(await waveGateProvider.diff("wave-1", { ...inputs(), readinessVerdict: "ready" }, inputs())).toMatchObject({ changes: false });
        expect(calls).toHaveLength(1);
        const { readiness: _r, ...plain } = inputs();
        expect(await waveGateProvider.diff("wave-1", plain, plain)).toMatchObject({ changes: false });
        expect(await waveGateProvider.diff("wave-1", plain, inputs())).toMatchObject({ changes: true });
        expect(calls).toHaveLength(2);
    });

    test("check refuses a malformed readiness input naming the field, before any report runs", async () => {
        const calls = reportWith([tier0]);
        const bad = { ...inputs(), readiness: { spec: { ...spec(), forests: [] }, pilotGroups: [""], extra: 1 } };
        const failures = ((await waveGateProvider.check({}, bad)).failures ?? []).map((f) => f.property);
        expect(failures).toEqual(expect.arrayContaining(["readiness.extra", "readiness.pilotGroups", "readiness.spec.forests"]));
        expect((await waveGateProvider.check({}, { ...inputs(), readiness: "yes" })).failures).toEqual([{ property: "readiness", reason: "readiness must be { spec, pilotGroups }" }]);
        expect((await waveGateProvider.check({}, { ...inputs(), readiness: { spec: UNKNOWN, pilotGroups: [] } })).failures).toEqual([]);
        expect((await waveGateProvider.check({}, inputs())).failures).toEqual([]);
        expect(calls).toHaveLength(0);
    });
});

describe("readinessGate in the stack config", () => {
    test("true or false; anything else is refused naming cloudKerberosTrust.readinessGate", () => {
        expect(cloudKerberosTrustConfigErrors({ ...spec(), readinessGate: true })).toEqual([]);
        expect(cloudKerberosTrustConfigErrors({ ...spec(), readinessGate: "yes" }).map((e) => e.path)).toEqual(["cloudKerberosTrust.readinessGate"]);
    });
});
