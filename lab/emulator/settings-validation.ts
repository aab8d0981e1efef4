// Strict validation of settings catalog instances against their definitions, the way Intune refuses
// a policy: unknown settingDefinitionId, an instance @odata.type that does not fit the definition
// (choice vs group collection vs simple), a choice value that is not one of the options, or a child
// that its parent does not allow. `{tenantid}` is part of the ids, so a substituted GUID is unknown.
// Sources: the 33 real definitions (catalog.ts) give ids, types, options and parents; the refusal is a
// 400 in the DeviceConfigV2 document a real one has (docs-excerpts/passportforwork-securitykey-and-
// intune-docs.md); the wording of each message is an assumption (docs/lab.md, Limits).
import { badRequest } from "./errors";
import { T } from "./catalog";

const I = {
    choice: "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    group: "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
    simple: "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
    simpleCollection: "#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionInstance",
} as const;

const INSTANCE_FOR_DEFINITION: Record<string, string> = {
    [T.choice]: I.choice,
    [T.group]: I.group,
    [T.simple]: I.simple,
    [T.simpleCollection]: I.simpleCollection,
};

const SETTING_TYPE = "#microsoft.graph.deviceManagementConfigurationSetting";
const STRING_VALUE = "#microsoft.graph.deviceManagementConfigurationStringSettingValue";
const INTEGER_VALUE = "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue";

export type DefinitionLookup = (id: string) => any | undefined;

/** Validates a policy's `settings` array; returns the stored form ({id, settingInstance}, annotations dropped). */
export function validateSettings(settings: unknown, lookup: DefinitionLookup): { id: string; settingInstance: any }[] {
    if (settings === undefined) return [];
    if (!Array.isArray(settings)) throw badRequest("settings must be an array of deviceManagementConfigurationSetting");
    const seen = new Set<string>();
    return settings.map((s, i) => {
        const where = `settings[${i}]`;
        if (typeof s !== "object" || s === null) throw badRequest(`${where} must be an object`);
        if (s["@odata.type"] !== undefined && s["@odata.type"] !== SETTING_TYPE) {
            throw badRequest(`${where}: @odata.type '${s["@odata.type"]}' is not '${SETTING_TYPE}'`);
        }
        const inst = validateInstance(s.settingInstance, lookup, `${where}.settingInstance`, undefined);
        // maxDeviceOccurrence is 1 for these settings: one instance per definition per policy
        if (seen.has(inst.settingDefinitionId)) throw badRequest(`${where}: setting '${inst.settingDefinitionId}' appears more than once`);
        seen.add(inst.settingDefinitionId);
        return { id: String(i), settingInstance: inst };
    });
}

function validateInstance(inst: any, lookup: DefinitionLookup, where: string, allowed: Set<string> | undefined): any {
    if (typeof inst !== "object" || inst === null) throw badRequest(`${where} is required`);
    const type = inst["@odata.type"];
    const defId = inst.settingDefinitionId;
    if (typeof type !== "string") throw badRequest(`${where}: @odata.type is required on a setting instance`);
    if (typeof defId !== "string" || defId === "") throw badRequest(`${where}: settingDefinitionId is required`);
    const def = lookup(defId);
    if (!def) throw badRequest(`${where}: Setting definition '${defId}' was not found`);
    const expected = INSTANCE_FOR_DEFINITION[def["@odata.type"]];
    if (type !== expected) {
        throw badRequest(`${where}: instance type '${type}' does not match setting definition '${defId}' (expects '${expected}')`);
    }
    if (allowed === undefined) {
        if ((def.rootDefinitionId ?? def.id) !== def.id) {
            throw badRequest(`${where}: setting '${defId}' is a child of '${def.rootDefinitionId}' and cannot be at the top level`);
        }
    } else if (!allowed.has(defId)) {
        throw badRequest(`${where}: setting '${defId}' is not a valid child here`);
    }
    const tref = inst.settingInstanceTemplateReference;
    if (tref !== undefined && tref !== null) throw badRequest(`${where}: settingInstanceTemplateReference is only valid in template-based policies`);
    const out: any = { "@odata.type": type, settingDefinitionId: defId, settingInstanceTemplateReference: null };
    switch (type) {
        case I.choice:
            out.choiceSettingValue = validateChoiceValue(inst.choiceSettingValue, def, lookup, `${where}.choiceSettingValue`);
            break;
        case I.group:
            out.groupSettingCollectionValue = validateGroupValues(inst.groupSettingCollectionValue, def, lookup, `${where}.groupSettingCollectionValue`);
            break;
        case I.simple:
            out.simpleSettingValue = validateSimpleValue(inst.simpleSettingValue, def, `${where}.simpleSettingValue`);
            break;
        case I.simpleCollection: {
            const vals = inst.simpleSettingCollectionValue;
            if (!Array.isArray(vals)) throw badRequest(`${where}.simpleSettingCollectionValue must be an array`);
            out.simpleSettingCollectionValue = vals.map((v: any, i: number) => validateSimpleValue(v, def, `${where}.simpleSettingCollectionValue[${i}]`));
            break;
        }
    }
    return out;
}

