// Fido2SecurityKeyMethod's operations through the provider's Graph client against an in-process
// Graph emulator: the seeded foreign include target survives create, update, drift repair and
// delete; a stale write of another client landing after ours is repaired; an unknown group fails
// before any request to the configuration; the emulator refuses properties the CSDL does not define.
import { SEED } from "../../lab/emulator";
import { isProviderError, type ProviderError } from "../../provider/core/errors";
import { graphRequestRaw } from "../../provider/graph";
import { fido2Gateway, type Fido2Gateway } from "../../provider/fido2/gateway";
import { CONFIG_PATH, type Fido2SecurityKeyMethodInputs } from "../../provider/fido2/model";
import { createFido2, createLookups, deleteFido2, readFido2, updateFido2 } from "../../provider/fido2/operations";
import { startGraphLab, type GraphLab } from "./support/graph-lab";

let lab: GraphLab;
beforeAll(async () => { lab = await startGraphLab(); });
afterAll(async () => { await lab?.close(); });
afterEach(() => { lab.emu.faults.clear(); });

const FOREIGN = SEED.groups.helpdeskA;
const YUBIKEY = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
// no replica lag in this emulator: the settled reads need no spacing
const OPTS = { spacingMs: 0 };
const stored = () => lab.emu.state.get("authenticationMethodConfigurations", "Fido2");
const targets = () => stored().includeTargets.map((t: any) => t.id);
const configRequests = (mark: number) => lab.emu.requestLog.slice(mark).filter((r) => r.path === `/v1.0${CONFIG_PATH}`);
const gateway = (): Fido2Gateway => fido2Gateway(lab.client(), "test");
const inputs = (over: Partial<Fido2SecurityKeyMethodInputs>): Fido2SecurityKeyMethodInputs => ({ graph: lab.conn(), ...over });

async function failure(p: Promise<unknown>): Promise<ProviderError> {
    try { await p; } catch (e) { if (isProviderError(e)) return e; throw e; }
    throw new Error("expected a failure");
}

test("create, drift repair, update and delete change only this resource's targets and declared settings", async () => {
    const gw = gateway();
    expect(targets()).toEqual([FOREIGN]);
    const s1 = await createFido2(gw, inputs({ includeGroups: ["WHfB Pilot Users", FOREIGN], isAttestationEnforced: true }), OPTS);
    // the foreign group is wanted too, but it was there first: not ours
    expect(s1).toMatchObject({ groupIds: [SEED.groups.whfbPilotUsers, FOREIGN], ownedGroupIds: [SEED.groups.whfbPilotUsers] });
    expect(targets()).toEqual([FOREIGN, SEED.groups.whfbPilotUsers]);
    expect(stored()).toMatchObject({ isAttestationEnforced: true, isSelfServiceRegistrationAllowed: true, state: "enabled" });

    // drift: someone removes our target and flips our setting in "the portal"
    lab.emu.state.update("authenticationMethodConfigurations", "Fido2", (c) => {
        c.includeTargets = c.includeTargets.filter((t: any) => t.id !== SEED.groups.whfbPilotUsers);
        c.isAttestationEnforced = false;
    });
    const seen = await readFido2(gw, s1, OPTS);
    expect(seen).toMatchObject({ includeGroups: [FOREIGN], groupIds: [FOREIGN], ownedGroupIds: [], isAttestationEnforced: false });
    const s2 = await updateFido2(gw, seen, inputs({ includeGroups: ["WHfB Pilot Users", FOREIGN], isAttestationEnforced: true }), OPTS);
    expect(s2.ownedGroupIds).toEqual([SEED.groups.whfbPilotUsers]);
    expect(targets()).toEqual([FOREIGN, SEED.groups.whfbPilotUsers]);
    expect(stored().isAttestationEnforced).toBe(true);

    // update: another pilot group, key restrictions by AAGUID; the foreign group is no longer wanted but stays
    const s3 = await updateFido2(gw, s2, inputs({ includeGroups: ["WHfB Pilot"], isAttestationEnforced: true, keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY] } }), OPTS);
    expect(s3.ownedGroupIds).toEqual([SEED.groups.whfbPilot]);
    expect(targets()).toEqual([FOREIGN, SEED.groups.whfbPilot]);
    expect(stored().keyRestrictions).toEqual({ isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY] });

    // delete: only our target goes; the settings stay as they are (destroy restores nothing)
    await deleteFido2(gw, s3, OPTS);
    expect(targets()).toEqual([FOREIGN]);
    expect(stored()).toMatchObject({ isAttestationEnforced: true, keyRestrictions: { isEnforced: true, aaGuids: [YUBIKEY] } });
    lab.emu.state.update("authenticationMethodConfigurations", "Fido2", (c) => { c.isAttestationEnforced = false; c.keyRestrictions = { isEnforced: false, enforcementType: "block", aaGuids: [] }; });
});

