// A small reader of Microsoft Graph's schema and a validator of request bodies against it.
//
// Two sources give the same model: the whole v1.0 CSDL (graph-v1.0-csdl.xml, read with a tag
// scanner: CSDL is flat, attribute-only XML) and the beta extract (metadata-beta-extract.json:
// July 2021 types, with today's property names and enum members from `currentBeta`).
// The validator checks what OData checks on a write: every property exists on the (declared or
// @odata.type) type, values fit the property's type, enum members exist, non-nullable properties
// are not null, read-only ones are not sent. A type the source does not have is a gap, not a pass.

export interface PropertyInfo {
    name: string;
    /** e.g. "Edm.String", "microsoft.graph.x", "Collection(microsoft.graph.x)" */
    type: string;
    nullable: boolean;
    readOnly: boolean;
    navigation: boolean;
}

export interface TypeInfo {
    name: string;
    kind: "EntityType" | "ComplexType";
    abstract: boolean;
    openType: boolean;
    /** full names of the base types, nearest first */
    bases: string[];
    /** own and inherited */
    properties: Map<string, PropertyInfo>;
}

export interface EnumInfo { flags: boolean; members: Set<string> }

export interface SchemaModel {
    label: string;
    types: Map<string, TypeInfo>;
    enums: Map<string, EnumInfo>;
}

const NS = "microsoft.graph";
const full = (name: string) => (name.includes(".") ? name : `${NS}.${name}`);

// ---- v1.0: the CSDL XML ----------------------------------------------------------------------------

interface RawType { name: string; kind: TypeInfo["kind"]; base?: string; abstract: boolean; openType: boolean; own: PropertyInfo[] }

function attributes(text: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const m of text.matchAll(/([\w:.]+)="([^"]*)"/g)) out[m[1]] = m[2];
    return out;
}

export function readCsdl(xml: string, label: string): SchemaModel {
    const raw = new Map<string, RawType>();
    const enums = new Map<string, EnumInfo>();
    let namespace = "", alias = "";
    let type: RawType | undefined, enumInfo: EnumInfo | undefined;
    // every alias resolves to its namespace ("graph.x" -> "microsoft.graph.x")
    const aliases = new Map<string, string>();
    const resolve = (t: string): string => {
        const coll = /^Collection\((.*)\)$/.exec(t);
        if (coll) return `Collection(${resolve(coll[1])})`;
        const dot = t.lastIndexOf(".");
        const prefix = t.slice(0, dot);
        return aliases.has(prefix) ? `${aliases.get(prefix)}.${t.slice(dot + 1)}` : t;
    };
    const pending: { prop: PropertyInfo }[] = [];
    for (const m of xml.replace(/<!--[\s\S]*?-->/g, "").matchAll(/<(\/?)([\w:.]+)([^>]*?)(\/?)>/g)) {
        const [, closing, tag, attrText, selfClosing] = m;
        if (closing) {
            if (tag === "EntityType" || tag === "ComplexType") type = undefined;
            if (tag === "EnumType") enumInfo = undefined;
            continue;
        }
        const a = attributes(attrText);
        switch (tag) {
            case "Schema":
                namespace = a.Namespace; alias = a.Alias ?? "";
                if (alias) aliases.set(alias, namespace);
                break;
            case "EntityType":
            case "ComplexType":
                type = { name: `${namespace}.${a.Name}`, kind: tag, base: a.BaseType, abstract: a.Abstract === "true", openType: a.OpenType === "true", own: [] };
                raw.set(type.name, type);
                if (selfClosing) type = undefined;
                break;
            case "Property":
            case "NavigationProperty":
                if (type) {
                    const prop = { name: a.Name, type: a.Type, nullable: a.Nullable !== "false", readOnly: false, navigation: tag === "NavigationProperty" };
                    type.own.push(prop);
                    pending.push({ prop });
                }
                break;
            case "EnumType":
                enumInfo = { flags: a.IsFlags === "true", members: new Set() };
                enums.set(`${namespace}.${a.Name}`, enumInfo);
                break;
            case "Member":
                enumInfo?.members.add(a.Name);
                break;
        }
    }
    for (const { prop } of pending) prop.type = resolve(prop.type);
    for (const t of raw.values()) if (t.base) t.base = resolve(t.base);
    return { label, types: linkTypes(raw), enums };
}

