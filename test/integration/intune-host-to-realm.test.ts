// HostToRealmMapping's reconciler against the in-process Graph emulator: the custom OMA-URI
// delivery (masked values: drift through the description hash, the OMA rows and the value's secret
// reference), the settings catalog delivery once the tenant has a HostToRealm definition (added
// through the emulator's state, as the lab allows), adoption, and faults on every second write.
import { choiceDefinition, groupCollectionDefinition, MASKED_VALUE, SEED, simpleDefinition } from "../../lab/emulator";
import { isProviderError, ProviderError } from "../../provider/core/errors";
import { encodeHostToRealm, HOST_TO_REALM_OMA_URI, mappingsHash } from "../../provider/intune/host-to-realm";
import {
    checkHostToRealmMapping, createHostToRealmMapping, deleteHostToRealmMapping, diffHostToRealmMapping, readHostToRealmMapping, updateHostToRealmMapping,
    type CheckedHostToRealmInputs,
} from "../../provider/intune/host-to-realm-mapping";
import { markedDescription } from "../../provider/intune/marker";
import { FAST_RETRY, startGraphLab, type GraphLab } from "./support/graph-lab";
import { deleteItem, editAssignments, editPolicySettings, patchProfile, policiesNamed, profilesNamed } from "./support/portal";

