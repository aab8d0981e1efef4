// Settings catalog definitions (beta deviceManagement/configurationSettings) the lab knows, and
// builders for more. The default catalog is the 33 definitions a real tenant returned
// (https://github.com/Pacers31Colts18/Intune.Docs/tree/1e173ea7/Docs/ConfigurationPolicies; docs/sources.md):
// ids, names, URIs, options and value ranges are theirs, and test/contract/artefacts/catalog.test.ts
// holds every one of them to that file. Descriptions, categories, SKUs and versions are not copied
// (docs/lab.md, Limits). No real tenant export has a HostToRealm definition (docs-excerpts/
// kerberos-hosttorealm-csp.md §5), so none is present; a test can add one through the state/admin API.

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
    /** the CSP node name; defaults to the id's last segment */
    name?: string;
    displayName: string;
    description?: string;
    rootDefinitionId?: string;
    parentId?: string;
    baseUri: string;
    offsetUri: string;
    minVersion?: string;
    uxBehavior?: "default" | "toggle";
    accessTypes?: string;
    maxDeviceOccurrence?: number;
}

function common(d: CommonDef, odataType: string) {
    return {
        "@odata.type": odataType,
        id: d.id,
        name: d.name ?? d.id.split("_").pop(),
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
        uxBehavior: d.uxBehavior ?? "default",
        visibility: "settingsCatalog,template",
        accessTypes: d.accessTypes ?? "add,delete,get,replace",
        applicability: WINDOWS_MDM(d.minVersion),
        occurrence: { minDeviceOccurrence: 0, maxDeviceOccurrence: d.maxDeviceOccurrence ?? 1 },
        referredSettingInformationList: [],
        riskLevel: "low",
        version: "1",
    };
}

/** Group and simple definitions carry their dependencies; choice definitions do not (their options do). */
const dependentOn = (d: CommonDef) => (d.parentId ? [{ dependentOn: d.parentId, parentSettingId: d.parentId }] : []);