function linkTypes(raw: Map<string, RawType>): Map<string, TypeInfo> {
    const out = new Map<string, TypeInfo>();
    for (const t of raw.values()) {
        const bases: string[] = [];
        const chain: RawType[] = [t];
        for (let b = t.base; b && raw.has(b); b = raw.get(b)!.base) { bases.push(b); chain.push(raw.get(b)!); }
        const properties = new Map<string, PropertyInfo>();
        for (const c of chain.reverse()) for (const p of c.own) properties.set(p.name, p);
        out.set(t.name, { name: t.name, kind: t.kind, abstract: t.abstract, openType: t.openType, bases, properties });
    }
    return out;
}

// ---- beta: the extract -------------------------------------------------------------------------------

/** "graph.x" and "Collection(graph.x)" as full names; Edm types as they are. */
function betaTypeName(t: string): string {
    const coll = /^Collection\((.*)\)$/.exec(t);
    if (coll) return `Collection(${betaTypeName(coll[1])})`;
    if (t.startsWith("Edm.")) return t;
    return full(t.replace(/^(microsoft\.)?graph\./, ""));
}

export function readBetaExtract(extract: any, label: string): SchemaModel {
    const types = new Map<string, TypeInfo>();
    const current = extract.currentBeta?.ownPropertyNamesByType ?? {};
    for (const [name, t] of Object.entries<any>(extract.types)) {
        const properties = new Map<string, PropertyInfo>();
        for (const p of t.properties ?? []) {
            properties.set(p.name, {
                name: p.name, type: betaTypeName(String(p.type)), nullable: p.nullable !== false, readOnly: p.readOnly === true, navigation: p.navigation === true,
            });
        }
        // a property today's beta has (on the type or a base) but the 2021 types lack: its name is known, its type is not
        for (const owner of [name, ...(t.baseTypeChain ?? [])]) {
            const now = current[owner];
            for (const n of [...(now?.properties ?? []), ...(now?.navigationProperties ?? [])]) {
                if (!properties.has(n)) properties.set(n, { name: n, type: "unknown", nullable: true, readOnly: false, navigation: false });
            }
        }
        types.set(full(name), {
            name: full(name), kind: t.kind, abstract: t.abstract === true, openType: t.openType === true,
            bases: (t.baseTypeChain ?? []).map(full), properties,
        });
    }
    const enums = new Map<string, EnumInfo>();
    for (const [name, e] of Object.entries<any>(extract.enums)) enums.set(full(name), { flags: e.isFlags === true, members: new Set(e.members) });
    for (const [name, e] of Object.entries<any>(extract.currentBeta?.enumMembers ?? {})) {
        const members: string[] = Array.isArray(e) ? e : e.members ?? [];
        const had = enums.get(full(name));
        enums.set(full(name), { flags: had?.flags ?? e.isFlags === true, members: new Set(members) });
    }
    return { label, types, enums };
}

// ---- validation ----------------------------------------------------------------------------------------

