// The settings catalog bodies, field by field against graph-apis.md §1.1/§1.2.
import { CLOUD_KERBEROS_TICKET_RETRIEVAL, cloudTrustSettings, DEVICE_WHFB, SECURITY_KEY_FOR_SIGN_IN, USER_WHFB } from "../../../provider/intune/cloud-trust-settings";
import { choice, groupCollection, policyBody, simpleString } from "../../../provider/intune/settings-catalog";

const T = {
    setting: "#microsoft.graph.deviceManagementConfigurationSetting",
    choice: "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    group: "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
};
const dev = "device_vendor_msft_passportforwork_{tenantid}";
const usr = "user_vendor_msft_passportforwork_{tenantid}";
const defaults = { useWindowsHelloForBusiness: true, useCloudTrustForOnPremAuth: true };

describe("policy body", () => {
    test("the §1.2 body for device + user scope with cloud Kerberos ticket retrieval", () => {
        const body = policyBody({
            name: "WHfB - Cloud Kerberos Trust", description: "Managed by <tool>",
            settings: cloudTrustSettings({ scope: "both", ...defaults, cloudKerberosTicketRetrieval: true }),
        });
        expect(Object.keys(body).sort()).toEqual(["description", "name", "platforms", "roleScopeTagIds", "settings", "technologies", "templateReference"]);
        expect(body).toMatchObject({
            name: "WHfB - Cloud Kerberos Trust", description: "Managed by <tool>", platforms: "windows10", technologies: "mdm",
            roleScopeTagIds: ["0"], templateReference: { templateId: "" },
        });
        expect(body.settings).toEqual([
            {
                "@odata.type": T.setting,
                settingInstance: {
                    "@odata.type": T.group, settingDefinitionId: dev,
                    groupSettingCollectionValue: [{ children: [
                        { "@odata.type": T.choice, settingDefinitionId: `${dev}_policies_usepassportforwork`, choiceSettingValue: { value: `${dev}_policies_usepassportforwork_true`, children: [] } },
                        { "@odata.type": T.choice, settingDefinitionId: `${dev}_policies_usecloudtrustforonpremauth`, choiceSettingValue: { value: `${dev}_policies_usecloudtrustforonpremauth_true`, children: [] } },
                        { "@odata.type": T.choice, settingDefinitionId: `${dev}_policies_usecertificateforonpremauth`, choiceSettingValue: { value: `${dev}_policies_usecertificateforonpremauth_false`, children: [] } },
                    ] }],
                },
            },
            {
                "@odata.type": T.setting,
                settingInstance: { "@odata.type": T.choice, settingDefinitionId: CLOUD_KERBEROS_TICKET_RETRIEVAL, choiceSettingValue: { value: `${CLOUD_KERBEROS_TICKET_RETRIEVAL}_1`, children: [] } },
            },
            {
                "@odata.type": T.setting,
                settingInstance: {
                    "@odata.type": T.group, settingDefinitionId: usr,
                    groupSettingCollectionValue: [{ children: [
                        { "@odata.type": T.choice, settingDefinitionId: `${usr}_policies_usepassportforwork`, choiceSettingValue: { value: `${usr}_policies_usepassportforwork_true`, children: [] } },
                    ] }],
                },
            },
        ]);
        // never the server-filled fields
        for (const k of ["id", "settingCount", "isAssigned", "createdDateTime", "lastModifiedDateTime"]) expect(body).not.toHaveProperty(k);
        // {tenantid} stays literal everywhere
        expect(JSON.stringify(body).match(/passportforwork_[^_"]+/g)).toEqual(expect.arrayContaining(["passportforwork_{tenantid}"]));
        expect(new Set(JSON.stringify(body).match(/vendor_msft_passportforwork_[^_"]+/g))).toEqual(new Set(["vendor_msft_passportforwork_{tenantid}"]));
    });

    test("scope tags read from the policy are kept; an empty list falls back to Default", () => {
        expect(policyBody({ name: "n", description: "d", settings: [], roleScopeTagIds: ["3", "7"] }).roleScopeTagIds).toEqual(["3", "7"]);
        expect(policyBody({ name: "n", description: "d", settings: [], roleScopeTagIds: [] }).roleScopeTagIds).toEqual(["0"]);
    });

    test("instance builders", () => {
        expect(choice("a_b", "1")).toEqual({ "@odata.type": T.choice, settingDefinitionId: "a_b", choiceSettingValue: { value: "a_b_1", children: [] } });
        expect(groupCollection("g", [[], [simpleString("g_k", "v")]])).toEqual({
            "@odata.type": T.group, settingDefinitionId: "g",
            groupSettingCollectionValue: [{ children: [] }, { children: [{
                "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance", settingDefinitionId: "g_k",
                simpleSettingValue: { "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue", value: "v" },
            }] }],
        });
    });
});

describe("cloud trust settings per input", () => {
    const ids = (s: ReturnType<typeof cloudTrustSettings>) => JSON.stringify(s).match(/"value":"[^"]+"/g);

    test("device scope: the PassportForWork device group only; certificate trust explicitly off", () => {
        const s = cloudTrustSettings({ scope: "device", ...defaults });
        expect(s.map((i) => i.settingDefinitionId)).toEqual([DEVICE_WHFB]);
        expect(ids(s)).toContain(`"value":"${dev}_policies_usecertificateforonpremauth_false"`);
    });

    test("user scope: the user group only", () => {
        const s = cloudTrustSettings({ scope: "user", ...defaults, useCloudTrustForOnPremAuth: false });
        expect(s.map((i) => i.settingDefinitionId)).toEqual([USER_WHFB]);
    });

    test.each([
        ["useWindowsHelloForBusiness false", { useWindowsHelloForBusiness: false }, `${dev}_policies_usepassportforwork_false`],
        ["useCloudTrustForOnPremAuth false", { useCloudTrustForOnPremAuth: false }, `${dev}_policies_usecloudtrustforonpremauth_false`],
        ["useSecurityKeyForSignIn true", { useSecurityKeyForSignIn: true }, `${SECURITY_KEY_FOR_SIGN_IN}_1`],
        ["useSecurityKeyForSignIn false", { useSecurityKeyForSignIn: false }, `${SECURITY_KEY_FOR_SIGN_IN}_0`],
        ["cloudKerberosTicketRetrieval false", { cloudKerberosTicketRetrieval: false }, `${CLOUD_KERBEROS_TICKET_RETRIEVAL}_0`],
    ])("%s", (_l, over, value) => {
        expect(ids(cloudTrustSettings({ scope: "device", ...defaults, ...over }))).toContain(`"value":"${value}"`);
    });

    test("the security key setting is top level (not in the device group), as the real catalog defines it", () => {
        const s = cloudTrustSettings({ scope: "device", ...defaults, useSecurityKeyForSignIn: true });
        expect(s.map((i) => i.settingDefinitionId)).toEqual([DEVICE_WHFB, SECURITY_KEY_FOR_SIGN_IN]);
        expect(JSON.stringify(s[0])).not.toContain("usesecuritykeyforsignin");
    });

    test("optional settings are left out when unset", () => {
        const text = JSON.stringify(cloudTrustSettings({ scope: "both", ...defaults }));
        expect(text).not.toContain("usesecuritykeyforsignin");
        expect(text).not.toContain(CLOUD_KERBEROS_TICKET_RETRIEVAL);
    });
});
