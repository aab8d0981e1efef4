// CloudTrustPolicy's reconciler against the in-process Graph emulator (strict settings catalog
// validation, paging, /assign, throttling, faults): create, refresh, drift and repair, adoption,
// group resolution, paging of a 60-setting policy, faults on every second write, error texts.
import { SEED, simpleDefinition } from "../../lab/emulator";
import { isProviderError, ProviderError } from "../../provider/core/errors";
import {
    checkCloudTrustPolicy, createCloudTrustPolicy, deleteCloudTrustPolicy, diffCloudTrustPolicy, readCloudTrustPolicy, updateCloudTrustPolicy,
    type CheckedCloudTrustInputs,
} from "../../provider/intune/cloud-trust-policy";
import { readPolicy } from "../../provider/intune/configuration-policies";
import { markedDescription } from "../../provider/intune/marker";
import { flattenSettings } from "../../provider/intune/settings-compare";
import { startPagingProxy } from "./support/expansion-paging-proxy";
import { FAST_RETRY, READER_APP_ID, READER_SECRET_ENV, startGraphLab, type GraphLab } from "./support/graph-lab";
import { deleteItem, editAssignments, editPolicySettings, policiesNamed, renamePolicy } from "./support/portal";
import { CONSISTENT_READS } from "../../provider/graph/settled-read";

const OPTS = { client: { retry: FAST_RETRY } };
const dev = "device_vendor_msft_passportforwork_{tenantid}";
const usr = "user_vendor_msft_passportforwork_{tenantid}";
const TICKET = "device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled";
const SECURITY_KEY = "device_vendor_msft_passportforwork_securitykey_usesecuritykeyforsignin";
const LEGACY_SECURITY_KEY = `${dev}_policies_usesecuritykeyforsignin`;
const CHOICE = "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance";
const GROUP = "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance";
const SETTING = "#microsoft.graph.deviceManagementConfigurationSetting";

let lab: GraphLab;
beforeAll(async () => { lab = await startGraphLab(); });
afterAll(async () => { await lab?.close(); });

let seq = 0;
const uniqueName = (label: string) => `CTP ${label} ${process.pid}-${++seq}`;

function checked(news: Record<string, unknown>): CheckedCloudTrustInputs {
    const r = checkCloudTrustPolicy({ graph: lab.conn(), ...news });
    expect(r.failures).toEqual([]);
    return r.inputs;
}

/** What `pulumi up --refresh` does with an existing resource: read, diff, update when needed. */
async function refreshAndUp(id: string, state: Record<string, any>, news: CheckedCloudTrustInputs) {
    const refreshed = await readCloudTrustPolicy(id, state, OPTS);
    if (refreshed.id === "") return { gone: true as const };
    const diff = diffCloudTrustPolicy(refreshed.props, news);
    const outs = diff.changes ? await updateCloudTrustPolicy(id, news, OPTS) : refreshed.props;
    return { gone: false as const, refreshed: refreshed.props, refreshedInputs: refreshed.inputs ?? {}, diff, outs };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
    try { await p; } catch (e) { if (isProviderError(e)) return e; throw e; }
    throw new Error("expected a failure");
}

