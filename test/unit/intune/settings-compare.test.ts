// Settings comparison: server-filled fields and order never cause a diff; a changed value always does.
import { cloudTrustSettings } from "../../../provider/intune/cloud-trust-settings";
import { policyBody } from "../../../provider/intune/settings-catalog";
import { flattenSettings, sameSettings, settingsDifference } from "../../../provider/intune/settings-compare";

const dev = "device_vendor_msft_passportforwork_{tenantid}";
const TICKET = "device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled";
const sent = () => policyBody({ name: "n", description: "d", settings: cloudTrustSettings({ scope: "both", useWindowsHelloForBusiness: true, useCloudTrustForOnPremAuth: true, cloudKerberosTicketRetrieval: true }) }).settings;

/** The body as a GET returns it: setting ids, null template references, children@odata.type, no setting @odata.type. */
function asRead(settings: any[]): any[] {
    const annotate = (inst: any): any => {
        const out: any = { ...inst, settingInstanceTemplateReference: null };
        if (inst.choiceSettingValue) {
            out.choiceSettingValue = { settingValueTemplateReference: null, value: inst.choiceSettingValue.value,
                "children@odata.type": "#Collection(microsoft.graph.deviceManagementConfigurationSettingInstance)", children: inst.choiceSettingValue.children.map(annotate) };
        }
        if (inst.groupSettingCollectionValue) {
            out.groupSettingCollectionValue = inst.groupSettingCollectionValue.map((g: any) => ({ settingValueTemplateReference: null,
                "children@odata.type": "#Collection(microsoft.graph.deviceManagementConfigurationSettingInstance)", children: g.children.map(annotate) }));
        }
        return out;
    };
    return settings.map((s, i) => ({ id: String(i), settingInstance: annotate(s.settingInstance) }));
}

describe("flattenSettings", () => {
    test("one readable line per value, {tenantid} literal, children relative to their parent", () => {
        expect(flattenSettings(sent())).toEqual([
            `${dev}[0]/policies_usecertificateforonpremauth = false`,
            `${dev}[0]/policies_usecloudtrustforonpremauth = true`,
            `${dev}[0]/policies_usepassportforwork = true`,
            `${TICKET} = 1`,
            "user_vendor_msft_passportforwork_{tenantid}[0]/policies_usepassportforwork = true",
        ]);
    });

    test("server-filled fields (ids, annotations, null template references) are ignored", () => {
        expect(flattenSettings(asRead(sent()))).toEqual(flattenSettings(sent()));
    });

    test("order does not matter: top-level settings, children, group values", () => {
        const a = asRead(sent());
        const b = JSON.parse(JSON.stringify(a)).reverse();
        b.find((s: any) => s.settingInstance.settingDefinitionId === dev).settingInstance.groupSettingCollectionValue[0].children.reverse();
        expect(sameSettings(flattenSettings(a), flattenSettings(b))).toBe(true);
        const group = (values: string[][]) => [{ settingInstance: { settingDefinitionId: "g", groupSettingCollectionValue: values.map((v) => ({ children: v.map((x) => ({ settingDefinitionId: "g_k", simpleSettingValue: { value: x } })) })) } }];
        expect(flattenSettings(group([["b"], ["a"]]))).toEqual(flattenSettings(group([["a"], ["b"]])));
        expect(flattenSettings(group([["a"], ["b"]]))).toEqual(['g[0]/k = "a"', 'g[1]/k = "b"']);
    });

    test("a flipped, a removed and an added setting each change the lines", () => {
        const base = flattenSettings(sent());
        const flipped = JSON.parse(JSON.stringify(sent()));
        flipped[0].settingInstance.groupSettingCollectionValue[0].children[1].choiceSettingValue.value = `${dev}_policies_usecloudtrustforonpremauth_false`;
        expect(settingsDifference(flattenSettings(flipped), base)).toEqual({
            unexpected: [`${dev}[0]/policies_usecloudtrustforonpremauth = false`], missing: [`${dev}[0]/policies_usecloudtrustforonpremauth = true`],
        });
        expect(settingsDifference(flattenSettings(sent().slice(0, 2)), base).missing).toEqual(["user_vendor_msft_passportforwork_{tenantid}[0]/policies_usepassportforwork = true"]);
        const added = [...sent(), { settingInstance: { settingDefinitionId: "x_y", simpleSettingValue: { "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue", value: 6 } } }];
        expect(settingsDifference(flattenSettings(added), base)).toEqual({ unexpected: ["x_y = 6"], missing: [] });
    });

    test("values: strings quoted, secrets by state, collections sorted, unknown instance kinds compared whole", () => {
        expect(flattenSettings([{ settingDefinitionId: "s", simpleSettingValue: { "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue", value: "a b" } }])).toEqual(['s = "a b"']);
        expect(flattenSettings([{ settingDefinitionId: "s", simpleSettingValue: { "@odata.type": "#microsoft.graph.deviceManagementConfigurationSecretSettingValue", value: "token-1", valueState: "encryptedValueToken" } }]))
            .toEqual(["s = <secret encryptedValueToken>"]);
        expect(flattenSettings([{ settingDefinitionId: "c", simpleSettingCollectionValue: [{ value: "b" }, { value: "a" }] }])).toEqual(['c = ["a", "b"]']);
        expect(flattenSettings([{ settingDefinitionId: "m", choiceSettingCollectionValue: [{ value: "m_2", children: [] }, { value: "m_1", children: [] }] }])).toEqual(["m = [1, 2]"]);
        expect(flattenSettings([{ id: "0", settingInstance: { "@odata.type": "#x", settingDefinitionId: "z", other: { b: 1, a: null, id: "9" } } }])).toEqual(['z = {"other":{"b":1}}']);
    });
});