test("another client's stale write landing right after ours drops our target: the read-back sees it missing and we merge again", async () => {
    const gw = gateway();
    let raced = false;
    const racing: Fido2Gateway = {
        ...gw,
        async patchOnce(body, attempt) {
            const r = await gw.patchOnce(body, attempt);
            if (!raced) {
                raced = true; // the other client read before our write and sends its list now: ours is gone
                lab.emu.state.update("authenticationMethodConfigurations", "Fido2", (c) => { c.includeTargets = c.includeTargets.filter((t: any) => t.id === FOREIGN); });
            }
            return r;
        },
    };
    const mark = lab.emu.requestLog.length;
    const s = await createFido2(racing, inputs({ includeGroups: ["WHfB Pilot Users"] }), OPTS);
    expect(targets()).toEqual([FOREIGN, SEED.groups.whfbPilotUsers]);
    expect(configRequests(mark).filter((r) => r.method === "PATCH")).toHaveLength(2);
    expect(s.ownedGroupIds).toEqual([SEED.groups.whfbPilotUsers]);
    await deleteFido2(gw, s, OPTS);
    expect(targets()).toEqual([FOREIGN]);
});

test("a throttled write is not re-sent: the configuration is read again and a new body merged", async () => {
    const gw = gateway();
    lab.emu.faults.add({ method: "PATCH", path: `/v1.0${CONFIG_PATH}`, status: 429, times: 1, retryAfter: 0 });
    const mark = lab.emu.requestLog.length;
    const s = await createFido2(gw, inputs({ includeGroups: ["WHfB Pilot Users"] }), OPTS);
    const methods = configRequests(mark).map((r) => `${r.method} ${r.status}`);
    expect(methods.filter((m) => m.startsWith("PATCH"))).toEqual(["PATCH 429", "PATCH 204"]);
    // a fresh read between the two attempts
    const firstPatch = methods.indexOf("PATCH 429");
    expect(methods.slice(firstPatch + 1, methods.indexOf("PATCH 204"))).toContain("GET 200");
    await deleteFido2(gw, s, OPTS);
    expect(targets()).toEqual([FOREIGN]);
});

test("an unknown group fails naming it, before any request to the configuration", async () => {
    const mark = lab.emu.requestLog.length;
    const e = await failure(createLookups(gateway(), inputs({ includeGroups: ["WHfB Pilot Users", "No Such Pilot"] })));
    expect(e.input).toBe("includeGroups[1]");
    expect(e.message).toContain('includeGroups[1] "No Such Pilot": no group is named "No Such Pilot"');
    const e2 = await failure(createFido2(gateway(), inputs({ includeGroups: ["No Such Pilot"] }), OPTS));
    expect(e2.input).toBe("includeGroups[0]");
    expect(configRequests(mark)).toEqual([]);
});

test("the emulator refuses a property the v1.0 CSDL does not define on the type, with Graph's error shape", async () => {
    const e = await graphRequestRaw(lab.client(), { method: "PATCH", version: "v1.0", path: CONFIG_PATH, body: { "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", isSelfServiceSetupAllowed: true } })
        .then(() => undefined, (x) => x);
    expect(isProviderError(e)).toBe(true);
    expect(e.httpStatus).toBe(400);
    expect(e.message).toContain("'isSelfServiceSetupAllowed' does not exist on type 'microsoft.graph.fido2AuthenticationMethodConfiguration'");
    expect(stored().isSelfServiceSetupAllowed).toBeUndefined();
});
