// Every request body the provider writes, built by the provider's own code, validated against the
// schema of its API version: v1.0 bodies against the whole v1.0 CSDL, beta bodies (the Intune
// endpoints are beta-only) against the beta extract. An unknown property, a wrong type or an enum
// member the schema lacks fails the test. Where the beta extract lacks a type, the gap is listed
// below and asserted exactly, so a new gap cannot pass unseen.
import { assignBody, normalizeAssignments } from "../../../provider/intune/assignments";
import { cloudTrustSettings, SCOPES } from "../../../provider/intune/cloud-trust-settings";
import { interpretDefinitions } from "../../../provider/intune/host-to-realm-catalog";
import { catalogPolicyBody, omaProfileBody } from "../../../provider/intune/host-to-realm-mapping";
import { markedDescription } from "../../../provider/intune/marker";
import { policyBody } from "../../../provider/intune/settings-catalog";
import { emptyIds } from "../../../provider/conditional-access/model";
import { planMerge, type CaPolicy } from "../../../provider/conditional-access/merge";
import { choiceDefinition, groupCollectionDefinition, simpleDefinition } from "../../../lab/emulator";
import { validateBody, type SchemaModel } from "./csdl";
import { betaSchema, realExport, realExportNames, v1Schema } from "./fixtures";

const GROUP = "5d7a7c1e-0c6b-4c1e-9a55-1d2e3f405060";
const OTHER = "0b3f2c1d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/** Graph answers a v1.0 GET with the v1.0 model's properties only: a beta export read as v1.0 would return it. */
function asReadOn(model: SchemaModel, typeName: string, v: any): any {
    if (Array.isArray(v)) return v.map((x) => asReadOn(model, typeName.replace(/^Collection\((.*)\)$/, "$1"), x));
    if (typeof v !== "object" || v === null) return v;
    const actual = typeof v["@odata.type"] === "string" ? v["@odata.type"].slice(1) : typeName;
    const info = model.types.get(actual);
    if (!info) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
        const p = info.properties.get(k);
        if (p) out[k] = asReadOn(model, p.type, x);
        else if (k === "@odata.type") out[k] = x; // a derived type is named on the wire
    }
    return out;
}

describe("settings catalog policy (POST and PUT beta deviceManagement/configurationPolicies)", () => {
    const combos = SCOPES.flatMap((scope) => [undefined, true, false].flatMap((key) => [undefined, true, false].map((ticket) => ({ scope, key, ticket }))))
        .filter((c) => c.scope !== "user" || (c.key === undefined && c.ticket === undefined));

    test.each(combos)("CloudTrustPolicy body, scope $scope, security key $key, ticket retrieval $ticket", ({ scope, key, ticket }) => {
        const body = policyBody({
            name: "WHfB cloud trust", description: markedDescription("x"), roleScopeTagIds: ["0", "7"],
            settings: cloudTrustSettings({ scope, useWindowsHelloForBusiness: true, useCloudTrustForOnPremAuth: scope !== "user", useSecurityKeyForSignIn: key, cloudKerberosTicketRetrieval: ticket }),
        });
        expect(validateBody(betaSchema(), "deviceManagementConfigurationPolicy", body)).toEqual({ errors: [], gaps: [] });
    });

    test("HostToRealmMapping's catalog body (against a definition tree shaped like the ADMX list settings)", () => {
        const h2r = "device_vendor_msft_policy_config_admx_kerberos_hosttorealm";
        const def = interpretDefinitions([
            choiceDefinition({ id: h2r, displayName: "Define host name-to-Kerberos realm mappings", baseUri: "", offsetUri: "", defaultSuffix: "0",
                options: [{ suffix: "0", displayName: "Disabled", value: 0 }, { suffix: "1", displayName: "Enabled", value: 1, childIds: [`${h2r}_hosttorealm`] }] }),
            groupCollectionDefinition({ id: `${h2r}_hosttorealm`, displayName: "list", parentId: h2r, rootDefinitionId: h2r, baseUri: "", offsetUri: "", childIds: [`${h2r}_hosttorealm_key`, `${h2r}_hosttorealm_value`], maximumCount: 100 }),
            simpleDefinition({ id: `${h2r}_hosttorealm_key`, displayName: "k", parentId: `${h2r}_hosttorealm`, rootDefinitionId: h2r, baseUri: "", offsetUri: "", valueType: "string" }),
            simpleDefinition({ id: `${h2r}_hosttorealm_value`, displayName: "v", parentId: `${h2r}_hosttorealm`, rootDefinitionId: h2r, baseUri: "", offsetUri: "", valueType: "string" }),
        ]);
        expect(def).toBeDefined();
        const body = catalogPolicyBody("H2R", def!, [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }]);
        expect(validateBody(betaSchema(), "deviceManagementConfigurationPolicy", body)).toEqual({ errors: [], gaps: [] });
    });

    test("the /assign action's assignments, every target kind", () => {
        const a = normalizeAssignments({ includeGroups: ["Pilot"], excludeGroups: ["Break Glass"], allDevices: true, allUsers: true })!;
        const body = assignBody(a, { Pilot: GROUP, "Break Glass": OTHER });
        expect(Object.keys(body)).toEqual(["assignments"]); // the action's only parameter besides the binding
        expect(validateBody(betaSchema(), "Collection(deviceManagementConfigurationPolicyAssignment)", body.assignments)).toEqual({ errors: [], gaps: [] });
    });
});