const stored = (id: string) => lab.emu.state.get("configurationPolicies", id);
/** Graph writes (token requests aside) since a point in the request log. */
const writes = (since: number) => lab.emu.requestLog.slice(since).filter((r) => r.method !== "GET" && /^\/(beta|v1\.0)\//.test(r.path));

describe("create and refresh", () => {
    test("create sends the documented body, assigns the resolved groups, and an immediate refresh finds no diff", async () => {
        const name = uniqueName("create");
        const news = checked({
            displayName: name, description: "WHfB cloud Kerberos trust", scope: "both", cloudKerberosTicketRetrieval: true, useSecurityKeyForSignIn: false,
            assignments: { includeGroups: ["WHfB Pilot", SEED.groups.whfbPilotUsers], excludeGroups: ["Break Glass Admins"] },
        });
        const mark = lab.emu.requestLog.length;
        const { id, outs } = await createCloudTrustPolicy(news, OPTS);

        // what the emulator stored, after its strict validation accepted it
        const p = stored(id);
        expect(p).toMatchObject({
            name, description: `WHfB cloud Kerberos trust\n\n${markedDescription(undefined)}`, platforms: "windows10", technologies: "mdm",
            roleScopeTagIds: ["0"], templateReference: { templateId: "", templateFamily: "none" }, settingCount: 4, isAssigned: true,
        });
        const [devGroup, securityKey, ticket, userGroup] = p.settings.map((s: any) => s.settingInstance);
        expect(devGroup).toMatchObject({ "@odata.type": GROUP, settingDefinitionId: dev });
        expect(devGroup.groupSettingCollectionValue).toHaveLength(1);
        expect(devGroup.groupSettingCollectionValue[0].children.map((c: any) => [c["@odata.type"], c.settingDefinitionId, c.choiceSettingValue.value, c.choiceSettingValue.children])).toEqual([
            [CHOICE, `${dev}_policies_usepassportforwork`, `${dev}_policies_usepassportforwork_true`, []],
            [CHOICE, `${dev}_policies_usecloudtrustforonpremauth`, `${dev}_policies_usecloudtrustforonpremauth_true`, []],
            [CHOICE, `${dev}_policies_usecertificateforonpremauth`, `${dev}_policies_usecertificateforonpremauth_false`, []],
        ]);
        // top level with integer-like options, as the real catalog defines it
        expect(securityKey).toMatchObject({ "@odata.type": CHOICE, settingDefinitionId: SECURITY_KEY, choiceSettingValue: { value: `${SECURITY_KEY}_0`, children: [] } });
        expect(ticket).toMatchObject({ "@odata.type": CHOICE, settingDefinitionId: TICKET, choiceSettingValue: { value: `${TICKET}_1`, children: [] } });
        expect(userGroup).toMatchObject({ "@odata.type": GROUP, settingDefinitionId: usr });
        expect(userGroup.groupSettingCollectionValue[0].children.map((c: any) => c.choiceSettingValue.value)).toEqual([`${usr}_policies_usepassportforwork_true`]);
        expect(p.assignments.map((a: any) => a.target)).toEqual([
            { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: SEED.groups.whfbPilotUsers, deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: "none" },
            { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: SEED.groups.whfbPilot, deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: "none" },
            { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: SEED.groups.breakGlassAdmins, deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: "none" },
        ]);
        // one policy, one PUT-free create: POST, then /assign
        expect(writes(mark).map((r) => `${r.method} ${r.path.replace(id, "{id}")} ${r.status}`)).toEqual([
            "POST /beta/deviceManagement/configurationPolicies 201",
            "POST /beta/deviceManagement/configurationPolicies/{id}/assign 200",
        ]);

        expect(outs).toMatchObject({
            policyId: id, displayName: name, description: "WHfB cloud Kerberos trust", settingCount: 4, lastModifiedDateTime: p.lastModifiedDateTime,
            settings: news.settings,
            assignments: { includeGroups: [SEED.groups.whfbPilotUsers, "WHfB Pilot"], excludeGroups: ["Break Glass Admins"], allDevices: false, allUsers: false },
            resolvedGroups: { "WHfB Pilot": SEED.groups.whfbPilot, [SEED.groups.whfbPilotUsers]: SEED.groups.whfbPilotUsers, "Break Glass Admins": SEED.groups.breakGlassAdmins },
            includeGroupIds: [SEED.groups.whfbPilotUsers, SEED.groups.whfbPilot], excludeGroupIds: [SEED.groups.breakGlassAdmins],
        });
        expect(outs.drift).toBeUndefined();
        expect(JSON.stringify(outs)).not.toContain(lab.secret);

        const refreshed = await readCloudTrustPolicy(id, outs, OPTS);
        expect(refreshed.id).toBe(id);
        expect(refreshed.props).toEqual(outs);
        // the refreshed inputs equal the program's checked inputs: a preview has nothing to print
        expect(refreshed.inputs).toEqual(news);
        expect(diffCloudTrustPolicy(refreshed.props, news)).toEqual({ changes: false, reasons: [] });
    });

    test("an update with nothing to change writes nothing", async () => {
        const news = checked({ displayName: uniqueName("noop"), assignments: { allDevices: true } });
        const { id } = await createCloudTrustPolicy(news, OPTS);
        const mark = lab.emu.requestLog.length;
        await updateCloudTrustPolicy(id, news, OPTS);
        expect(writes(mark)).toEqual([]);
    });

    test("without `assignments` the resource leaves the profile's assignments alone", async () => {
        const news = checked({ displayName: uniqueName("unassigned") });
        const { id, outs } = await createCloudTrustPolicy(news, OPTS);
        expect(stored(id).assignments).toEqual([]);
        await editAssignments(lab.client(), "policy", id, () => [{ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" }]);
        const r = await refreshAndUp(id, outs, news);
        expect(r.gone ? undefined : r.diff.changes).toBe(false);
        expect(stored(id).assignments).toHaveLength(1);
    });
});

describe("drift made in the portal is reported and repaired", () => {
    const base = () => ({ cloudKerberosTicketRetrieval: true, assignments: { includeGroups: ["WHfB Pilot"], excludeGroups: ["Break Glass Admins"] } });

    test.each([
        ["a setting flipped", (s: any[]) => {
            const child = s[0].settingInstance.groupSettingCollectionValue[0].children.find((c: any) => c.settingDefinitionId.endsWith("usecloudtrustforonpremauth"));
            child.choiceSettingValue.value = `${dev}_policies_usecloudtrustforonpremauth_false`;
            return s;
        }, { gone: [`${dev}[0]/policies_usecloudtrustforonpremauth = true`], added: [`${dev}[0]/policies_usecloudtrustforonpremauth = false`] }],
        ["a setting removed", (s: any[]) => s.filter((x) => x.settingInstance.settingDefinitionId !== TICKET),
            { gone: [`${TICKET} = 1`], added: [] }],
        ["a setting added", (s: any[]) => {
            s[0].settingInstance.groupSettingCollectionValue[0].children.push({ "@odata.type": CHOICE, settingDefinitionId: `${dev}_policies_requiresecuritydevice`, choiceSettingValue: { value: `${dev}_policies_requiresecuritydevice_true`, children: [] } });
            return [...s, { "@odata.type": SETTING, settingInstance: { "@odata.type": GROUP, settingDefinitionId: usr, groupSettingCollectionValue: [{ children: [{ "@odata.type": CHOICE, settingDefinitionId: `${usr}_policies_usepassportforwork`, choiceSettingValue: { value: `${usr}_policies_usepassportforwork_false`, children: [] } }] }] } }];
        }, { gone: [], added: [`${dev}[0]/policies_requiresecuritydevice = true`, `${usr}[0]/policies_usepassportforwork = false`] }],
    ])("%s", async (_label, edit, expected) => {
        const news = checked({ displayName: uniqueName("settings drift"), ...base() });
        const { id, outs } = await createCloudTrustPolicy(news, OPTS);
        await editPolicySettings(lab.client(), id, edit);

        const r = await refreshAndUp(id, outs, news);
        if (r.gone) throw new Error("gone");
        // the refreshed state shows the drift line by line, and the diff asks for an update
        expect(r.refreshed.settings).toEqual(expect.arrayContaining(expected.added));
        for (const line of expected.gone) expect(r.refreshed.settings).not.toContain(line);
        expect(r.diff).toEqual({ changes: true, reasons: ["settings"] });
        // the refreshed inputs carry the same lines: that is what a preview prints against the program
        expect(r.refreshedInputs.settings).toEqual(r.refreshed.settings);
        // repaired: the tenant holds exactly the program's settings again, and nothing is left to do
        expect(flattenSettings(stored(id).settings)).toEqual(news.settings);
        const again = await refreshAndUp(id, r.outs, news);
        expect(again.gone ? undefined : again.diff.changes).toBe(false);
    });

    test("a policy written under the legacy security key id is found on refresh, named in the drift, and rewritten by up", async () => {
        const news = checked({ displayName: uniqueName("legacy id"), ...base(), useSecurityKeyForSignIn: true });
        const { id, outs } = await createCloudTrustPolicy(news, OPTS);
        // what versions before issue 15 left in the lab's tenant: the setting as a child of the device group
        // (written to the state directly: the emulator's catalog, like a real one, refuses that id)
        lab.emu.state.update("configurationPolicies", id, (p: any) => {
            p.settings = p.settings.filter((x: any) => x.settingInstance.settingDefinitionId !== SECURITY_KEY);
            p.settings[0].settingInstance.groupSettingCollectionValue[0].children.push(
                { "@odata.type": CHOICE, settingDefinitionId: LEGACY_SECURITY_KEY, settingInstanceTemplateReference: null, choiceSettingValue: { value: `${LEGACY_SECURITY_KEY}_true`, children: [], settingValueTemplateReference: null } });
            p.settingCount = p.settings.length;
        });

        const r = await refreshAndUp(id, outs, news);
        if (r.gone) throw new Error("gone");
        expect(r.refreshed.settings).toContain(`${dev}[0]/policies_usesecuritykeyforsignin = true`);
        expect(r.refreshed.drift).toEqual([expect.stringContaining(`legacy setting id "${LEGACY_SECURITY_KEY}"`)]);
        expect(r.refreshedInputs.drift).toEqual(r.refreshed.drift); // what the preview prints
        expect(r.diff).toEqual({ changes: true, reasons: ["settings", "drift"] });
        // repaired: the real id at the top level, the legacy one gone, nothing left to do
        expect(flattenSettings(stored(id).settings)).toEqual(news.settings);
        expect(JSON.stringify(stored(id).settings)).not.toContain(LEGACY_SECURITY_KEY);
        const again = await refreshAndUp(id, r.outs, news);
        expect(again.gone ? undefined : again.diff.changes).toBe(false);
        expect(again.gone ? undefined : again.refreshed.drift).toBeUndefined();
    });

    test("assignments removed and added in the portal show in the program's terms and are restored", async () => {
        const news = checked({ displayName: uniqueName("assignment drift"), ...base() });
        const { id, outs } = await createCloudTrustPolicy(news, OPTS);
        await editAssignments(lab.client(), "policy", id, (ts) => [
            ...ts.filter((t) => t.groupId !== SEED.groups.breakGlassAdmins),
            { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: SEED.groups.storageUsers },
            { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" },
        ]);
        const mark = lab.emu.requestLog.length;
        const r = await refreshAndUp(id, outs, news);
        if (r.gone) throw new Error("gone");
        expect(r.refreshed.assignments).toEqual({ includeGroups: [SEED.groups.storageUsers, "WHfB Pilot"], excludeGroups: [], allDevices: false, allUsers: true });
        expect(r.diff).toEqual({ changes: true, reasons: ["assignments"] });
        // only the assignment set is rewritten: no PUT of the policy
        expect(writes(mark).map((w) => `${w.method} ${w.path.replace(id, "{id}")}`)).toEqual(["POST /beta/deviceManagement/configurationPolicies/{id}/assign"]);
        expect(stored(id).assignments.map((a: any) => a.target.groupId)).toEqual([SEED.groups.whfbPilot, SEED.groups.breakGlassAdmins]);
        expect(r.outs.assignments).toEqual(news.assignments);
    });

    test("a rename and a removed marker are drift too", async () => {
        const news = checked({ displayName: uniqueName("rename"), description: "pilot" });
        const { id, outs } = await createCloudTrustPolicy(news, OPTS);
        await renamePolicy(lab.client(), id, { name: `${news.displayName} (edited)`, description: "pilot" });
        const r = await refreshAndUp(id, outs, news);
        if (r.gone) throw new Error("gone");
        expect(r.refreshed.displayName).toBe(`${news.displayName} (edited)`);
        expect(r.refreshed.drift).toEqual([expect.stringContaining("lost the pulumi-entra-kerberos marker")]);
        expect(r.diff.reasons).toEqual(["displayName", "drift"]);
        expect(stored(id)).toMatchObject({ name: news.displayName, description: `pilot\n\n${markedDescription(undefined)}` });
        expect((r.outs as any).drift).toBeUndefined();
    });

    test("a policy deleted in the portal reads as gone (the engine then creates it); an update without refresh says what to do", async () => {
        const news = checked({ displayName: uniqueName("deleted") });
        const { id, outs } = await createCloudTrustPolicy(news, OPTS);
        await deleteItem(lab.client(), "policy", id);
        expect(await readCloudTrustPolicy(id, outs, OPTS)).toEqual({ id: "", props: {} });
        const e = await failure(updateCloudTrustPolicy(id, news, OPTS));
        expect(e.code).toBe("POLICY_GONE");
        expect(e.message).toContain("pulumi up --refresh");
        // delete of something already gone succeeds
        await expect(deleteCloudTrustPolicy(id, outs, OPTS)).resolves.toBeUndefined();
    });
});

describe("adoption", () => {
    const existing = async (name: string, description: string) => {
        const mk = checked({ displayName: name, scope: "user", useCloudTrustForOnPremAuth: false });
        // created by "someone": same name, their own description, no assignments
        const { id } = await createCloudTrustPolicy(mk, OPTS);
        await renamePolicy(lab.client(), id, { description });
        return id;
    };

    test("a profile with the marker (a lost create) is adopted, not duplicated", async () => {
        const name = uniqueName("adopt marked");
        const id = await existing(name, markedDescription(undefined));
        const news = checked({ displayName: name, cloudKerberosTicketRetrieval: true });
        const r = await createCloudTrustPolicy(news, OPTS);
        expect(r.id).toBe(id);
        expect(await policiesNamed(lab.client(), name)).toHaveLength(1);
        expect(flattenSettings(stored(id).settings)).toEqual(news.settings);
    });

    test("a profile without the marker is refused by name, unless adoptExisting is set", async () => {
        const name = uniqueName("adopt foreign");
        const id = await existing(name, "made by hand");
        const e = await failure(createCloudTrustPolicy(checked({ displayName: name }), OPTS));
        expect(e.code).toBe("POLICY_NOT_OURS");
        expect(e.input).toBe("displayName");
        expect(e.message).toContain(`a settings catalog policy named "${name}" already exists (id ${id}) and was not created by pulumi-entra-kerberos`);
        expect(e.message).toContain("adoptExisting: true");
        expect(flattenSettings(stored(id).settings)).toEqual([`${usr}[0]/policies_usepassportforwork = true`]); // untouched

        const adopted = await createCloudTrustPolicy(checked({ displayName: name, description: "now ours", adoptExisting: true }), OPTS);
        expect(adopted.id).toBe(id);
        expect(stored(id).description).toBe(`now ours\n\n${markedDescription(undefined)}`);
        expect(await policiesNamed(lab.client(), name)).toHaveLength(1);
    });

    test("two profiles with the name are refused, listing both", async () => {
        const name = uniqueName("adopt twice");
        const a = await existing(name, markedDescription(undefined));
        const b = await existing(`${name} 2`, "x");
        await renamePolicy(lab.client(), b, { name });
        const e = await failure(createCloudTrustPolicy(checked({ displayName: name, adoptExisting: true }), OPTS));
        expect(e.code).toBe("POLICY_AMBIGUOUS");
        expect(e.message).toContain(a);
        expect(e.message).toContain(b);
    });
});

describe("group resolution", () => {
    test.each([
        ["a name no group has", { includeGroups: ["No Such Group"] }, "GroupNotFound", "assignments.includeGroups[0]", 'no group is named "No Such Group"'],
        ["a name two groups have", { excludeGroups: ["Helpdesk Operators"] }, "GroupAmbiguous", "assignments.excludeGroups[0]", `2 groups are named "Helpdesk Operators" (${SEED.groups.helpdeskA}, ${SEED.groups.helpdeskB})`],
        ["an id that does not exist", { includeGroups: ["00000000-0000-4000-8000-00000000dead"] }, "GroupNotFound", "assignments.includeGroups[0]", "names group id 00000000-0000-4000-8000-00000000dead, which does not exist"],
        ["one group both included (by name) and excluded (by id)", { includeGroups: ["WHfB Pilot"], excludeGroups: [SEED.groups.whfbPilot] }, "ASSIGNMENT_CONFLICT", "assignments.excludeGroups[0]", "are the same group"],
    ])("%s fails naming the entry, before anything is created", async (_label, assignments, code, input, text) => {
        const name = uniqueName("groups");
        const e = await failure(createCloudTrustPolicy(checked({ displayName: name, assignments }), OPTS));
        expect([e.code, e.input]).toEqual([code, input]);
        expect(e.message).toContain(`CloudTrustPolicy "${name}"`);
        expect(e.message).toContain(text);
        expect(await policiesNamed(lab.client(), name)).toEqual([]);
    });
});

describe("paging", () => {
    beforeAll(() => {
        for (let i = 0; i < 60; i++) {
            lab.emu.state.addSettingDefinition(simpleDefinition({
                id: `device_vendor_msft_policy_config_labpaging_setting${i}`, displayName: `Paging ${i}`,
                baseUri: "./Device/Vendor/MSFT/Policy/Config/LabPaging", offsetUri: `/Setting${i}`, valueType: "integer", maximum: 100,
            }));
        }
    });
    const extra = (n: number) => Array.from({ length: n }, (_, i) => ({
        "@odata.type": SETTING,
        settingInstance: {
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance", settingDefinitionId: `device_vendor_msft_policy_config_labpaging_setting${i}`,
            simpleSettingValue: { "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue", value: i },
        },
    }));

    test.each(["nextLink", "truncate"] as const)("a 60-setting policy is read completely when Graph pages the expansion (%s), so drift past the first page is seen and removed", async (mode) => {
        const proxy = await startPagingProxy(lab.url, lab.dir, lab.caPem, mode);
        try {
            const conn = lab.conn(undefined, { graphEndpoint: proxy.url }); // tokens still from the emulator
            const news = checkCloudTrustPolicy({ graph: conn, displayName: uniqueName(`paging ${mode}`), cloudKerberosTicketRetrieval: true }).inputs;
            const { id, outs } = await createCloudTrustPolicy(news, OPTS);
            await editPolicySettings(lab.client(), id, (s) => [...s, ...extra(58)]);
            expect(stored(id).settingCount).toBe(60);

            const refreshed = await readCloudTrustPolicy(id, outs, OPTS);
            expect(proxy.cut).toBeGreaterThan(0);
            expect(refreshed.props.settingCount).toBe(60);
            const lines = refreshed.props.settings as string[];
            expect(lines).toHaveLength(4 + 58);
            expect(lines).toContain("device_vendor_msft_policy_config_labpaging_setting57 = 57"); // on the third page
            expect(diffCloudTrustPolicy(refreshed.props, news).changes).toBe(true);

            await updateCloudTrustPolicy(id, news, OPTS);
            expect(stored(id).settingCount).toBe(2);
            expect(flattenSettings(stored(id).settings)).toEqual(news.settings);
        } finally {
            await proxy.close();
        }
    });

    test("readPolicy returns all 60 settings of a policy through the paged expansion", async () => {
        const proxy = await startPagingProxy(lab.url, lab.dir, lab.caPem, "nextLink");
        const gc = lab.client(undefined, { conn: { graphEndpoint: proxy.url } });
        try {
            const { id } = await createCloudTrustPolicy(checked({ displayName: uniqueName("sixty") }), OPTS);
            await editPolicySettings(lab.client(), id, () => extra(60));
            const p = await readPolicy(gc, id, "test");
            expect(p?.settings.map((s) => s.settingInstance.simpleSettingValue.value)).toEqual(Array.from({ length: 60 }, (_, i) => i));
            // once per read: a settled read makes CONSISTENT_READS agreeing reads (intune/settled.ts)
            expect(proxy.cut).toBe(CONSISTENT_READS);
        } finally {
            await proxy.close();
        }
    });
});

describe("throttling and service errors", () => {
    test("with 429 (Retry-After) and 503 on every second write, create and repair converge with one policy", async () => {
        const ids = [
            lab.emu.faults.add({ method: "POST", path: "/beta/deviceManagement/*", everyNth: 2, status: 429, retryAfter: 1 }),
            lab.emu.faults.add({ method: "PUT", path: "/beta/deviceManagement/*", everyNth: 2, status: 503 }),
        ];
        try {
            const name = uniqueName("faults");
            const news = checked({ displayName: name, cloudKerberosTicketRetrieval: true, assignments: { includeGroups: ["WHfB Pilot"] } });
            const mark = lab.emu.requestLog.length;
            const { id, outs } = await createCloudTrustPolicy(news, OPTS);
            for (let i = 0; i < 2; i++) {
                await editPolicySettings(lab.client(), id, (s) => s.filter((x) => x.settingInstance.settingDefinitionId !== TICKET)).catch(() => undefined);
                const r = await refreshAndUp(id, outs, news);
                expect(r.gone).toBe(false);
            }
            const statuses = writes(mark).map((w) => w.status);
            expect(statuses).toContain(429);
            expect(statuses).toContain(503);
            expect(await policiesNamed(lab.client(), name)).toHaveLength(1);
            expect(flattenSettings(stored(id).settings)).toEqual(news.settings);
            expect(stored(id).assignments.map((a: any) => a.target.groupId)).toEqual([SEED.groups.whfbPilot]);
        } finally {
            for (const f of ids) lab.emu.faults.remove(f);
        }
    });

    test("a create whose assignment fails keeps the profile's id (Pulumi records it, the next up updates it)", async () => {
        const fault = lab.emu.faults.add({ method: "POST", path: "/beta/deviceManagement/configurationPolicies/*/assign", status: 400 });
        const name = uniqueName("partial");
        const news = checked({ displayName: name, assignments: { includeGroups: ["WHfB Pilot"] } });
        let e: any;
        try {
            e = await failure(createCloudTrustPolicy(news, OPTS));
        } finally {
            lab.emu.faults.remove(fault);
        }
        const [created] = await policiesNamed(lab.client(), name);
        // the dynamic-provider host turns `id` + `properties` into "created, failed to initialize"
        expect(e.id).toBe(created.id);
        expect(e.properties).toMatchObject({ policyId: created.id, displayName: name });
        expect(e.message).toContain(`CloudTrustPolicy "${name}": assign policy ${created.id}`);
        await updateCloudTrustPolicy(created.id, news, OPTS);
        expect(stored(created.id).assignments.map((a: any) => a.target.groupId)).toEqual([SEED.groups.whfbPilot]);
        expect(await policiesNamed(lab.client(), name)).toHaveLength(1);
    });

    test("a Graph refusal names the resource, Graph's code and the request id, and carries no secret", async () => {
        const name = uniqueName("forbidden");
        const conn = lab.conn({ type: "clientSecret", clientId: READER_APP_ID, clientSecret: { env: READER_SECRET_ENV } });
        const news = checkCloudTrustPolicy({ graph: conn, displayName: name }).inputs;
        const e = await failure(createCloudTrustPolicy(news, OPTS));
        expect(e.code).toBe("GRAPH_FORBIDDEN");
        expect(e.serviceCode).toBe("Forbidden");
        expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
        expect(e.message).toContain(`CloudTrustPolicy "${name}"`);
        expect(e.message).toContain("HTTP 403 Forbidden");
        expect(e.message).toContain(`[request-id ${e.requestId}]`);
        expect(JSON.stringify({ m: e.message, j: e.toJSON() })).not.toContain(process.env[READER_SECRET_ENV]);
        expect(e.message).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\./);
    });

    test("a missing secret is named by its reference, not resolved into the message", async () => {
        const conn = lab.conn({ type: "clientSecret", clientId: SEED.servicePrincipals.labApp, clientSecret: { env: "NO_SUCH_SECRET_ENV_FOR_TEST" } });
        const e = await failure(createCloudTrustPolicy(checkCloudTrustPolicy({ graph: conn, displayName: uniqueName("nosecret") }).inputs, OPTS));
        expect(e.code).toBe("SECRET_NOT_FOUND");
        expect(e.message).toContain('environment variable "NO_SUCH_SECRET_ENV_FOR_TEST"');
    });
});