export function groupCollectionDefinition(d: CommonDef & { childIds: string[]; maximumCount?: number }) {
    return {
        ...common(d, T.group),
        dependentOn: dependentOn(d),
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

export function simpleDefinition(d: CommonDef & { valueType: "string" | "integer"; minimum?: number; maximum?: number; collection?: boolean; defaultValue?: number }) {
    const valueDefinition = d.valueType === "integer"
        ? { "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValueDefinition", minimumValue: d.minimum ?? 0, maximumValue: d.maximum ?? 2147483647 }
        : { "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValueDefinition", format: "none", inputValidationSchema: null, isSecret: false, maximumLength: d.maximum ?? 87516, minimumLength: d.minimum ?? 0, fileTypes: [] };
    return {
        ...common(d, d.collection ? T.simpleCollection : T.simple),
        dependentOn: dependentOn(d),
        dependedOnBy: [],
        valueDefinition,
        defaultValue: d.defaultValue === undefined ? null
            : { "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue", settingValueTemplateReference: null, value: d.defaultValue },
        ...(d.collection ? { maximumCount: 600, minimumCount: 0 } : {}),
    };
}

const DEV = "device_vendor_msft_passportforwork_{tenantid}";
const USR = "user_vendor_msft_passportforwork_{tenantid}";
const PFW = "./Device/Vendor/MSFT/PassportForWork";
const PFW_USER = "./User/Vendor/MSFT/PassportForWork";
// the option lists the real definitions share
const TRUE_FALSE: ChoiceOption[] = [{ suffix: "false", displayName: "false", value: "false" }, { suffix: "true", displayName: "true", value: "true" }];
const DISABLED_ENABLED: ChoiceOption[] = [{ suffix: "false", displayName: "Disabled", value: "false" }, { suffix: "true", displayName: "Enabled", value: "true" }];
const OFF_ON: ChoiceOption[] = [{ suffix: "0", displayName: "Disabled", value: 0 }, { suffix: "1", displayName: "Enabled", value: 1 }];
const ALLOWED_REQUIRED_BLOCKED: ChoiceOption[] = [{ suffix: "0", displayName: "Allowed", value: 0 }, { suffix: "1", displayName: "Required", value: 1 }, { suffix: "2", displayName: "Blocked", value: 2 }];
const pinOptions = (what: string): ChoiceOption[] => [
    { suffix: "0", displayName: `Allows the use of ${what} in PIN.`, value: 0 },
    { suffix: "1", displayName: `Requires the use of at least one ${what} in PIN.`, value: 1 },
    { suffix: "2", displayName: `Does not allow the use of ${what} in PIN.`, value: 2 },
];

/** The 33 real definitions, `{tenantid}` kept literally (the tenant's own copy of the catalog). */
export function defaultSettingDefinitions(): any[] {
    return [
        choiceDefinition({ id: "device_vendor_msft_passportforwork_biometrics_enableesswithsupportedperipherals", name: "EnableESSwithSupportedPeripherals", displayName: "Enable ESS with Supported Peripherals", baseUri: PFW, offsetUri: "/Biometrics/EnableESSwithSupportedPeripherals", minVersion: "10.0.22621", defaultSuffix: "1",
            options: [{ suffix: "0", displayName: "Enhanced sign-in security will be disabled on all systems. If a user already has a secure Windows Hello enrollment, they will lose their enrollment and must reset PIN, and they will have the option to re-enroll in normal face and fingerprint. Peripheral usage will be enabled by disabling Enhanced sign-in security. OS will not attempt to start secure components, even if the secure hardware and software components are present. (not recommended)", value: 0 },
                { suffix: "1", displayName: "Enhanced sign-in security will be enabled on systems with capable software and hardware, following the existing default behavior in Windows. For systems with one secure modality (face or fingerprint) and one insecure modality (fingerprint or face), only the secure sensor can be used for sign-in and the insecure sensor(s) will be blocked. This includes peripheral devices, which are unsupported and will be unusable. (default and recommended for highest security)", value: 1 }] }),
        choiceDefinition({ id: "device_vendor_msft_passportforwork_biometrics_facialfeaturesuseenhancedantispoofing", name: "FacialFeaturesUseEnhancedAntiSpoofing", displayName: "Facial Features Use Enhanced Anti Spoofing", baseUri: PFW, offsetUri: "/Biometrics/FacialFeaturesUseEnhancedAntiSpoofing", minVersion: "10.0.10586", defaultSuffix: "false", options: TRUE_FALSE }),
        choiceDefinition({ id: "device_vendor_msft_passportforwork_securitykey_usesecuritykeyforsignin", name: "UseSecurityKeyForSignin", displayName: "Use Security Key For Signin", baseUri: PFW, offsetUri: "/SecurityKey/UseSecurityKeyForSignin", minVersion: "10.0.18362", uxBehavior: "toggle", defaultSuffix: "0", options: OFF_ON }),
        groupCollectionDefinition({ id: `${DEV}`, name: "{TenantId}", displayName: "Device-scoped settings", baseUri: PFW, offsetUri: "/{0}", minVersion: "10.0.10586", maxDeviceOccurrence: 100, accessTypes: "add,delete,get",
            childIds: [`${DEV}_policies_usepassportforwork`, `${DEV}_policies_requiresecuritydevice`, `${DEV}_policies_excludesecuritydevices_tpm12`, `${DEV}_policies_enablepinrecovery`, `${DEV}_policies_enablewindowshelloprovisioningforsecuritykeys`, `${DEV}_policies_disablepostlogonprovisioning`, `${DEV}_policies_disablepostlogoncredentialcaching`, `${DEV}_policies_usecertificateforonpremauth`, `${DEV}_policies_usecloudtrustforonpremauth`, `${DEV}_policies_pincomplexity_minimumpinlength`, `${DEV}_policies_pincomplexity_maximumpinlength`, `${DEV}_policies_pincomplexity_uppercaseletters`, `${DEV}_policies_pincomplexity_lowercaseletters`, `${DEV}_policies_pincomplexity_specialcharacters`, `${DEV}_policies_pincomplexity_digits`, `${DEV}_policies_pincomplexity_history`, `${DEV}_policies_pincomplexity_expiration`, `${DEV}_policies_remote_useremotepassport`, `${DEV}_policies_usehellocertificatesassmartcardcertificates`] }),
        choiceDefinition({ id: `${DEV}_policies_enablepinrecovery`, name: "EnablePinRecovery", displayName: "Enable Pin Recovery", baseUri: PFW, offsetUri: "/{0}/Policies/EnablePinRecovery", minVersion: "10.0.15063", rootDefinitionId: `${DEV}`, defaultSuffix: "false", options: TRUE_FALSE }),
        choiceDefinition({ id: `${DEV}_policies_excludesecuritydevices_tpm12`, name: "TPM12", displayName: "Restrict use of TPM 1.2", baseUri: PFW, offsetUri: "/{0}/Policies/ExcludeSecurityDevices/TPM12", minVersion: "10.0.15063", rootDefinitionId: `${DEV}`, uxBehavior: "toggle", defaultSuffix: "false", options: DISABLED_ENABLED }),
        ...pinComplexityDefinitions(DEV, PFW, ""),
        choiceDefinition({ id: `${DEV}_policies_remote_useremotepassport`, name: "UseRemotePassport", displayName: "Use Remote Passport", baseUri: PFW, offsetUri: "/{0}/Policies/Remote/UseRemotePassport", minVersion: "10.0.10586", rootDefinitionId: `${DEV}`, uxBehavior: "toggle", defaultSuffix: "false", options: DISABLED_ENABLED }),
        choiceDefinition({ id: `${DEV}_policies_requiresecuritydevice`, name: "RequireSecurityDevice", displayName: "Require Security Device", baseUri: PFW, offsetUri: "/{0}/Policies/RequireSecurityDevice", minVersion: "10.0.10586", rootDefinitionId: `${DEV}`, defaultSuffix: "false", options: TRUE_FALSE }),
        choiceDefinition({ id: `${DEV}_policies_usecertificateforonpremauth`, name: "UseCertificateForOnPremAuth", displayName: "Use Certificate For On Prem Auth", baseUri: PFW, offsetUri: "/{0}/Policies/UseCertificateForOnPremAuth", minVersion: "10.0.10586", rootDefinitionId: `${DEV}`, uxBehavior: "toggle", defaultSuffix: "false", options: DISABLED_ENABLED }),
        choiceDefinition({ id: `${DEV}_policies_usecloudtrustforonpremauth`, name: "UseCloudTrustForOnPremAuth", displayName: "Use Cloud Trust For On Prem Auth", baseUri: PFW, offsetUri: "/{0}/Policies/UseCloudTrustForOnPremAuth", minVersion: "10.0.19044.1566", rootDefinitionId: `${DEV}`, uxBehavior: "toggle", defaultSuffix: "false", options: DISABLED_ENABLED }),
        choiceDefinition({ id: `${DEV}_policies_usehellocertificatesassmartcardcertificates`, name: "UseHelloCertificatesAsSmartCardCertificates", displayName: "Use Hello Certificates As Smart Card Certificates", baseUri: PFW, offsetUri: "/{0}/Policies/UseHelloCertificatesAsSmartCardCertificates", minVersion: "10.0.17763", rootDefinitionId: `${DEV}`, uxBehavior: "toggle", defaultSuffix: "false", options: DISABLED_ENABLED }),
        choiceDefinition({ id: `${DEV}_policies_usepassportforwork`, name: "UsePassportForWork", displayName: "Use Windows Hello For Business (Device)", baseUri: PFW, offsetUri: "/{0}/Policies/UsePassportForWork", minVersion: "10.0.10586", rootDefinitionId: `${DEV}`, defaultSuffix: "true", options: TRUE_FALSE }),
        choiceDefinition({ id: "device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled", name: "CloudKerberosTicketRetrievalEnabled", displayName: "Cloud Kerberos Ticket Retrieval Enabled", baseUri: "./Device/Vendor/MSFT/Policy", offsetUri: "/Config/Kerberos/CloudKerberosTicketRetrievalEnabled", minVersion: "10.0.22000", uxBehavior: "toggle", defaultSuffix: "0", options: OFF_ON }),
        groupCollectionDefinition({ id: `${USR}`, name: "{TenantId}", displayName: "User-scoped settings", baseUri: PFW_USER, offsetUri: "/{0}", minVersion: "10.0.10586", maxDeviceOccurrence: 100, accessTypes: "add,delete,get",
            childIds: [`${USR}_policies_usepassportforwork`, `${USR}_policies_requiresecuritydevice`, `${USR}_policies_enablepinrecovery`, `${USR}_policies_pincomplexity_minimumpinlength`, `${USR}_policies_pincomplexity_maximumpinlength`, `${USR}_policies_pincomplexity_uppercaseletters`, `${USR}_policies_pincomplexity_lowercaseletters`, `${USR}_policies_pincomplexity_specialcharacters`, `${USR}_policies_pincomplexity_digits`, `${USR}_policies_pincomplexity_history`, `${USR}_policies_pincomplexity_expiration`] }),
        choiceDefinition({ id: `${USR}_policies_enablepinrecovery`, name: "EnablePinRecovery", displayName: "Enable Pin Recovery (User)", baseUri: PFW_USER, offsetUri: "/{0}/Policies/EnablePinRecovery", minVersion: "10.0.15063", rootDefinitionId: `${USR}`, defaultSuffix: "false", options: TRUE_FALSE }),
        ...pinComplexityDefinitions(USR, PFW_USER, " (User)"),
        choiceDefinition({ id: `${USR}_policies_requiresecuritydevice`, name: "RequireSecurityDevice", displayName: "Require Security Device (User)", baseUri: PFW_USER, offsetUri: "/{0}/Policies/RequireSecurityDevice", minVersion: "10.0.10586", rootDefinitionId: `${USR}`, defaultSuffix: "false", options: TRUE_FALSE }),
        choiceDefinition({ id: `${USR}_policies_usepassportforwork`, name: "UsePassportForWork", displayName: "Use Windows Hello For Business (User)", baseUri: PFW_USER, offsetUri: "/{0}/Policies/UsePassportForWork", minVersion: "10.0.10586", rootDefinitionId: `${USR}`, defaultSuffix: "true", options: TRUE_FALSE }),
    ];
}

/** The eight PIN complexity definitions, alike in device and user scope but for root, URI and the " (User)" of the display names. */
function pinComplexityDefinitions(root: string, baseUri: string, suffix: string) {
    return [
        choiceDefinition({ id: `${root}_policies_pincomplexity_digits`, name: "Digits", displayName: `Digits${suffix}`, baseUri, offsetUri: "/{0}/Policies/PINComplexity/Digits", minVersion: "10.0.10586", rootDefinitionId: root, defaultSuffix: "0", options: pinOptions("digits") }),
        simpleDefinition({ id: `${root}_policies_pincomplexity_expiration`, name: "Expiration", displayName: `Expiration${suffix}`, baseUri, offsetUri: "/{0}/Policies/PINComplexity/Expiration", minVersion: "10.0.10586", rootDefinitionId: root, parentId: root, valueType: "integer", minimum: 0, maximum: 730, defaultValue: 0 }),
        simpleDefinition({ id: `${root}_policies_pincomplexity_history`, name: "History", displayName: `PIN History${suffix}`, baseUri, offsetUri: "/{0}/Policies/PINComplexity/History", minVersion: "10.0.10586", rootDefinitionId: root, parentId: root, valueType: "integer", minimum: 0, maximum: 50, defaultValue: 0 }),
        choiceDefinition({ id: `${root}_policies_pincomplexity_lowercaseletters`, name: "LowercaseLetters", displayName: `Lowercase Letters${suffix}`, baseUri, offsetUri: "/{0}/Policies/PINComplexity/LowercaseLetters", minVersion: "10.0.10586", rootDefinitionId: root, defaultSuffix: "0", options: ALLOWED_REQUIRED_BLOCKED }),
        simpleDefinition({ id: `${root}_policies_pincomplexity_maximumpinlength`, name: "MaximumPINLength", displayName: `Maximum PIN Length${suffix}`, baseUri, offsetUri: "/{0}/Policies/PINComplexity/MaximumPINLength", minVersion: "10.0.10586", rootDefinitionId: root, parentId: root, valueType: "integer", minimum: 4, maximum: 127, defaultValue: 127 }),
        simpleDefinition({ id: `${root}_policies_pincomplexity_minimumpinlength`, name: "MinimumPINLength", displayName: `Minimum PIN Length${suffix}`, baseUri, offsetUri: "/{0}/Policies/PINComplexity/MinimumPINLength", minVersion: "10.0.10586", rootDefinitionId: root, parentId: root, valueType: "integer", minimum: 4, maximum: 127, defaultValue: 4 }),
        choiceDefinition({ id: `${root}_policies_pincomplexity_specialcharacters`, name: "SpecialCharacters", displayName: `Special Characters${suffix}`, baseUri, offsetUri: "/{0}/Policies/PINComplexity/SpecialCharacters", minVersion: "10.0.10586", rootDefinitionId: root, defaultSuffix: "2", options: pinOptions("special characters") }),
        choiceDefinition({ id: `${root}_policies_pincomplexity_uppercaseletters`, name: "UppercaseLetters", displayName: `Uppercase Letters${suffix}`, baseUri, offsetUri: "/{0}/Policies/PINComplexity/UppercaseLetters", minVersion: "10.0.10586", rootDefinitionId: root, defaultSuffix: "0", options: ALLOWED_REQUIRED_BLOCKED }),
    ];
}

/** Ids older versions of the lab put in every catalog by default and no real catalog has. */
const RETIRED_DEFINITION_IDS = new Set([`${DEV}_policies_usesecuritykeyforsignin`]);

/**
 * The catalog of a tenant state saved by an earlier run: the default definitions as this version
 * has them (replacing saved copies, which an older version may have got wrong), the retired ones
 * dropped, and any a test or the admin API added kept.
 */
export function currentCatalog(saved: readonly any[]): any[] {
    const defaults = defaultSettingDefinitions();
    const ids = new Set(defaults.map((d) => d.id));
    return [...defaults, ...saved.filter((d) => !ids.has(d.id) && !RETIRED_DEFINITION_IDS.has(d.id))];
}
