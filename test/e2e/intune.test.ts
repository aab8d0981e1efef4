// CloudTrustPolicy and HostToRealmMapping through the real Pulumi CLI against the shared lab's Graph
// emulator: up creates bodies the emulator's strict validation accepted (asserted field by field),
// portal-style edits (a setting flipped, an assignment removed, the value rewritten, a policy
// deleted) each show in `preview --refresh --diff` and are repaired by `up`, also with 429/503 on
// every second write; destroy removes exactly this stack's profiles. Names are unique per run and
// everything is cleaned up; the lab itself is never reset.
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { Agent } from "undici";
import { simpleDefinition } from "../../lab/emulator";
import { LabPortal } from "../../lab/portal-edits";
import { createGraphClient, graphRequest, type GraphClient } from "../../provider/graph";
import { resolveSecret } from "../../provider/core/secrets";
import { encodeHostToRealm, HOST_TO_REALM_OMA_URI, mappingsHash } from "../../provider/intune/host-to-realm";
import { markedDescription } from "../../provider/intune/marker";
import { createTestStack, type TestStack } from "../support/stack";
import { labCa, labSecretEnv, labSecretValues, requireLab } from "../support/lab";

const PROGRAM = path.join(__dirname, "programs/intune");
const POLICIES = "/deviceManagement/configurationPolicies";
const PROFILES = "/deviceManagement/deviceConfigurations";
const dev = "device_vendor_msft_passportforwork_{tenantid}";
const TICKET = "device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled";
const PILOT = "0a1b2c3d-0001-4000-8000-000000000001";
const GLASS = "0a1b2c3d-0001-4000-8000-000000000003";
const MAPPINGS = [
    { realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] },
    { realm: "CORP.LAB.TEST", hosts: ["labstorage.file.core.windows.net"] },
];