describe("custom OMA-URI profile (POST and PATCH beta deviceManagement/deviceConfigurations)", () => {
    test.each([true, false])("HostToRealmMapping's profile body, forCreate %s", (forCreate) => {
        const body = omaProfileBody("H2R", [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net", "a.file.core.windows.net"] }], { forCreate });
        expect(validateBody(betaSchema(), "deviceConfiguration", body)).toEqual({ errors: [], gaps: [] });
    });

    test("the /assign action's assignments (deviceConfigurationAssignment)", () => {
        const body = assignBody(normalizeAssignments({ includeGroups: ["Pilot"], excludeGroups: ["Break Glass"] })!, { Pilot: GROUP, "Break Glass": OTHER });
        expect(validateBody(betaSchema(), "Collection(deviceConfigurationAssignment)", body.assignments)).toEqual({ errors: [], gaps: [] });
    });
});

describe("Conditional Access exclusion PATCH (v1.0 identity/conditionalAccess/policies/{id})", () => {
    const caExports = realExportNames().filter((f) => f.startsWith("ca-"));

    test("six real policies are there to build from", () => {
        expect(caExports).toHaveLength(6);
    });

    test.each(caExports)("adding and removing exclusions on %s", (file) => {
        const policy = asReadOn(v1Schema(), "conditionalAccessPolicy", realExport(file)) as CaPolicy;
        const want = { ...emptyIds(), groups: [GROUP], users: [OTHER], applications: ["00000003-0000-0000-c000-000000000000"] };
        const plan = planMerge(policy, want, emptyIds());
        expect(plan.body).toBeDefined();
        expect(validateBody(v1Schema(), "conditionalAccessPolicy", plan.body)).toEqual({ errors: [], gaps: [] });
        // and the removal of everything just added
        const undo = planMerge({ ...policy, conditions: { ...policy.conditions, ...plan.body!.conditions } }, emptyIds(), want);
        expect(validateBody(v1Schema(), "conditionalAccessPolicy", undo.body)).toEqual({ errors: [], gaps: [] });
    });
});

describe("the validator refuses what Graph refuses (so a pass above means something)", () => {
    const base = () => policyBody({ name: "n", description: "d", settings: cloudTrustSettings({ scope: "device", useWindowsHelloForBusiness: true, useCloudTrustForOnPremAuth: true }) });

    test.each([
        ["an unknown property", (b: any) => { b.settingsCount = 1; }, "$.settingsCount: microsoft.graph.deviceManagementConfigurationPolicy has no property 'settingsCount' in beta extract"],
        ["a read-only property", (b: any) => { b.createdDateTime = "2026-01-01T00:00:00Z"; }, "$.createdDateTime: 'createdDateTime' is read-only"],
        ["an enum member the schema lacks", (b: any) => { b.technologies = "intune"; }, "$.technologies: \"intune\" is not a member of microsoft.graph.deviceManagementConfigurationTechnologies"],
        ["technologies as an array (as a peer's mock has it)", (b: any) => { b.technologies = ["mdm"]; }, "$.technologies: [\"mdm\"] is not a member"],
        ["an unknown property deep in a setting", (b: any) => { b.settings[0].settingInstance.groupSettingCollectionValue[0].extra = true; }, "$.settings[0].settingInstance.groupSettingCollectionValue[0].extra: microsoft.graph.deviceManagementConfigurationGroupSettingValue has no property 'extra'"],
        ["a setting instance of an abstract type", (b: any) => { b.settings[0].settingInstance["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationSettingInstance"; }, "is abstract"],
    ])("%s", (_label, spoil, message) => {
        const b: any = base();
        spoil(b);
        expect(validateBody(betaSchema(), "deviceManagementConfigurationPolicy", b).errors.join("\n")).toContain(message);
    });

    test("v1.0 refuses a Conditional Access field only beta has, and takes those v1.0 defines", () => {
        const v1 = v1Schema();
        expect(validateBody(v1, "conditionalAccessPolicy", { partialEnablementStrategy: null }).errors)
            .toEqual(["$.partialEnablementStrategy: microsoft.graph.conditionalAccessPolicy has no property 'partialEnablementStrategy' in v1.0 CSDL"]);
        expect(validateBody(v1, "conditionalAccessPolicy", { description: "d", deletedDateTime: null, modifiedDateTime: "2026-02-13T12:19:57Z" }).errors).toEqual([]);
    });
});

describe("gaps: what the beta extract cannot check", () => {
    /** From the beta endpoints' entity types down: referenced types the extract lacks, and properties it knows by name only. */
    function reach(roots: string[]) {
        const m = betaSchema();
        const seen = new Set<string>(), missing = new Set<string>(), untyped = new Set<string>();
        const walk = (t: string): void => {
            t = t.replace(/^Collection\((.*)\)$/, "$1");
            if (seen.has(t) || t.startsWith("Edm.") || m.enums.has(t)) return;
            seen.add(t);
            const info = m.types.get(t);
            if (!info) { missing.add(t.replace("microsoft.graph.", "")); return; }
            for (const p of info.properties.values()) {
                if (p.type === "unknown") untyped.add(`${t.replace("microsoft.graph.", "")}.${p.name}`);
                else if (!p.navigation || p.name === "settings" || p.name === "assignments") walk(p.type); // the navigations a body carries
            }
            for (const [name, x] of m.types) if (x.bases.includes(t)) walk(name);
        };
        roots.forEach((r) => walk(`microsoft.graph.${r}`));
        return { missing: [...missing].sort(), untyped: [...untyped].sort() };
    }

    test("listed exactly, so a new gap cannot pass unseen (none is in a body the provider sends: every verdict above has no gaps)", () => {
        expect(reach(["deviceManagementConfigurationPolicy", "windows10CustomConfiguration", "deviceManagementConfigurationPolicyAssignment", "deviceConfigurationAssignment"])).toEqual({
            // types the July 2021 beta CSDL references but the extract does not hold
            missing: ["deviceManagementApplicabilityRuleDeviceMode", "deviceManagementApplicabilityRuleOsEdition", "deviceManagementApplicabilityRuleOsVersion"],
            // today's beta has these, the 2021 types lack them: names checked, values not
            untyped: [
                "deviceConfigurationAssignment.intent", "deviceManagementConfigurationPolicy.disableEntraGroupPolicyAssignment", "deviceManagementConfigurationPolicy.priorityMetaData",
                "deviceManagementConfigurationPolicyAssignment.source", "deviceManagementConfigurationPolicyAssignment.sourceId",
            ],
        });
    });
});
