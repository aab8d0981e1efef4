// Settings catalog (beta deviceManagement/configurationPolicies) request bodies, in exactly the
// shapes of docs/sources.md, Graph §1.2: a policy is name/description/platforms/technologies/scope tags/
// templateReference plus `settings`, each a deviceManagementConfigurationSetting wrapping one
// setting instance. Server-filled fields (id, settingCount, createdDateTime, ...) are never sent.

export const ODATA = {
    setting: "#microsoft.graph.deviceManagementConfigurationSetting",
    choice: "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    group: "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
    simple: "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
    stringValue: "#microsoft.graph.deviceManagementConfigurationStringSettingValue",
    integerValue: "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue",
} as const;

export interface ChoiceInstance {
    "@odata.type": typeof ODATA.choice;
    settingDefinitionId: string;
    choiceSettingValue: { value: string; children: SettingInstance[] };
}

export interface GroupCollectionInstance {
    "@odata.type": typeof ODATA.group;
    settingDefinitionId: string;
    groupSettingCollectionValue: { children: SettingInstance[] }[];
}

export interface SimpleInstance {
    "@odata.type": typeof ODATA.simple;
    settingDefinitionId: string;
    simpleSettingValue: { "@odata.type": typeof ODATA.stringValue | typeof ODATA.integerValue; value: string | number };
}

export type SettingInstance = ChoiceInstance | GroupCollectionInstance | SimpleInstance;

export interface Setting {
    "@odata.type": typeof ODATA.setting;
    settingInstance: SettingInstance;
}

export interface PolicyBody {
    name: string;
    description: string;
    platforms: "windows10";
    technologies: "mdm";
    roleScopeTagIds: string[];
    templateReference: { templateId: "" };
    settings: Setting[];
}

/** A choice setting set to one of its options (option ids are `<definition id>_<suffix>`). */
export function choice(definitionId: string, optionSuffix: string, children: SettingInstance[] = []): ChoiceInstance {
    return {
        "@odata.type": ODATA.choice,
        settingDefinitionId: definitionId,
        choiceSettingValue: { value: `${definitionId}_${optionSuffix}`, children },
    };
}

/** A group setting collection; one entry per value, each a list of child instances. */
export function groupCollection(definitionId: string, values: SettingInstance[][]): GroupCollectionInstance {
    return {
        "@odata.type": ODATA.group,
        settingDefinitionId: definitionId,
        groupSettingCollectionValue: values.map((children) => ({ children })),
    };
}

export function simpleString(definitionId: string, value: string): SimpleInstance {
    return { "@odata.type": ODATA.simple, settingDefinitionId: definitionId, simpleSettingValue: { "@odata.type": ODATA.stringValue, value } };
}

export function setting(instance: SettingInstance): Setting {
    return { "@odata.type": ODATA.setting, settingInstance: instance };
}

/**
 * The whole policy, as POSTed on create and PUT on update. `roleScopeTagIds` defaults to ["0"]
 * (Default); an update passes the tags it read, so scope tags set in the portal are kept.
 */
export function policyBody(p: { name: string; description: string; settings: SettingInstance[]; roleScopeTagIds?: string[] }): PolicyBody {
    return {
        name: p.name,
        description: p.description,
        platforms: "windows10",
        technologies: "mdm",
        roleScopeTagIds: p.roleScopeTagIds && p.roleScopeTagIds.length > 0 ? [...p.roleScopeTagIds] : ["0"],
        templateReference: { templateId: "" },
        settings: p.settings.map(setting),
    };
}
