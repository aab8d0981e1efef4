// Host-to-realm mappings through the settings catalog, when the tenant's catalog has a HostToRealm
// definition. No public source confirms one (docs-excerpts/kerberos-hosttorealm-csp.md §5), so it is
// looked up at run time and used only if its tree has the shape of the other ADMX list settings: a
// choice (Enabled = 1) whose Enabled option carries a group collection with a string `_key` (realm)
// and a string `_value` (hosts joined by ";") per entry. The lookup reads definitions by id
// (GET beta deviceManagement/configurationSettings/{id}, a path the beta CSDL defines), with no
// $filter, whose support on this collection no Microsoft document states. A definition that is not
// there, or not of that shape, means the custom OMA-URI profile.
import { isProviderError } from "../core/errors";
import type { GraphClient } from "../graph";
import { graphRequest } from "../graph";
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

/** The id an ADMX-backed HostToRealm definition would have (ADMX_Kerberos/HostToRealm, as the catalog names ADMX settings). */
export const HOST_TO_REALM_DEFINITION_ID = "device_vendor_msft_policy_config_admx_kerberos_hosttorealm";

/** Finds the definition tree, or undefined when the catalog has none of the expected shape. */
export async function discoverHostToRealmDefinition(gc: GraphClient, description: string): Promise<HostToRealmDefinition | undefined> {
    const get = async (id: string): Promise<any | undefined> => {
        try {
            return await graphRequest<any>(gc, {
                method: "GET", version: "beta", path: `/deviceManagement/configurationSettings/${encodeURIComponent(id)}`,
                description: `${description}: look up the settings catalog definition ${id}`,
            });
        } catch (e) {
            // a GET by id carries nothing but the id: 404 or 400 both say the catalog has no such
            // definition, and the custom OMA-URI profile is the answer then, never a failed create
            if (isProviderError(e, "GRAPH_NOT_FOUND") || isProviderError(e, "GRAPH_BAD_REQUEST")) return undefined;
            throw e;
        }
    };
    const root = await get(HOST_TO_REALM_DEFINITION_ID);
    if (!root) return undefined;
    const defs = [root];
    // the root's options name the list, the list names its children: read each once
    // any: Graph's setting definitions JSON, read as it comes and checked shape by shape
    const lists = (root.options ?? []).flatMap((o: any) => (o?.dependedOnBy ?? []).map((d: any) => String(d?.dependedOnBy)));
    for (const listId of new Set<string>(lists)) {
        const list = await get(listId);
        if (!list) continue;
        defs.push(list);
        for (const childId of list.childIds ?? []) {
            const child = await get(String(childId));
            if (child) defs.push(child);
        }
    }
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