describe("Intune resources through the real Pulumi engine against the lab", () => {
    const lab = requireLab();
    const run = `${process.pid}-${randomBytes(3).toString("hex")}`;
    const names = { trust: `e2e WHfB cloud trust ${run}`, realms: `e2e HostToRealm ${run}`, unrelated: `e2e unrelated ${run}` };
    const output: string[] = [];
    const onOutput = (s: string) => { output.push(s); };
    let t: TestStack;
    let gc: GraphClient;
    let unrelatedId: string | undefined;
    let destroyed = false;
    const ids = { trust: "", realms: "" };

    // the lab's tenant as the admin API shows it (a copy of what the emulator stored)
    const tenant = async (): Promise<any> => {
        const dispatcher = new Agent({ connect: { ca: [labCa(lab)] } });
        try {
            return await (await fetch(`${lab.emulator.url}/_emulator/state`, { dispatcher } as RequestInit)).json();
        } finally {
            await dispatcher.close();
        }
    };
    const addFaults = async (rules: unknown[]): Promise<string[]> => admin("POST", "/_emulator/faults", { rules }).then((r) => r.ids);
    const removeFault = (id: string) => admin("DELETE", `/_emulator/faults/${encodeURIComponent(id)}`);
    async function admin(method: string, p: string, body?: unknown): Promise<any> {
        const dispatcher = new Agent({ connect: { ca: [labCa(lab)] } });
        try {
            const r = await fetch(`${lab.emulator.url}${p}`, { method, dispatcher, headers: { "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined } as RequestInit);
            return r.json();
        } finally {
            await dispatcher.close();
        }
    }
    // what the tenant holds, from the emulator's own store: a Graph list may come from a lagging replica (the e2e layer's lab lags)
    const named = async (coll: string, prop: string, name: string) =>
        ((await tenant())[coll === POLICIES ? "configurationPolicies" : "deviceConfigurations"] as any[]).filter((p) => p[prop] === name);

    beforeAll(async () => {
        const conn = {
            tenantId: lab.emulator.tenantId,
            credential: { type: "clientSecret" as const, clientId: lab.emulator.app.clientId, clientSecret: { env: lab.emulator.app.clientSecretEnv } },
            graphEndpoint: lab.emulator.url, authorityHost: lab.emulator.url, caCertificate: labCa(lab),
        };
        gc = createGraphClient(conn, (ref, input) => resolveSecret(ref, undefined, { input, env: lab.secrets }));
        // someone else's policy, created first: it must survive this stack's destroy
        const unrelated = await graphRequest(gc, { method: "POST", version: "beta", path: POLICIES, body: {
            name: names.unrelated, description: "not managed by this stack", platforms: "windows10", technologies: "mdm", roleScopeTagIds: ["0"], templateReference: { templateId: "" },
            settings: [{ "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting", settingInstance: {
                "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", settingDefinitionId: TICKET, choiceSettingValue: { value: `${TICKET}_0`, children: [] } } }],
        } });
        unrelatedId = unrelated.id;
        t = await createTestStack({
            programDir: PROGRAM,
            env: labSecretEnv(lab),
            config: {
                tenantId: { value: lab.emulator.tenantId }, clientId: { value: lab.emulator.app.clientId }, clientSecretEnv: { value: lab.emulator.app.clientSecretEnv },
                graphEndpoint: { value: lab.emulator.url }, caCertificate: { value: labCa(lab) },
                cloudTrustName: { value: names.trust }, hostToRealmName: { value: names.realms },
            },
        });
    }, 120_000);

    afterAll(async () => {
        if (t && !destroyed) await t.stack.destroy({ onOutput }).catch(() => undefined);
        await t?.dispose();
        if (unrelatedId) await graphRequest(gc, { method: "DELETE", version: "beta", path: `${POLICIES}/${unrelatedId}` }).catch(() => undefined);
        await gc?.close();
    }, 300_000);

    test("up creates both profiles with the documented bodies, which the emulator's validation accepted", async () => {
        const up = await t.stack.up({ onOutput });
        expect(up.summary.result).toBe("succeeded");
        ids.trust = up.outputs.cloudTrustPolicyId.value;
        ids.realms = up.outputs.hostToRealmPolicyId.value;
        expect(up.outputs.hostToRealmDeliveredAs.value).toBe("customOmaUri"); // the lab's catalog has no HostToRealm definition
        expect(up.outputs.cloudTrustSettingCount.value).toBe(2);
        expect(up.outputs.cloudTrustIncludeGroupIds.value).toEqual([PILOT]);

        const state = await tenant();
        const p = state.configurationPolicies.find((x: any) => x.id === ids.trust);
        expect(p).toMatchObject({
            name: names.trust, description: `Windows Hello for Business cloud Kerberos trust (e2e)\n\n${markedDescription(undefined)}`,
            platforms: "windows10", technologies: "mdm", roleScopeTagIds: ["0"], templateReference: { templateId: "", templateFamily: "none" }, settingCount: 2, isAssigned: true,
        });
        const [group, ticket] = p.settings.map((s: any) => s.settingInstance);
        expect(group).toMatchObject({ "@odata.type": "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance", settingDefinitionId: dev });
        expect(group.groupSettingCollectionValue[0].children.map((c: any) => [c["@odata.type"], c.settingDefinitionId, c.choiceSettingValue.value])).toEqual([
            ["#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", `${dev}_policies_usepassportforwork`, `${dev}_policies_usepassportforwork_true`],
            ["#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", `${dev}_policies_usecloudtrustforonpremauth`, `${dev}_policies_usecloudtrustforonpremauth_true`],
            ["#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", `${dev}_policies_usecertificateforonpremauth`, `${dev}_policies_usecertificateforonpremauth_false`],
        ]);
        expect(ticket).toMatchObject({ settingDefinitionId: TICKET, choiceSettingValue: { value: `${TICKET}_1`, children: [] } });
        expect(p.assignments.map((a: any) => [a.target["@odata.type"], a.target.groupId])).toEqual([
            ["#microsoft.graph.groupAssignmentTarget", PILOT], ["#microsoft.graph.exclusionGroupAssignmentTarget", GLASS],
        ]);

        const d = state.deviceConfigurations.find((x: any) => x.id === ids.realms);
        expect(d).toMatchObject({
            "@odata.type": "#microsoft.graph.windows10CustomConfiguration", displayName: names.realms, roleScopeTagIds: ["0"],
            description: markedDescription(undefined, mappingsHash(MAPPINGS)),
        });
        expect(d.omaSettings).toEqual([expect.objectContaining({
            "@odata.type": "#microsoft.graph.omaSettingString", displayName: "HostToRealm", omaUri: HOST_TO_REALM_OMA_URI, isEncrypted: true,
            value: '<enabled/><data id="hosttorealm" value="CORP.LAB.TEST&#xF000;labstorage.file.core.windows.net&#xF000;KERBEROS.MICROSOFTONLINE.COM&#xF000;.file.core.windows.net"/>',
        })]);
        expect(d.omaSettings[0].value).toBe(encodeHostToRealm(MAPPINGS));
        expect(d.assignments.map((a: any) => a.target.groupId)).toEqual([PILOT]);
    }, 300_000);

    test("no changes right after up, with or without refresh (--expect-no-changes)", async () => {
        await t.stack.preview({ expectNoChanges: true, onOutput });
        await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
    }, 300_000);

    test("a setting flipped in the portal shows in preview --refresh --diff and up repairs it", async () => {
        const portal = new LabPortal(lab);
        try {
            expect(await portal.turnOffCloudTrust(ids.trust)).toBe(`${dev}_policies_usecloudtrustforonpremauth`);
        } finally {
            await portal.close();
        }

        const pv = await t.stack.preview({ refresh: true, diff: true, onOutput });
        expect(pv.changeSummary.update).toBe(1);
        expect(pv.stdout).toMatch(/policies_usecloudtrustforonpremauth = false"? => "?device_vendor_msft_passportforwork_\{tenantid\}\[0\]\/policies_usecloudtrustforonpremauth = true/);

        const up = await t.stack.up({ refresh: true, onOutput });
        expect(up.summary.resourceChanges?.update).toBe(1);
        const stored = (await tenant()).configurationPolicies.find((x: any) => x.id === ids.trust);
        expect(stored.settings[0].settingInstance.groupSettingCollectionValue[0].children[1].choiceSettingValue.value).toBe(`${dev}_policies_usecloudtrustforonpremauth_true`);
        await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
    }, 300_000);

    test("a policy an older version wrote under the legacy security key id: preview --refresh --diff names it, up rewrites it", async () => {
        // what versions before issue 15 left in a tenant; written through the admin API, since the
        // emulator's catalog (like a real one) refuses that id on the Graph API
        const legacy = `${dev}_policies_usesecuritykeyforsignin`;
        const stored = (await tenant()).configurationPolicies.find((x: any) => x.id === ids.trust);
        stored.settings[0].settingInstance.groupSettingCollectionValue[0].children.push({
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", settingDefinitionId: legacy, settingInstanceTemplateReference: null,
            choiceSettingValue: { settingValueTemplateReference: null, value: `${legacy}_true`, children: [] },
        });
        await admin("POST", "/_emulator/seed", { configurationPolicies: [stored] });

        const pv = await t.stack.preview({ refresh: true, diff: true, onOutput });
        expect(pv.changeSummary.update).toBe(1);
        // the drift reason names the legacy id (the CLI may print the quotes around it escaped)
        const escaped = legacy.replace(/[{}]/g, "\\$&");
        expect(pv.stdout).toMatch(new RegExp(`the policy holds the legacy setting id \\\\?"${escaped}\\\\?"`));
        expect(pv.stdout).toContain(`${dev}[0]/policies_usesecuritykeyforsignin = true`);

        await t.stack.up({ refresh: true, onOutput });
        expect(JSON.stringify((await tenant()).configurationPolicies.find((x: any) => x.id === ids.trust).settings)).not.toContain(legacy);
        await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
    }, 300_000);

    test("58 settings added in the portal (60 in all) are each reported and removed", async () => {
        // Definitions the lab's catalog lacks, added through the admin API (fixed ids: a rerun replaces them).
        const defs = Array.from({ length: 58 }, (_, i) => simpleDefinition({
            id: `device_vendor_msft_policy_config_e2epaging_setting${i}`, displayName: `e2e paging ${i}`,
            baseUri: "./Device/Vendor/MSFT/Policy/Config/E2EPaging", offsetUri: `/Setting${i}`, valueType: "integer", maximum: 100,
        }));
        await admin("POST", "/_emulator/seed", { configurationSettings: defs });
        const p = await graphRequest(gc, { method: "GET", version: "beta", path: `${POLICIES}/${ids.trust}`, query: { $expand: "settings" } });
        const settings = [
            ...p.settings.map((s: any) => ({ "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting", settingInstance: JSON.parse(JSON.stringify(s.settingInstance, (k, v) => (k.endsWith("@odata.type") && k !== "@odata.type") || v === null ? undefined : v)) })),
            ...defs.map((d, i) => ({ "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting", settingInstance: {
                "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance", settingDefinitionId: d.id,
                simpleSettingValue: { "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue", value: i } } })),
        ];
        await graphRequest(gc, { method: "PUT", version: "beta", path: `${POLICIES}/${ids.trust}`, body: {
            name: p.name, description: p.description, platforms: p.platforms, technologies: p.technologies, roleScopeTagIds: p.roleScopeTagIds, templateReference: { templateId: "" }, settings,
        } });
        expect((await tenant()).configurationPolicies.find((x: any) => x.id === ids.trust).settingCount).toBe(60);

        const pv = await t.stack.preview({ refresh: true, diff: true, onOutput });
        expect(pv.changeSummary.update).toBe(1);
        for (const i of [0, 30, 57]) expect(pv.stdout).toContain(`device_vendor_msft_policy_config_e2epaging_setting${i} = ${i}`);

        await t.stack.up({ refresh: true, onOutput });
        expect((await tenant()).configurationPolicies.find((x: any) => x.id === ids.trust).settingCount).toBe(2);
        await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
    }, 300_000);

    test("an assignment removed and the HostToRealm value rewritten in the portal show in the preview and up repairs both", async () => {
        await graphRequest(gc, { method: "POST", version: "beta", path: `${POLICIES}/${ids.trust}/assign`, body: { assignments: [
            { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: PILOT } },
        ] } });
        await graphRequest(gc, { method: "PATCH", version: "beta", path: `${PROFILES}/${ids.realms}`, body: {
            "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
            omaSettings: [{ "@odata.type": "#microsoft.graph.omaSettingString", displayName: "HostToRealm", omaUri: HOST_TO_REALM_OMA_URI, value: '<enabled/><data id="hosttorealm" value="EVIL.EXAMPLE&#xF000;.file.core.windows.net"/>' }],
        } });

        const pv = await t.stack.preview({ refresh: true, diff: true, onOutput });
        expect(pv.changeSummary.update).toBe(2);
        expect(pv.stdout).toContain("Break Glass Admins");
        expect(pv.stdout).toContain("HostToRealm value was rewritten outside Pulumi");

        await t.stack.up({ refresh: true, onOutput });
        const state = await tenant();
        expect(state.configurationPolicies.find((x: any) => x.id === ids.trust).assignments.map((a: any) => a.target.groupId)).toEqual([PILOT, GLASS]);
        expect(state.deviceConfigurations.find((x: any) => x.id === ids.realms).omaSettings[0].value).toBe(encodeHostToRealm(MAPPINGS));
        await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
    }, 300_000);

    test("a policy deleted in the portal is planned as a create and recreated by up, with 429/503 on every second write, without duplicates", async () => {
        await graphRequest(gc, { method: "DELETE", version: "beta", path: `${POLICIES}/${ids.trust}` });
        const pv = await t.stack.preview({ refresh: true, diff: true, onOutput });
        expect(pv.changeSummary.create).toBe(1);

        // Scoped to Intune writes and removed right after: the lab is shared.
        const faults = await addFaults([
            { method: "POST", path: "/beta/deviceManagement/configurationPolicies*", everyNth: 2, status: 429, retryAfter: 1 },
            { method: "PUT", path: "/beta/deviceManagement/configurationPolicies/*", everyNth: 2, status: 503 },
        ]);
        try {
            const up = await t.stack.up({ refresh: true, onOutput });
            expect(up.summary.result).toBe("succeeded");
            ids.trust = up.outputs.cloudTrustPolicyId.value;
            const applied = (await admin("GET", "/_emulator/faults")).value.filter((f: any) => faults.includes(f.id));
            expect(applied.reduce((n: number, f: any) => n + f.applied, 0)).toBeGreaterThan(0);
        } finally {
            for (const f of faults) await removeFault(f);
        }
        expect((await named(POLICIES, "name", names.trust)).map((p) => p.id)).toEqual([ids.trust]);
        await t.stack.preview({ refresh: true, expectNoChanges: true, onOutput });
    }, 300_000);

    test("state and engine output hold references, never the lab's secrets", async () => {
        const state = JSON.stringify(await t.exportState());
        expect(state).toContain(`"env":"${lab.emulator.app.clientSecretEnv}"`);
        for (const secret of labSecretValues(lab)) {
            expect(state).not.toContain(secret);
            expect(output.join("")).not.toContain(secret);
        }
    });

    test("destroy deletes exactly this stack's profiles; the unrelated policy survives", async () => {
        const d = await t.stack.destroy({ onOutput });
        destroyed = true;
        expect(d.summary.result).toBe("succeeded");
        expect(await named(POLICIES, "name", names.trust)).toEqual([]);
        expect(await named(PROFILES, "displayName", names.realms)).toEqual([]);
        expect((await named(POLICIES, "name", names.unrelated)).map((p) => p.id)).toEqual([unrelatedId]);
    }, 300_000);
});
