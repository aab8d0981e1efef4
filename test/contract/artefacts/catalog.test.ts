// The settings catalog is the real one. The emulator's default catalog is held, definition by
// definition, to the 33 definitions a real tenant returned; every setting id and option the
// provider writes exists there with the instance type its definition asks for; and an id no real
// definition has is refused on the wire the way Intune refuses a policy.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { choiceDefinition, defaultSettingDefinitions, groupCollectionDefinition, LAB_TENANT_ID, simpleDefinition } from "../../../lab/emulator";
import { seedTenant } from "../../../lab/emulator/seed";
import { TenantState } from "../../../lab/emulator/state";
import { graphRequest, type GraphClient } from "../../../provider/graph";
import { cloudTrustSettings, LEGACY_SECURITY_KEY_FOR_SIGN_IN, SCOPES } from "../../../provider/intune/cloud-trust-settings";
import { choice, groupCollection, policyBody, type SettingInstance } from "../../../provider/intune/settings-catalog";
import { FAST_RETRY, startGraphLab, type GraphLab } from "../../integration/support/graph-lab";
import { realDefinitions, realExport } from "./fixtures";

const INSTANCE_FOR: Record<string, string> = {
    "#microsoft.graph.deviceManagementConfigurationChoiceSettingDefinition": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    "#microsoft.graph.deviceManagementConfigurationSettingGroupCollectionDefinition": "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
    "#microsoft.graph.deviceManagementConfigurationSimpleSettingDefinition": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
};

/** The fields that decide what a policy may contain and what the portal shows (descriptions, SKUs, versions are not compared). */
function contractOf(d: any) {
    return {
        "@odata.type": d["@odata.type"], id: d.id, name: d.name, displayName: d.displayName, baseUri: d.baseUri, offsetUri: d.offsetUri,
        rootDefinitionId: d.rootDefinitionId, accessTypes: d.accessTypes, uxBehavior: d.uxBehavior, occurrence: d.occurrence,
        minimumSupportedVersion: d.applicability?.minimumSupportedVersion,
        dependentOn: d.dependentOn ?? [], dependedOnBy: d.dependedOnBy,
        childIds: d.childIds, minimumCount: d.minimumCount, maximumCount: d.maximumCount,
        defaultOptionId: d.defaultOptionId,
        options: d.options?.map((o: any) => ({ itemId: o.itemId, displayName: o.displayName, optionValue: o.optionValue, dependedOnBy: o.dependedOnBy })),
        valueDefinition: d.valueDefinition, defaultValue: d.defaultValue ?? null,
    };
}

const real = new Map<string, any>(realDefinitions().map((d) => [d.id, d]));

describe("the emulator's default catalog is the real one", () => {
    const emulated = defaultSettingDefinitions();

    test("the same 33 ids, no more and no fewer", () => {
        expect(real.size).toBe(33);
        expect(emulated.map((d) => d.id).sort()).toEqual([...real.keys()].sort());
    });

    test.each([...real.keys()].sort())("%s matches the real definition", (id) => {
        expect(contractOf(emulated.find((d) => d.id === id))).toEqual(contractOf(real.get(id)));
    });

    test.each([...real.keys()].sort())("%s has the real definition's properties, no more and no fewer", (id) => {
        expect(Object.keys(emulated.find((d) => d.id === id)).sort()).toEqual(Object.keys(real.get(id)).sort());
    });

    test("display names as today's catalog names them", () => {
        const byId = new Map(emulated.map((d) => [d.id, d.displayName]));
        expect(byId.get("device_vendor_msft_passportforwork_{tenantid}_policies_usepassportforwork")).toBe("Use Windows Hello For Business (Device)");
        expect(byId.get("user_vendor_msft_passportforwork_{tenantid}_policies_usepassportforwork")).toBe("Use Windows Hello For Business (User)");
        expect(byId.get("device_vendor_msft_passportforwork_{tenantid}")).toBe("Device-scoped settings");
    });
});

