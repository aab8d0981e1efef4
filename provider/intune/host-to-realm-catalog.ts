// Host-to-realm mappings through the settings catalog, when the tenant's catalog has a HostToRealm
// definition. No public source confirms one (graph-apis.md §2.2), so it is discovered at run time
// from beta deviceManagement/configurationSettings and used only if its tree has the shape of the
// other ADMX list settings: a choice (Enabled = 1) whose Enabled option carries a group collection
// with a string `_key` (realm) and a string `_value` (hosts joined by ";") per entry.
import type { GraphClient } from "../graph";
import { graphListAll } from "../graph";
import { canonicalMappings, type RealmMapping } from "./host-to-realm";
import { flattenSettings } from "./settings-compare";
import { choice, groupCollection, simpleString, type SettingInstance } from "./settings-catalog";

export interface HostToRealmDefinition {
    rootId: string;
    /** option suffix of "Enabled", usually "1" */
    enabledSuffix: string;
    listId: string;
    keyId: string;
    valueId: string;
    /** most entries the group collection takes */
    maximumCount?: number;
}

const CHOICE_DEF = "#microsoft.graph.deviceManagementConfigurationChoiceSettingDefinition";
const GROUP_DEF = "#microsoft.graph.deviceManagementConfigurationSettingGroupCollectionDefinition";
const SIMPLE_DEF = "#microsoft.graph.deviceManagementConfigurationSimpleSettingDefinition";

/** Finds the definition tree, or undefined when the catalog has none of the expected shape. */
export async function discoverHostToRealmDefinition(gc: GraphClient, description: string): Promise<HostToRealmDefinition | undefined> {
    const defs = await graphListAll<any>(gc, {
        version: "beta", path: "/deviceManagement/configurationSettings",
        query: { $filter: "contains(id,'hosttorealm')" }, description: `${description}: look up the HostToRealm settings catalog definition`,
    });
    return interpretDefinitions(defs);
}

/** The structural match, separated from I/O so the rules are unit-tested. */
export function interpretDefinitions(defs: readonly any[]): HostToRealmDefinition | undefined {
    const byId = new Map(defs.map((d) => [String(d.id).toLowerCase(), d]));
    const roots = defs.filter((d) => d["@odata.type"] === CHOICE_DEF && /(^|_)admx_kerberos_hosttorealm$/i.test(String(d.id))
        && (d.rootDefinitionId === undefined || d.rootDefinitionId === null || d.rootDefinitionId === d.id));
    for (const root of roots) {
        const enabled = (root.options ?? []).find((o: any) => o?.optionValue?.value === 1 || String(o?.itemId).endsWith("_1"));
        if (!enabled || !String(enabled.itemId).startsWith(`${root.id}_`)) continue;
        for (const dep of enabled.dependedOnBy ?? []) {
            const list = byId.get(String(dep?.dependedOnBy).toLowerCase());
            if (list?.["@odata.type"] !== GROUP_DEF) continue;
            const children = (list.childIds ?? []).map((c: string) => byId.get(String(c).toLowerCase())).filter(Boolean);
            const isString = (d: any) => d["@odata.type"] === SIMPLE_DEF && /String/.test(String(d.valueDefinition?.["@odata.type"] ?? ""));
            const key = children.find((d: any) => /_key$/i.test(d.id) && isString(d));
            const value = children.find((d: any) => /_value$/i.test(d.id) && isString(d));
            if (!key || !value) continue;
            return {
                rootId: root.id, enabledSuffix: String(enabled.itemId).slice(root.id.length + 1), listId: list.id, keyId: key.id, valueId: value.id,
                maximumCount: typeof list.maximumCount === "number" && list.maximumCount > 0 ? list.maximumCount : undefined,
            };
        }
    }
    return undefined;
}

/** The one setting instance carrying every mapping (canonical order). */
export function hostToRealmInstance(def: HostToRealmDefinition, mappings: readonly RealmMapping[]): SettingInstance {
    const entries = canonicalMappings(mappings).map((m) => [simpleString(def.keyId, m.realm), simpleString(def.valueId, m.hosts.join(";"))]);
    return choice(def.rootId, def.enabledSuffix, [groupCollection(def.listId, entries)]);
}

/**
 * Reads mappings back from a policy's settings (values are plain strings in the catalog, so this
 * is exact), and lists as `unexpected` every line that is not part of one enabled HostToRealm list.
 */
export function decodeHostToRealmSettings(settings: readonly any[]): { mappings: RealmMapping[]; unexpected: string[] } {
    const mappings: RealmMapping[] = [];
    const unexpected: string[] = [];
    let roots = 0;
    for (const s of settings) {
        const inst = s?.settingInstance ?? s;
        const id = String(inst?.settingDefinitionId ?? "");
        if (!/admx_kerberos_hosttorealm$/i.test(id) || inst?.choiceSettingValue === undefined || roots++ > 0) {
            unexpected.push(...flattenSettings([inst]));
            continue;
        }
        const value = String(inst.choiceSettingValue?.value ?? "");
        if (!value.endsWith("_1")) { unexpected.push(...flattenSettings([inst])); continue; }
        for (const child of inst.choiceSettingValue?.children ?? []) {
            for (const entry of child?.groupSettingCollectionValue ?? []) {
                const str = (suffix: RegExp) => (entry?.children ?? []).find((c: any) => suffix.test(String(c?.settingDefinitionId)))?.simpleSettingValue?.value;
                const realm = str(/_key$/i), hosts = str(/_value$/i);
                if (typeof realm === "string" && typeof hosts === "string") mappings.push({ realm, hosts: hosts.split(";").filter((h) => h !== "") });
                else unexpected.push(...flattenSettings([child]));
            }
        }
    }
    return { mappings, unexpected };
}