function validateChoiceValue(v: any, def: any, lookup: DefinitionLookup, where: string): any {
    if (typeof v !== "object" || v === null) throw badRequest(`${where} is required for a choice setting`);
    const option = (def.options as any[]).find((o) => o.itemId === v.value);
    if (!option) {
        throw badRequest(`${where}: '${v.value}' is not an option of '${def.id}' (valid: ${(def.options as any[]).map((o) => o.itemId).join(", ")})`);
    }
    const allowed = new Set<string>((option.dependedOnBy ?? []).map((d: any) => d.dependedOnBy));
    return {
        settingValueTemplateReference: null,
        value: v.value,
        children: validateChildren(v.children, lookup, `${where}.children`, allowed),
    };
}

function validateGroupValues(values: any, def: any, lookup: DefinitionLookup, where: string): any[] {
    if (!Array.isArray(values) || values.length === 0) throw badRequest(`${where} must be a non-empty array`);
    if (def.maximumCount && values.length > def.maximumCount) throw badRequest(`${where}: at most ${def.maximumCount} value(s) allowed for '${def.id}'`);
    const allowed = new Set<string>(def.childIds ?? []);
    return values.map((g: any, i: number) => {
        if (typeof g !== "object" || g === null) throw badRequest(`${where}[${i}] must be an object`);
        return { settingValueTemplateReference: null, children: validateChildren(g.children, lookup, `${where}[${i}].children`, allowed) };
    });
}

function validateChildren(children: any, lookup: DefinitionLookup, where: string, allowed: Set<string>): any[] {
    if (children === undefined || children === null) return [];
    if (!Array.isArray(children)) throw badRequest(`${where} must be an array`);
    const seen = new Set<string>();
    return children.map((c: any, i: number) => {
        const inst = validateInstance(c, lookup, `${where}[${i}]`, allowed);
        if (seen.has(inst.settingDefinitionId)) throw badRequest(`${where}[${i}]: setting '${inst.settingDefinitionId}' appears more than once`);
        seen.add(inst.settingDefinitionId);
        return inst;
    });
}

function validateSimpleValue(v: any, def: any, where: string): any {
    if (typeof v !== "object" || v === null) throw badRequest(`${where} is required for a simple setting`);
    const vd = def.valueDefinition ?? {};
    const isInt = String(vd["@odata.type"]).includes("Integer");
    const wantType = isInt ? INTEGER_VALUE : STRING_VALUE;
    if (v["@odata.type"] !== wantType) throw badRequest(`${where}: @odata.type must be '${wantType}' for '${def.id}'`);
    if (isInt) {
        if (!Number.isInteger(v.value)) throw badRequest(`${where}: value must be an integer`);
        if (v.value < vd.minimumValue || v.value > vd.maximumValue) throw badRequest(`${where}: value ${v.value} is outside ${vd.minimumValue}..${vd.maximumValue}`);
    } else {
        if (typeof v.value !== "string") throw badRequest(`${where}: value must be a string`);
        if (vd.maximumLength !== undefined && v.value.length > vd.maximumLength) throw badRequest(`${where}: value is longer than ${vd.maximumLength}`);
    }
    return { "@odata.type": wantType, settingValueTemplateReference: null, value: v.value };
}

/** Adds the annotations a real GET carries (children@odata.type), on a copy. */
export function renderInstance(inst: any): any {
    const copy = JSON.parse(JSON.stringify(inst));
    const walk = (i: any) => {
        if (i.choiceSettingValue) annotateChildren(i.choiceSettingValue, walk);
        for (const g of i.groupSettingCollectionValue ?? []) annotateChildren(g, walk);
    };
    walk(copy);
    return copy;
}

function annotateChildren(v: any, walk: (i: any) => void): void {
    const children = v.children ?? [];
    delete v.children;
    v["children@odata.type"] = "#Collection(microsoft.graph.deviceManagementConfigurationSettingInstance)";
    v.children = children;
    children.forEach(walk);
}