describe("a lab tenant saved by an older version gets the real catalog when it loads", () => {
    test("saved defaults are replaced, the invented security key definition dropped, definitions a test added kept; missing collections seeded", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "catalog-state-"));
        try {
            const file = path.join(dir, "state.json");
            const dev = "device_vendor_msft_passportforwork_{tenantid}";
            const older = [
                // as versions before issue 15 seeded them
                groupCollectionDefinition({ id: dev, displayName: "Windows Hello For Business", baseUri: "./Device/Vendor/MSFT/PassportForWork", offsetUri: "/{0}", childIds: [`${dev}_policies_usepassportforwork`, LEGACY_SECURITY_KEY_FOR_SIGN_IN] }),
                choiceDefinition({ id: LEGACY_SECURITY_KEY_FOR_SIGN_IN, displayName: "Use Security Key For Signin", parentId: dev, rootDefinitionId: dev, baseUri: "", offsetUri: "", defaultSuffix: "false",
                    options: [{ suffix: "false", displayName: "false", value: "false" }, { suffix: "true", displayName: "true", value: "true" }] }),
                simpleDefinition({ id: "device_vendor_msft_policy_config_labtest_added", displayName: "added by a test", baseUri: "", offsetUri: "", valueType: "integer" }),
            ];
            fs.writeFileSync(file, JSON.stringify({ version: 1, tenantId: LAB_TENANT_ID, data: { configurationSettings: older } }));
            const state = new TenantState(LAB_TENANT_ID, () => seedTenant(LAB_TENANT_ID), file);
            const loaded = state.configurationSettings;
            expect(loaded.map((d) => d.id).sort()).toEqual([...real.keys(), "device_vendor_msft_policy_config_labtest_added"].sort());
            expect(contractOf(loaded.find((d) => d.id === dev))).toEqual(contractOf(real.get(dev)));
            // a collection the older file does not have (the FIDO2 method came later) starts as seeded
            expect(state.dump().authenticationMethodConfigurations.map((c: any) => c.id)).toEqual(["Fido2"]);
            expect(state.dump().policies).toEqual(seedTenant(LAB_TENANT_ID).policies);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

/** Holds one instance (and its children) to the real definitions; returns what does not fit. */
function misfits(inst: any, parent: any | undefined, out: string[] = []): string[] {
    const def = real.get(inst.settingDefinitionId);
    if (!def) { out.push(`${inst.settingDefinitionId}: no real definition has this id`); return out; }
    if (INSTANCE_FOR[def["@odata.type"]] !== inst["@odata.type"]) out.push(`${def.id}: instance ${inst["@odata.type"]} for a ${def["@odata.type"]}`);
    if (parent === undefined && def.rootDefinitionId !== def.id) out.push(`${def.id}: a child of ${def.rootDefinitionId} sent at the top level`);
    if (parent !== undefined && !(parent.childIds ?? []).includes(def.id)) out.push(`${def.id}: not a child of ${parent.id}`);
    if (inst.choiceSettingValue) {
        const option = def.options.find((o: any) => o.itemId === inst.choiceSettingValue.value);
        if (!option) out.push(`${def.id}: option ${inst.choiceSettingValue.value} does not exist`);
        for (const c of inst.choiceSettingValue.children ?? []) misfits(c, def, out);
    }
    for (const g of inst.groupSettingCollectionValue ?? []) for (const c of g.children ?? []) misfits(c, def, out);
    return out;
}

describe("every setting the provider writes is a real definition, with a real option", () => {
    const combos = SCOPES.flatMap((scope) => [true, false].flatMap((flag) => [{ scope, flag }]));

    test.each(combos)("CloudTrustPolicy, scope $scope, every optional setting $flag", ({ scope, flag }) => {
        const device = scope !== "user";
        const settings = cloudTrustSettings({
            scope, useWindowsHelloForBusiness: flag, useCloudTrustForOnPremAuth: device && flag,
            useSecurityKeyForSignIn: device ? flag : undefined, cloudKerberosTicketRetrieval: device ? flag : undefined,
        });
        expect(settings.flatMap((s) => misfits(s, undefined))).toEqual([]);
    });

    test("the security key setting is the real top-level definition with integer options, matching the OMA-URI", () => {
        const [key] = cloudTrustSettings({ scope: "device", useWindowsHelloForBusiness: true, useCloudTrustForOnPremAuth: true, useSecurityKeyForSignIn: true })
            .filter((s) => /securitykey/.test(s.settingDefinitionId));
        const def = real.get(key.settingDefinitionId);
        expect(`${def.baseUri}${def.offsetUri}`).toBe("./Device/Vendor/MSFT/PassportForWork/SecurityKey/UseSecurityKeyForSignin"); // seed 001's OMA-URI
        const option = def.options.find((o: any) => o.itemId === (key as any).choiceSettingValue.value);
        expect(option.optionValue).toEqual({ "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue", value: 1, settingValueTemplateReference: null });
    });

    test("the id versions before issue 15 sent is not a real definition", () => {
        expect(real.has(LEGACY_SECURITY_KEY_FOR_SIGN_IN)).toBe(false);
        expect(real.get("device_vendor_msft_passportforwork_{tenantid}").childIds).not.toContain(LEGACY_SECURITY_KEY_FOR_SIGN_IN);
    });

    test("the real exports' own settings fit the real definitions (the checker is not too strict)", () => {
        const settings = realExport("oib-settings-catalog-cloud-kerberos-trust-v3.5.json").settings.map((s: any) => s.settingInstance);
        expect(settings.flatMap((s: any) => misfits(s, undefined))).toEqual([]);
    });
});

describe("an id no real definition has is refused on the wire", () => {
    let lab: GraphLab, gc: GraphClient;
    beforeAll(async () => { lab = await startGraphLab(); gc = lab.client(undefined, { retry: { ...FAST_RETRY, maxAttempts: 1 } }); });
    afterAll(async () => { await lab?.close(); });

    async function post(settings: SettingInstance[]): Promise<any> {
        try {
            await graphRequest(gc, { method: "POST", version: "beta", path: "/deviceManagement/configurationPolicies", body: policyBody({ name: "contract", description: "", settings }), description: "contract" });
        } catch (e) { return e; }
        throw new Error("the emulator accepted a setting no real definition has");
    }

    test.each([
        ["the legacy security key id in the device group", [groupCollection("device_vendor_msft_passportforwork_{tenantid}", [[choice(LEGACY_SECURITY_KEY_FOR_SIGN_IN, "true")]])], LEGACY_SECURITY_KEY_FOR_SIGN_IN],
        ["a child the real group lists but the real catalog export lacks", [groupCollection("device_vendor_msft_passportforwork_{tenantid}", [[choice("device_vendor_msft_passportforwork_{tenantid}_policies_disablepostlogonprovisioning", "true")]])], "disablepostlogonprovisioning"],
        ["the tenant GUID substituted into an id", [groupCollection("device_vendor_msft_passportforwork_7b0f2c3e-5d1a-4c8e-9f60-1a2b3c4d5e6f", [])], "7b0f2c3e"],
        ["an option the real definition lacks (boolean option on the integer setting)", [choice("device_vendor_msft_passportforwork_securitykey_usesecuritykeyforsignin", "true")], "is not an option"],
    ])("%s: 400 BadRequest", async (_label, settings, mentions) => {
        const e = await post(settings as SettingInstance[]);
        expect(e.httpStatus).toBe(400);
        expect(e.serviceCode).toBe("BadRequest");
        expect(e.code).toBe("GRAPH_BAD_REQUEST");
        // the provider unwrapped the DeviceConfigV2 document (_version 3) Intune puts in error.message;
        // its wire shape is held to the real one in test/integration/graph-intune.test.ts
        expect(e.message).toContain(mentions);
    });

    test("the real export's settings are accepted as they are", async () => {
        const exp = realExport("oib-settings-catalog-cloud-kerberos-trust-v3.5.json");
        const created = await graphRequest<any>(gc, { method: "POST", version: "beta", path: "/deviceManagement/configurationPolicies", description: "contract",
            body: { name: exp.name, description: exp.description, platforms: exp.platforms, technologies: exp.technologies, roleScopeTagIds: exp.roleScopeTagIds, templateReference: { templateId: "" },
                settings: exp.settings.map((s: any) => ({ "@odata.type": s["@odata.type"], settingInstance: s.settingInstance })) } });
        expect(created.settingCount).toBe(2);
    });
});
