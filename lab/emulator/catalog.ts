// Settings catalog definitions (beta deviceManagement/configurationSettings) the lab knows, and
// builders for more. Only what graph-apis.md §1.1 confirms is present by default; the unconfirmed
// ADMX_Kerberos HostToRealm definition (§2.2) is NOT, a test can add one through the state/admin API.

export const T = {
    group: "#microsoft.graph.deviceManagementConfigurationSettingGroupCollectionDefinition",
    choice: "#microsoft.graph.deviceManagementConfigurationChoiceSettingDefinition",
    simple: "#microsoft.graph.deviceManagementConfigurationSimpleSettingDefinition",
    simpleCollection: "#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionDefinition",
} as const;

const WINDOWS_MDM = (minVersion?: string) => ({
    "@odata.type": "#microsoft.graph.deviceManagementConfigurationWindowsSettingApplicability",
    description: null,
    platform: "windows10",
    deviceMode: "none",
    technologies: "mdm",
    configurationServiceProviderVersion: "1.0",
    maximumSupportedVersion: "10.0.99999.9999",
    minimumSupportedVersion: minVersion ?? "10.0.10240",
    windowsSkus: [],
    requiresAzureAd: false,
});

interface CommonDef {
    id: string;
    displayName: string;
    description?: string;
    rootDefinitionId?: string;
    parentId?: string;
    baseUri: string;
    offsetUri: string;
    minVersion?: string;
}

function common(d: CommonDef, odataType: string) {
    return {
        "@odata.type": odataType,
        id: d.id,
        name: d.id.split("_").pop(),
        displayName: d.displayName,
        description: d.description ?? d.displayName,
        helpText: d.description ?? "",
        keywords: [d.displayName],
        infoUrls: [],
        baseUri: d.baseUri,
        offsetUri: d.offsetUri,
        rootDefinitionId: d.rootDefinitionId ?? d.id,
        categoryId: "lab-category",
        settingUsage: "configuration",
        uxBehavior: "default",
        visibility: "settingsCatalog,template",
        accessTypes: "add,delete,get,replace",
        applicability: WINDOWS_MDM(d.minVersion),
        occurrence: { minDeviceOccurrence: 0, maxDeviceOccurrence: 1 },
        referredSettingInformationList: [],
        riskLevel: "low",
        version: "1",
        dependentOn: d.parentId ? [{ dependentOn: d.parentId, parentSettingId: d.parentId }] : [],
        dependedOnBy: [] as { dependedOnBy: string; required: boolean }[],
    };
}

export function groupCollectionDefinition(d: CommonDef & { childIds: string[]; maximumCount?: number }) {
    return {
        ...common(d, T.group),
        childIds: d.childIds,
        minimumCount: 0,
        maximumCount: d.maximumCount ?? 1,
        dependedOnBy: d.childIds.map((c) => ({ dependedOnBy: c, required: false })),
    };
}

export interface ChoiceOption { suffix: string; displayName: string; value: string | number; childIds?: string[] }

export function choiceDefinition(d: CommonDef & { options: ChoiceOption[]; defaultSuffix: string }) {
    return {
        ...common(d, T.choice),
        uxBehavior: "toggle",
        defaultOptionId: `${d.id}_${d.defaultSuffix}`,
        options: d.options.map((o) => ({
            itemId: `${d.id}_${o.suffix}`,
            description: null,
            helpText: null,
            name: o.displayName,
            displayName: o.displayName,
            optionValue: typeof o.value === "number"
                ? { "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue", settingValueTemplateReference: null, value: o.value }
                : { "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue", settingValueTemplateReference: null, value: o.value },
            dependentOn: [],
            dependedOnBy: (o.childIds ?? []).map((c) => ({ dependedOnBy: c, required: false })),
        })),
    };
}

export function simpleDefinition(d: CommonDef & { valueType: "string" | "integer"; minimum?: number; maximum?: number; collection?: boolean }) {
    const valueDefinition = d.valueType === "integer"
        ? { "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValueDefinition", minimumValue: d.minimum ?? 0, maximumValue: d.maximum ?? 2147483647 }
        : { "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValueDefinition", format: "none", inputValidationSchema: null, isSecret: false, maximumLength: d.maximum ?? 87516, minimumLength: d.minimum ?? 0, fileTypes: [] };
    return {
        ...common(d, d.collection ? T.simpleCollection : T.simple),
        valueDefinition,
        defaultValue: null,
        ...(d.collection ? { maximumCount: 600, minimumCount: 0 } : {}),
    };
}

const PFW_BASE = "./Device/Vendor/MSFT/PassportForWork";
const PFW_USER_BASE = "./User/Vendor/MSFT/PassportForWork";
const dev = "device_vendor_msft_passportforwork_{tenantid}";
const usr = "user_vendor_msft_passportforwork_{tenantid}";
const bool = (id: string, displayName: string, parent: string, base: string, offset: string, minVersion?: string) =>
    choiceDefinition({
        id, displayName, parentId: parent, rootDefinitionId: parent, baseUri: base, offsetUri: offset, minVersion,
        defaultSuffix: "false",
        options: [{ suffix: "false", displayName: "false", value: "false" }, { suffix: "true", displayName: "true", value: "true" }],
    });

/** The definitions graph-apis.md §1.1 confirms, with `{tenantid}` kept literally. */
export function defaultSettingDefinitions(): any[] {
    return [
        groupCollectionDefinition({
            id: dev, displayName: "Windows Hello For Business", baseUri: PFW_BASE, offsetUri: "/{0}",
            childIds: [`${dev}_policies_usepassportforwork`, `${dev}_policies_usecloudtrustforonpremauth`, `${dev}_policies_usecertificateforonpremauth`, `${dev}_policies_usesecuritykeyforsignin`],
        }),
        bool(`${dev}_policies_usepassportforwork`, "Use Windows Hello For Business (Device)", dev, PFW_BASE, "/{0}/Policies/UsePassportForWork"),
        bool(`${dev}_policies_usecloudtrustforonpremauth`, "Use Cloud Trust For On Prem Auth", dev, PFW_BASE, "/{0}/Policies/UseCloudTrustForOnPremAuth", "10.0.19044.1566"),
        bool(`${dev}_policies_usecertificateforonpremauth`, "Use Certificate For On Prem Auth", dev, PFW_BASE, "/{0}/Policies/UseCertificateForOnPremAuth"),
        bool(`${dev}_policies_usesecuritykeyforsignin`, "Use Security Key For Signin", dev, PFW_BASE, "/{0}/Policies/UseSecurityKeyForSignin"),
        groupCollectionDefinition({
            id: usr, displayName: "Windows Hello For Business (User)", baseUri: PFW_USER_BASE, offsetUri: "/{0}",
            childIds: [`${usr}_policies_usepassportforwork`],
        }),
        bool(`${usr}_policies_usepassportforwork`, "Use Windows Hello For Business (User)", usr, PFW_USER_BASE, "/{0}/Policies/UsePassportForWork"),
        choiceDefinition({
            id: "device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled",
            displayName: "Cloud Kerberos Ticket Retrieval Enabled",
            baseUri: "./Device/Vendor/MSFT/Policy/Config/Kerberos", offsetUri: "/CloudKerberosTicketRetrievalEnabled",
            minVersion: "10.0.22000", defaultSuffix: "0",
            options: [{ suffix: "0", displayName: "Disabled", value: 0 }, { suffix: "1", displayName: "Enabled", value: 1 }],
        }),
    ];
}