export interface Verdict {
    /** what the schema refuses */
    errors: string[];
    /** types the schema source does not hold, so nothing below them was checked */
    gaps: string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PRIMITIVE: Record<string, (v: unknown) => boolean> = {
    "Edm.String": (v) => typeof v === "string",
    "Edm.Boolean": (v) => typeof v === "boolean",
    "Edm.Int32": (v) => Number.isInteger(v),
    "Edm.Int64": (v) => Number.isInteger(v),
    "Edm.Double": (v) => typeof v === "number",
    "Edm.Guid": (v) => typeof v === "string" && GUID.test(v),
    "Edm.DateTimeOffset": (v) => typeof v === "string" && !Number.isNaN(Date.parse(v)),
    "Edm.Binary": (v) => typeof v === "string",
};

/**
 * Checks `body` as an instance of `typeName` (a full or short name): a request body, or with
 * `response` a body Graph (or the emulator) returned, where read-only properties belong.
 */
export function validateBody(model: SchemaModel, typeName: string, body: unknown, opts: { response?: boolean } = {}): Verdict {
    const verdict: Verdict = { errors: [], gaps: [] };
    const coll = /^Collection\((.*)\)$/.exec(typeName);
    new Checker(model, opts.response === true, verdict).value(coll ? `Collection(${full(coll[1])})` : full(typeName), body, "$", true);
    verdict.gaps = [...new Set(verdict.gaps)].sort();
    return verdict;
}

class Checker {
    constructor(private readonly model: SchemaModel, private readonly response: boolean, private readonly out: Verdict) {}

    value(type: string, v: unknown, path: string, nullable: boolean): void {
        const { model, out } = this;
        if (v === null) {
            if (!nullable) out.errors.push(`${path}: null is not allowed (${type} is not nullable in ${model.label})`);
            return;
        }
        const coll = /^Collection\((.*)\)$/.exec(type);
        if (coll) {
            if (!Array.isArray(v)) { out.errors.push(`${path}: expected a collection of ${coll[1]}`); return; }
            v.forEach((x, i) => this.value(coll[1], x, `${path}[${i}]`, false));
            return;
        }
        if (type === "unknown") return;
        if (PRIMITIVE[type]) {
            if (!PRIMITIVE[type](v)) out.errors.push(`${path}: ${JSON.stringify(v)} is not a valid ${type}`);
            return;
        }
        const e = model.enums.get(type);
        if (e) {
            const members = typeof v === "string" ? (e.flags ? v.split(",").map((s) => s.trim()) : [v]) : [];
            if (members.length === 0 || members.some((m) => !e.members.has(m))) {
                out.errors.push(`${path}: ${JSON.stringify(v)} is not a member of ${type} (${[...e.members].join(", ")})`);
            }
            return;
        }
        if (!model.types.has(type)) { out.gaps.push(type); return; }
        if (typeof v !== "object" || Array.isArray(v)) { out.errors.push(`${path}: expected an object of type ${type}`); return; }
        this.object(type, v as Record<string, unknown>, path);
    }

    private object(declared: string, v: Record<string, unknown>, path: string): void {
        const { model, out } = this;
        let type = declared;
        const odataType = v["@odata.type"];
        if (odataType !== undefined) {
            const actual = typeof odataType === "string" ? odataType.replace(/^#/, "") : "";
            const info = model.types.get(actual);
            if (!info) { out.gaps.push(actual || String(odataType)); return; }
            if (actual !== declared && !info.bases.includes(declared)) {
                out.errors.push(`${path}: @odata.type ${actual} is not ${declared} or derived from it`);
                return;
            }
            type = actual;
        }
        const info = model.types.get(type)!;
        if (info.abstract) out.errors.push(`${path}: ${type} is abstract; the body must name a derived type in @odata.type`);
        for (const [key, value] of Object.entries(v)) {
            if (key === "@odata.type") continue;
            const annotated = /^(.+)@odata\.type$/.exec(key);
            const name = annotated ? annotated[1] : key;
            const p = info.properties.get(name);
            if (!p) {
                if (!info.openType) out.errors.push(`${path}.${key}: ${type} has no property '${name}' in ${model.label}`);
                continue;
            }
            if (annotated) continue;
            if (p.readOnly && !this.response) out.errors.push(`${path}.${key}: '${name}' is read-only on ${type} in ${model.label}`);
            this.value(p.type, value, `${path}.${key}`, p.nullable);
        }
    }
}