const OPTS = { client: { retry: FAST_RETRY } };
const AZURE_FILES = { realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net", "Host.Contoso.com"] };
const CORP = { realm: "CORP.LAB.TEST", hosts: [SEED.storageAccountHost] };
const PAYLOAD = `<enabled/><data id="hosttorealm" value="CORP.LAB.TEST&#xF000;${SEED.storageAccountHost}&#xF000;KERBEROS.MICROSOFTONLINE.COM&#xF000;.file.core.windows.net;host.contoso.com"/>`;

let lab: GraphLab;
beforeAll(async () => { lab = await startGraphLab(); });
afterAll(async () => { await lab?.close(); });

let seq = 0;
const uniqueName = (label: string) => `H2R ${label} ${process.pid}-${++seq}`;

function checked(news: Record<string, unknown>): CheckedHostToRealmInputs {
    const r = checkHostToRealmMapping({ graph: lab.conn(), mappings: [AZURE_FILES, CORP], ...news });
    expect(r.failures).toEqual([]);
    return r.inputs;
}

async function refreshAndUp(id: string, state: Record<string, any>, news: CheckedHostToRealmInputs) {
    const refreshed = await readHostToRealmMapping(id, state, OPTS);
    if (refreshed.id === "") return { gone: true as const };
    const diff = diffHostToRealmMapping(refreshed.props, news);
    const outs = diff.changes ? await updateHostToRealmMapping(id, refreshed.props, news, OPTS) : refreshed.props;
    return { gone: false as const, refreshed: refreshed.props, refreshedInputs: refreshed.inputs ?? {}, diff, outs };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
    try { await p; } catch (e) { if (isProviderError(e)) return e; throw e; }
    throw new Error("expected a failure");
}

const profile = (id: string) => lab.emu.state.get("deviceConfigurations", id);
const policy = (id: string) => lab.emu.state.get("configurationPolicies", id);

describe("custom OMA-URI delivery (no HostToRealm definition in the catalog)", () => {
    test("create writes the ADMX payload in canonical order with its hash in the description; refresh finds no diff", async () => {
        const name = uniqueName("oma");
        const news = checked({ displayName: name, assignments: { allDevices: true } });
        const { id, outs } = await createHostToRealmMapping(news, OPTS);
        const d = profile(id);
        expect(d).toMatchObject({
            "@odata.type": "#microsoft.graph.windows10CustomConfiguration", displayName: name, roleScopeTagIds: ["0"],
            description: markedDescription(undefined, mappingsHash(news.mappings)),
        });
        expect(d.omaSettings).toEqual([{
            "@odata.type": "#microsoft.graph.omaSettingString", displayName: "HostToRealm", description: null, omaUri: HOST_TO_REALM_OMA_URI,
            isEncrypted: true, secretReferenceValueId: expect.stringMatching(/^[0-9a-f-]{36}$/), value: PAYLOAD,
        }]);
        expect(d.assignments.map((a: any) => a.target["@odata.type"])).toEqual(["#microsoft.graph.allDevicesAssignmentTarget"]);
        expect(outs).toMatchObject({
            policyId: id, deliveredAs: "customOmaUri", contentHash: mappingsHash(news.mappings), valueReference: d.omaSettings[0].secretReferenceValueId,
            mappings: [{ realm: "CORP.LAB.TEST", hosts: [SEED.storageAccountHost] }, { realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net", "host.contoso.com"] }],
            assignments: { includeGroups: [], excludeGroups: [], allDevices: true, allUsers: false },
        });
        expect(outs.drift).toBeUndefined();
        expect(JSON.stringify(outs)).not.toContain(MASKED_VALUE);
        const refreshed = await readHostToRealmMapping(id, outs, OPTS);
        expect(refreshed.id).toBe(id);
        expect(refreshed.props).toEqual(outs);
        // the refreshed inputs equal the program's checked inputs: a preview has nothing to print
        expect(refreshed.inputs).toEqual(news);
        expect(diffHostToRealmMapping(refreshed.props, news).changes).toBe(false);
        // the same mappings written in another order and case are the same content
        expect(diffHostToRealmMapping(refreshed.props, checked({ displayName: name, mappings: [CORP, { ...AZURE_FILES, hosts: ["host.contoso.com", ".file.core.windows.net"] }], assignments: { allDevices: true } })).changes).toBe(false);
    });

    const other = '<enabled/><data id="hosttorealm" value="EVIL.EXAMPLE&#xF000;.file.core.windows.net"/>';
    test.each([
        ["the value rewritten in the portal", (id: string) => patchProfile(lab.client(), id, { omaSettings: [{ "@odata.type": "#microsoft.graph.omaSettingString", displayName: "HostToRealm", omaUri: HOST_TO_REALM_OMA_URI, value: other }] }),
            /HostToRealm value was rewritten outside Pulumi/, ["drift"]],
        ["the row removed", (id: string) => patchProfile(lab.client(), id, { omaSettings: [] }),
            /OMA-URI \.\/Device\/Vendor\/MSFT\/Policy\/Config\/ADMX_Kerberos\/HostToRealm \(string\) was removed outside Pulumi/, ["drift"]],
        ["a row added", (id: string) => patchProfile(lab.client(), id, { omaSettings: [
            { "@odata.type": "#microsoft.graph.omaSettingString", displayName: "HostToRealm", omaUri: HOST_TO_REALM_OMA_URI, value: PAYLOAD },
            { "@odata.type": "#microsoft.graph.omaSettingInteger", displayName: "x", omaUri: "./Device/Vendor/MSFT/Policy/Config/Kerberos/CloudKerberosTicketRetrievalEnabled", value: 0 },
        ] }), /OMA-URI \.\/Device\/Vendor\/MSFT\/Policy\/Config\/Kerberos\/CloudKerberosTicketRetrievalEnabled \(omaSettingInteger\) was added outside Pulumi/, ["drift"]],
        ["the description (and its hash) replaced", (id: string) => patchProfile(lab.client(), id, { description: "edited" }),
            /lost the pulumi-entra-kerberos marker/, ["contentHash", "drift"]],
    ])("%s is reported and repaired", async (_label, edit, note, reasons) => {
        const news = checked({ displayName: uniqueName("oma drift") });
        const { id, outs } = await createHostToRealmMapping(news, OPTS);
        await edit(id);
        const r = await refreshAndUp(id, outs, news);
        if (r.gone) throw new Error("gone");
        // (re-sending the rows in the portal also renews the value's secret reference: noted as well)
        expect(r.refreshed.drift).toEqual(expect.arrayContaining([expect.stringMatching(note)]));
        expect(r.diff).toEqual({ changes: true, reasons });
        expect(r.refreshedInputs.drift).toEqual(r.refreshed.drift); // printed by the preview against the program (no drift)
        const d = profile(id);
        expect(d.omaSettings.map((s: any) => [s.omaUri, s.value])).toEqual([[HOST_TO_REALM_OMA_URI, PAYLOAD]]);
        expect(d.description).toBe(markedDescription(undefined, mappingsHash(news.mappings)));
        expect(r.outs.valueReference).toBe(d.omaSettings[0].secretReferenceValueId);
        const again = await refreshAndUp(id, r.outs, news);
        expect(again.gone ? undefined : again.diff.changes).toBe(false);
    });

    test("an assignment removed in the portal is reported and restored; a deleted profile reads as gone", async () => {
        const news = checked({ displayName: uniqueName("oma assignments"), assignments: { includeGroups: ["Storage Users"] } });
        const { id, outs } = await createHostToRealmMapping(news, OPTS);
        await editAssignments(lab.client(), "profile", id, () => []);
        const r = await refreshAndUp(id, outs, news);
        if (r.gone) throw new Error("gone");
        expect(r.refreshed.assignments).toEqual({ includeGroups: [], excludeGroups: [], allDevices: false, allUsers: false });
        expect(r.diff.reasons).toEqual(["assignments"]);
        expect(profile(id).assignments.map((a: any) => a.target.groupId)).toEqual([SEED.groups.storageUsers]);

        await deleteItem(lab.client(), "profile", id);
        expect(await readHostToRealmMapping(id, r.outs, OPTS)).toEqual({ id: "", props: {} });
        await expect(deleteHostToRealmMapping(id, r.outs, OPTS)).resolves.toBeUndefined();
    });

    test("changed mappings in the program rewrite the value and the hash", async () => {
        const name = uniqueName("oma change");
        const { id, outs } = await createHostToRealmMapping(checked({ displayName: name }), OPTS);
        const news = checked({ displayName: name, mappings: [AZURE_FILES] });
        expect(diffHostToRealmMapping(outs, news).reasons).toEqual(["mappings", "contentHash"]);
        await updateHostToRealmMapping(id, outs, news, OPTS);
        expect(profile(id).omaSettings[0].value).toBe(encodeHostToRealm([AZURE_FILES]));
        expect(profile(id).description).toContain(`sha256=${mappingsHash([AZURE_FILES])}`);
    });

    test("adoption: a marked profile is adopted, an unmarked one refused by name", async () => {
        const name = uniqueName("oma adopt");
        const first = await createHostToRealmMapping(checked({ displayName: name, mappings: [CORP] }), OPTS);
        const again = await createHostToRealmMapping(checked({ displayName: name }), OPTS);
        expect(again.id).toBe(first.id);
        expect(await profilesNamed(lab.client(), name)).toHaveLength(1);
        expect(profile(first.id).omaSettings[0].value).toBe(PAYLOAD);

        await patchProfile(lab.client(), first.id, { description: "someone else's" });
        const e = await failure(createHostToRealmMapping(checked({ displayName: name }), OPTS));
        expect(e.code).toBe("POLICY_NOT_OURS");
        expect(e.message).toContain(`a custom OMA-URI profile named "${name}" already exists (id ${first.id})`);
    });

    test("with 429 and 503 on every second write, create and repair converge with one profile", async () => {
        const faults = [
            lab.emu.faults.add({ method: "POST", path: "/beta/deviceManagement/deviceConfigurations*", everyNth: 2, status: 429, retryAfter: 1 }),
            lab.emu.faults.add({ method: "PATCH", path: "/beta/deviceManagement/deviceConfigurations/*", everyNth: 2, status: 503, retryAfter: 0 }),
        ];
        try {
            const name = uniqueName("oma faults");
            const news = checked({ displayName: name, assignments: { includeGroups: ["Storage Users"] } });
            const mark = lab.emu.requestLog.length;
            const { id, outs } = await createHostToRealmMapping(news, OPTS);
            let state = outs;
            for (let i = 0; i < 2; i++) {
                await patchProfile(lab.client(), id, { description: `edit ${i}` }).catch(() => patchProfile(lab.client(), id, { description: `edit ${i}` }));
                const r = await refreshAndUp(id, state, news);
                if (r.gone) throw new Error("gone");
                state = r.outs;
            }
            const statuses = lab.emu.requestLog.slice(mark).map((r) => r.status);
            expect(statuses).toContain(429);
            expect(statuses).toContain(503);
            expect(await profilesNamed(lab.client(), name)).toHaveLength(1);
            expect(profile(id).description).toBe(markedDescription(undefined, mappingsHash(news.mappings)));
        } finally {
            for (const f of faults) lab.emu.faults.remove(f);
        }
    });
});

describe("settings catalog delivery (once the tenant's catalog has a HostToRealm definition)", () => {
    const h2r = "device_vendor_msft_policy_config_admx_kerberos_hosttorealm";
    const base = "./Device/Vendor/MSFT/Policy/Config/ADMX_Kerberos";
    beforeAll(() => {
        // the tree graph-apis.md §2.2 expects, added the way the lab lets a test add one
        for (const def of [
            choiceDefinition({ id: h2r, displayName: "Define host name-to-Kerberos realm mappings", baseUri: base, offsetUri: "/HostToRealm", defaultSuffix: "0",
                options: [{ suffix: "0", displayName: "Disabled", value: 0 }, { suffix: "1", displayName: "Enabled", value: 1, childIds: [`${h2r}_hosttorealm`] }] }),
            groupCollectionDefinition({ id: `${h2r}_hosttorealm`, displayName: "Host to realm", parentId: h2r, rootDefinitionId: h2r, baseUri: base, offsetUri: "/HostToRealm",
                childIds: [`${h2r}_hosttorealm_key`, `${h2r}_hosttorealm_value`], maximumCount: 100 }),
            simpleDefinition({ id: `${h2r}_hosttorealm_key`, displayName: "Realm", parentId: `${h2r}_hosttorealm`, rootDefinitionId: h2r, baseUri: "", offsetUri: "", valueType: "string" }),
            simpleDefinition({ id: `${h2r}_hosttorealm_value`, displayName: "Hosts", parentId: `${h2r}_hosttorealm`, rootDefinitionId: h2r, baseUri: "", offsetUri: "", valueType: "string" }),
        ]) lab.emu.state.addSettingDefinition(def);
    });

    test("create discovers the definition and writes a settings catalog policy the emulator validates", async () => {
        const name = uniqueName("catalog");
        const news = checked({ displayName: name });
        const { id, outs } = await createHostToRealmMapping(news, OPTS);
        expect(outs).toMatchObject({ deliveredAs: "settingsCatalog", policyId: id, contentHash: mappingsHash(news.mappings), mappings: news.mappings });
        expect(outs.valueReference).toBeUndefined();
        const p = policy(id);
        expect(p).toMatchObject({ name, platforms: "windows10", technologies: "mdm", settingCount: 1, description: markedDescription(undefined, mappingsHash(news.mappings)) });
        const inst = p.settings[0].settingInstance;
        expect(inst).toMatchObject({ settingDefinitionId: h2r, choiceSettingValue: { value: `${h2r}_1` } });
        const list = inst.choiceSettingValue.children[0];
        expect(list.settingDefinitionId).toBe(`${h2r}_hosttorealm`);
        expect(list.groupSettingCollectionValue.map((g: any) => g.children.map((c: any) => [c.settingDefinitionId.replace(`${h2r}_hosttorealm_`, ""), c.simpleSettingValue.value]))).toEqual([
            [["key", "CORP.LAB.TEST"], ["value", SEED.storageAccountHost]],
            [["key", "KERBEROS.MICROSOFTONLINE.COM"], ["value", ".file.core.windows.net;host.contoso.com"]],
        ]);
        expect(await profilesNamed(lab.client(), name)).toEqual([]);
        expect(diffHostToRealmMapping((await readHostToRealmMapping(id, outs, OPTS)).props, news).changes).toBe(false);
    });

    test("a host changed in the portal reads back as changed mappings and is restored", async () => {
        const news = checked({ displayName: uniqueName("catalog drift") });
        const { id, outs } = await createHostToRealmMapping(news, OPTS);
        await editPolicySettings(lab.client(), id, (s) => {
            const entries = s[0].settingInstance.choiceSettingValue.children[0].groupSettingCollectionValue;
            entries[0].children[1].simpleSettingValue.value = "other.file.core.windows.net";
            return s;
        });
        const r = await refreshAndUp(id, outs, news);
        if (r.gone) throw new Error("gone");
        expect(r.refreshed.mappings).toEqual([{ realm: "CORP.LAB.TEST", hosts: ["other.file.core.windows.net"] }, news.mappings[1]]);
        expect(r.diff.reasons).toEqual(["mappings"]);
        expect((await readHostToRealmMapping(id, r.outs, OPTS)).props.mappings).toEqual(news.mappings);
        expect(await policiesNamed(lab.client(), news.displayName)).toHaveLength(1);
    });
});
