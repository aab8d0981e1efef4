// The WaveGate provider: fails loudly when a domain of its wave is not in sync, and shows a change
// only when the wave's membership or a known verdict changed.
import { gateChanged, outOfSync, waveGateProvider } from "../../../provider/resources/wave-gate-impl";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const ok = (name: string) => ({ name, inSync: true, driftReasons: [] as string[] });

describe("WaveGate", () => {
    test("create passes when every domain of the wave is in sync", async () => {
        const r = await waveGateProvider.create({ wave: 1, domains: [ok("corp/corp.lab.test")] });
        expect(r).toEqual({ id: "wave-1", outs: { wave: 1, domains: [ok("corp/corp.lab.test")] } });
    });

    test("create and update fail naming every domain that is not in sync, and why", async () => {
        const inputs = { wave: 2, domains: [ok("fabrikam/fabrikam.lab.test"), { name: "contoso/contoso.lab.test", inSync: false, driftReasons: ["key version on-prem 9 ≠ cloud 7"] }] };
        await expect(waveGateProvider.create(inputs)).rejects.toMatchObject({
            code: "WaveNotInSync",
            message: expect.stringMatching(/^wave 2 is not complete: 1 of 2 domains not in sync: contoso\/contoso\.lab\.test \(key version on-prem 9 ≠ cloud 7\)\. Later waves are held back/),
        });
        await expect(waveGateProvider.update("wave-2", inputs, inputs)).rejects.toMatchObject({ code: "WaveNotInSync" });
        expect(outOfSync({ wave: 1, domains: [{ name: "x/x", inSync: undefined as any, driftReasons: [] }] })).toEqual(["x/x (no verdict)"]);
    });

    test("diff: membership and known verdicts count; a verdict unknown in preview does not", () => {
        const olds = { wave: 1, domains: [ok("corp/a"), ok("corp/b")] };
        expect(gateChanged(olds, { wave: 1, domains: [ok("corp/a"), ok("corp/b")] })).toBe(false);
        expect(gateChanged(olds, { wave: 1, domains: [ok("corp/a"), { name: "corp/b", inSync: UNKNOWN as any, driftReasons: UNKNOWN as any }] })).toBe(false);
        expect(gateChanged(olds, { wave: 1, domains: [ok("corp/a")] })).toBe(true);
        expect(gateChanged(olds, { wave: 1, domains: [ok("corp/a"), { ...ok("corp/b"), inSync: false }] })).toBe(true);
        expect(gateChanged(olds, { wave: 1, domains: UNKNOWN as any })).toBe(true);
    });

    test("check refuses a malformed wave; read returns the state as it is", async () => {
        expect((await waveGateProvider.check({}, { wave: 0, domains: [] })).failures).toEqual([{ property: "wave", reason: "wave must be a whole number of at least 1" }]);
        expect(await waveGateProvider.read("wave-1", { wave: 1, domains: [] })).toEqual({ id: "wave-1", props: { wave: 1, domains: [] } });
    });
});
