// Settings catalog comparison without perpetual diffs. Both sides (the body we would send and the
// settings Graph returns) are reduced to the same flat, sorted list of lines, one per value:
//
//   device_vendor_msft_passportforwork_{tenantid}[0]/policies_usecloudtrustforonpremauth = true
//   device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled = 1
//
// Only definition ids and values take part, so everything the server fills in (setting `id`s,
// `@odata` annotations, null template references, `children@odata.type`) is ignored, and order does
// not matter: top-level settings, children and the values of a group collection are all sorted.
// The lines are also what users see in a preview, so a flipped setting reads as one changed line.
import { stableJson } from "../core/stable-json";

/** Flat lines of a policy's settings: accepts `[{ settingInstance }]` (as sent or read) or bare instances. */
export function flattenSettings(settings: readonly any[]): string[] {
    const lines: string[] = [];
    for (const s of settings ?? []) {
        const inst = s?.settingInstance ?? s;
        lines.push(...instanceLines(inst, "", undefined));
    }
    return lines.sort();
}

/** Every settingDefinitionId a policy's settings use, at any depth (as sent or read). */
export function definitionIds(settings: readonly any[]): string[] {
    const ids: string[] = [];
    // any: Graph's settings JSON, an open-ended tree of setting instances read as it comes
    const walk = (inst: any) => {
        if (typeof inst !== "object" || inst === null) return;
        if (typeof inst.settingDefinitionId === "string") ids.push(inst.settingDefinitionId);
        for (const c of inst.choiceSettingValue?.children ?? []) walk(c);
        for (const v of inst.choiceSettingCollectionValue ?? []) for (const c of v?.children ?? []) walk(c);
        for (const g of inst.groupSettingCollectionValue ?? []) for (const c of g?.children ?? []) walk(c);
    };
    for (const s of settings ?? []) walk(s?.settingInstance ?? s);
    return ids;
}

export function sameSettings(a: readonly string[], b: readonly string[]): boolean {
    return a.length === b.length && a.every((line, i) => line === b[i]);
}

/** Lines only in `observed` (added or changed in the service) and only in `desired` (removed or changed). */
export function settingsDifference(observed: readonly string[], desired: readonly string[]): { unexpected: string[]; missing: string[] } {
    const o = new Set(observed), d = new Set(desired);
    return { unexpected: observed.filter((l) => !d.has(l)), missing: desired.filter((l) => !o.has(l)) };
}

/** `child` without its parent's prefix when it has one: ..._{tenantid}_policies_x under ..._{tenantid} -> policies_x. */
function relative(id: string, parent: string | undefined): string {
    if (parent && id.startsWith(`${parent}_`) && id.length > parent.length + 1) return id.slice(parent.length + 1);
    return id;
}

function instanceLines(inst: any, parentPath: string, parentId: string | undefined): string[] {
    if (typeof inst !== "object" || inst === null) return [`${parentPath || "?"} = ${JSON.stringify(inst)}`];
    const id: string = String(inst.settingDefinitionId ?? "?");
    const path = parentPath ? `${parentPath}/${relative(id, parentId)}` : id;

    if (inst.choiceSettingValue !== undefined) {
        const v = inst.choiceSettingValue ?? {};
        const own = `${path} = ${v.value === undefined || v.value === null ? "(none)" : relative(String(v.value), id)}`;
        return [own, ...childLines(v.children, path, id)];
    }
    if (inst.choiceSettingCollectionValue !== undefined) {
        const values = (inst.choiceSettingCollectionValue ?? []).map((v: any) => relative(String(v?.value), id)).sort();
        const children = (inst.choiceSettingCollectionValue ?? []).flatMap((v: any) => childLines(v?.children, `${path}{${relative(String(v?.value), id)}}`, id));
        return [`${path} = [${values.join(", ")}]`, ...children];
    }
    if (inst.groupSettingCollectionValue !== undefined) {
        return groupLines(inst.groupSettingCollectionValue ?? [], path, id);
    }
    if (inst.simpleSettingValue !== undefined) {
        return [`${path} = ${simpleValue(inst.simpleSettingValue)}`];
    }
    if (inst.simpleSettingCollectionValue !== undefined) {
        const values = (inst.simpleSettingCollectionValue ?? []).map(simpleValue).sort();
        return [`${path} = [${values.join(", ")}]`];
    }
    // an instance type this package never writes: compare its semantic content as a whole
    const { settingDefinitionId: _id, ...content } = inst;
    return [`${path} = ${stableJson(stripServerFields(content))}`];
}

function childLines(children: unknown, path: string, parentId: string): string[] {
    if (!Array.isArray(children)) return [];
    return children.flatMap((c) => instanceLines(c, path, parentId));
}

/** Values of a group collection are sorted by their own content, then numbered, so their order does not matter. */
function groupLines(values: any[], path: string, id: string): string[] {
    if (values.length === 0) return [`${path} = []`];
    const canonical = values.map((v) => {
        const lines = childLines(v?.children, "", id).sort();
        return { key: lines.join("\n"), children: v?.children };
    }).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return canonical.flatMap((v, i) => {
        const lines = childLines(v.children, `${path}[${i}]`, id);
        return lines.length > 0 ? lines : [`${path}[${i}] = {}`];
    });
}

function simpleValue(v: any): string {
    if (typeof v !== "object" || v === null) return JSON.stringify(v);
    const type = String(v["@odata.type"] ?? "");
    // secret values come back as tokens that never match what was sent; compare their state only
    if (/Secret/i.test(type)) return `<secret ${v.valueState ?? "unknown"}>`;
    return typeof v.value === "string" ? JSON.stringify(v.value) : String(v.value);
}

const SERVER_FIELDS = new Set(["id", "settingInstanceTemplateReference", "settingValueTemplateReference"]);

function stripServerFields(v: any): any {
    if (Array.isArray(v)) return v.map(stripServerFields);
    if (typeof v !== "object" || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
        if (SERVER_FIELDS.has(k) || k.includes("@odata.")) continue;
        if (x === null || (Array.isArray(x) && x.length === 0)) continue;
        out[k] = stripServerFields(x);
    }
    return out;
}

