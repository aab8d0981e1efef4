// The slice of OData query options the emulated endpoints accept: $filter (a small, strict
// grammar: eq/ne/gt/ge/lt/le, in, startswith/endswith/contains, and/or/not, parentheses), $top,
// $skiptoken paging with @odata.nextLink, $select, $orderby and $count. Each collection declares
// which (property, operator) pairs it supports; anything else is refused with 400 as Graph does.
import { invalidFilter, unsupported, badRequest } from "./errors";
import type { EmulatorRequest } from "./types";

export type Op = "eq" | "ne" | "gt" | "ge" | "lt" | "le" | "in" | "startswith" | "endswith" | "contains";
export type Literal = string | number | boolean | null;
export type FilterNode =
    | { kind: "and" | "or"; left: FilterNode; right: FilterNode }
    | { kind: "not"; inner: FilterNode }
    | { kind: "cmp"; op: Op; prop: string; value: Literal | Literal[] };

/** property path -> operators the collection supports on it */
export type FilterSpec = Record<string, Op[]>;

// ---- tokenizer / parser -------------------------------------------------------------------------

type Tok = { t: "str"; v: string } | { t: "word"; v: string } | { t: "(" | ")" | "," };

function tokenize(s: string): Tok[] {
    const out: Tok[] = [];
    let i = 0;
    while (i < s.length) {
        const c = s[i];
        if (/\s/.test(c)) { i++; continue; }
        if (c === "(" || c === ")" || c === ",") { out.push({ t: c }); i++; continue; }
        if (c === "'") {
            let v = "";
            i++;
            for (;;) {
                if (i >= s.length) throw invalidFilter("Invalid filter clause: unterminated string literal.");
                if (s[i] === "'") {
                    if (s[i + 1] === "'") { v += "'"; i += 2; continue; }
                    i++;
                    break;
                }
                v += s[i++];
            }
            out.push({ t: "str", v });
            continue;
        }
        const m = /^[A-Za-z0-9_.:/+\-@$]+/.exec(s.slice(i));
        if (!m) throw invalidFilter(`Invalid filter clause: unexpected character '${c}'.`);
        out.push({ t: "word", v: m[0] });
        i += m[0].length;
    }
    return out;
}

const CMP_OPS = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
const FUNCS = new Set(["startswith", "endswith", "contains"]);

export function parseFilter(text: string): FilterNode {
    const toks = tokenize(text);
    let p = 0;
    const peek = () => toks[p];
    const word = (w: string) => { const t = toks[p]; return t?.t === "word" && t.v.toLowerCase() === w; };
    const expect = (t: Tok["t"]) => {
        if (toks[p]?.t !== t) throw invalidFilter(`Invalid filter clause: expected '${t}'.`);
        return toks[p++];
    };
    const literal = (): Literal => {
        const t = toks[p++];
        if (!t) throw invalidFilter("Invalid filter clause: missing value.");
        if (t.t === "str") return t.v;
        if (t.t !== "word") throw invalidFilter("Invalid filter clause: expected a value.");
        const v = t.v.toLowerCase();
        if (v === "true") return true;
        if (v === "false") return false;
        if (v === "null") return null;
        if (/^-?\d+(\.\d+)?$/.test(t.v)) return Number(t.v);
        // unquoted GUIDs and DateTimeOffset literals are valid OData
        if (/^[0-9a-f-]{36}$/i.test(t.v) || /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(t.v)) return t.v;
        throw invalidFilter(`Invalid filter clause: '${t.v}' is not a valid literal.`);
    };
    const propName = (): string => {
        const t = toks[p++];
        if (t?.t !== "word" || !/^[A-Za-z_][A-Za-z0-9_/]*$/.test(t.v)) throw invalidFilter("Invalid filter clause: expected a property name.");
        return t.v;
    };
    const primary = (): FilterNode => {
        const t = peek();
        if (!t) throw invalidFilter("Invalid filter clause: unexpected end of expression.");
        if (t.t === "(") {
            p++;
            const e = orExpr();
            expect(")");
            return e;
        }
        if (t.t === "word" && FUNCS.has(t.v.toLowerCase()) && toks[p + 1]?.t === "(") {
            const op = t.v.toLowerCase() as Op;
            p += 2;
            const prop = propName();
            expect(",");
            const value = literal();
            expect(")");
            return { kind: "cmp", op, prop, value };
        }
        const prop = propName();
        const opTok = toks[p++];
        if (opTok?.t !== "word") throw invalidFilter("Invalid filter clause: expected an operator.");
        const op = opTok.v.toLowerCase();
        if (op === "in") {
            expect("(");
            const values: Literal[] = [literal()];
            while (peek()?.t === ",") { p++; values.push(literal()); }
            expect(")");
            return { kind: "cmp", op: "in", prop, value: values };
        }
        if (!CMP_OPS.has(op)) throw invalidFilter(`Invalid filter clause: unknown operator '${opTok.v}'.`);
        return { kind: "cmp", op: op as Op, prop, value: literal() };
    };
    const unary = (): FilterNode => {
        if (word("not")) { p++; return { kind: "not", inner: unary() }; }
        return primary();
    };
    const andExpr = (): FilterNode => {
        let left = unary();
        while (word("and")) { p++; left = { kind: "and", left, right: unary() }; }
        return left;
    };
    const orExpr = (): FilterNode => {
        let left = andExpr();
        while (word("or")) { p++; left = { kind: "or", left, right: andExpr() }; }
        return left;
    };
    if (toks.length === 0) throw invalidFilter("Invalid filter clause: empty expression.");
    const tree = orExpr();
    if (p !== toks.length) throw invalidFilter("Invalid filter clause: syntax error after the expression.");
    return tree;
}

/** Refuses (property, operator) pairs the collection does not support, naming the resource like Graph. */
export function checkFilter(node: FilterNode, spec: FilterSpec, resource: string): void {
    if (node.kind === "not") { checkFilter(node.inner, spec, resource); return; }
    if (node.kind !== "cmp") { checkFilter(node.left, spec, resource); checkFilter(node.right, spec, resource); return; }
    const cmp = node;
    const key = Object.keys(spec).find((k) => k.toLowerCase() === cmp.prop.toLowerCase());
    if (!key || !spec[key].includes(cmp.op)) {
        throw unsupported(`Unsupported or invalid query filter clause specified for property '${cmp.prop}' of resource '${resource}'.`);
    }
}

function getPath(entity: any, path: string): any {
    return path.split("/").reduce((o, k) => {
        if (o === null || o === undefined) return undefined;
        const key = Object.keys(o).find((x) => x.toLowerCase() === k.toLowerCase());
        return key === undefined ? undefined : o[key];
    }, entity);
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T/;

function compare(a: any, b: Literal): number {
    if (typeof a === "string" && typeof b === "string") {
        if (ISO_RE.test(a) && ISO_RE.test(b)) return Date.parse(a) - Date.parse(b);
        return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
    }
    if (typeof a === "number" && typeof b === "number") return a - b;
    return a === b ? 0 : NaN;
}

const eqCI = (a: any, b: Literal) => (typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b);

/** Graph compares directory strings case-insensitively; so does the emulator. */
export function matches(entity: any, node: FilterNode): boolean {
    switch (node.kind) {
        case "and": return matches(entity, node.left) && matches(entity, node.right);
        case "or": return matches(entity, node.left) || matches(entity, node.right);
        case "not": return !matches(entity, node.inner);
    }
    const v = getPath(entity, node.prop);
    const lit = node.value;
    switch (node.op) {
        case "eq": return eqCI(v, lit as Literal);
        case "ne": return !eqCI(v, lit as Literal);
        case "in": return (lit as Literal[]).some((x) => eqCI(v, x));
        case "gt": return compare(v, lit as Literal) > 0;
        case "ge": return compare(v, lit as Literal) >= 0;
        case "lt": return compare(v, lit as Literal) < 0;
        case "le": return compare(v, lit as Literal) <= 0;
        case "startswith": return typeof v === "string" && typeof lit === "string" && v.toLowerCase().startsWith(lit.toLowerCase());
        case "endswith": return typeof v === "string" && typeof lit === "string" && v.toLowerCase().endsWith(lit.toLowerCase());
        case "contains": return typeof v === "string" && typeof lit === "string" && v.toLowerCase().includes(lit.toLowerCase());
    }
}

// ---- query options ------------------------------------------------------------------------------

export interface QueryOptionsSpec {
    resource: string;                     // for messages: "group", "conditionalAccessPolicy"
    filter?: FilterSpec;
    orderby?: string[];                   // sortable properties
    defaultOrder?: { prop: string; desc: boolean };
    defaultTop: number;
    maxTop: number;
    select?: boolean;
    expand?: string[];
    /** directory objects: $count (and advanced queries) need the ConsistencyLevel: eventual header */
    countNeedsConsistency?: boolean;
}

const KNOWN_OPTIONS = new Set(["$filter", "$top", "$skiptoken", "$select", "$orderby", "$count", "$expand", "$search", "$skip", "$format"]);

export function checkQueryOptions(req: EmulatorRequest, spec: Pick<QueryOptionsSpec, "filter" | "orderby" | "select" | "expand" | "resource">, list: boolean): void {
    for (const key of req.query.keys()) {
        if (!key.startsWith("$")) continue; // non-OData parameters are ignored, like Graph
        if (!KNOWN_OPTIONS.has(key)) throw badRequest(`Query option '${key}' is not allowed.`);
        const ok =
            key === "$select" ? spec.select !== false :
            key === "$expand" ? (spec.expand?.length ?? 0) > 0 :
            key === "$filter" ? list && spec.filter !== undefined :
            key === "$orderby" ? list && (spec.orderby?.length ?? 0) > 0 :
            key === "$top" || key === "$skiptoken" || key === "$count" ? list :
            false;
        if (!ok) throw unsupported(`Query option '${key}' is not supported on resource '${spec.resource}'.`);
    }
}

export function applyFilter<T>(items: readonly T[], req: EmulatorRequest, spec: QueryOptionsSpec): T[] {
    const f = req.query.get("$filter");
    if (f === null) return [...items];
    if (!spec.filter) throw unsupported(`$filter is not supported on resource '${spec.resource}'.`);
    const tree = parseFilter(f);
    checkFilter(tree, spec.filter, spec.resource);
    return items.filter((e) => matches(e, tree));
}

export function applyOrder<T>(items: T[], req: EmulatorRequest, spec: QueryOptionsSpec): T[] {
    const o = req.query.get("$orderby");
    let prop = spec.defaultOrder?.prop, desc = spec.defaultOrder?.desc ?? false;
    if (o !== null) {
        const m = /^\s*([A-Za-z_/]+)(?:\s+(asc|desc))?\s*$/i.exec(o);
        const allowed = spec.orderby?.find((x) => m && x.toLowerCase() === m[1].toLowerCase());
        if (!m || !allowed) throw unsupported(`Unsupported $orderby '${o}' on resource '${spec.resource}'.`);
        prop = allowed;
        desc = (m[2] ?? "asc").toLowerCase() === "desc";
    }
    if (!prop) return items;
    const key = prop;
    return [...items].sort((a, b) => {
        const c = compare(getPath(a, key), getPath(b, key));
        return (desc ? -c : c) || 0;
    });
}

export function selectProps(entity: any, req: EmulatorRequest): any {
    const s = req.query.get("$select");
    if (!s) return entity;
    const wanted = s.split(",").map((x) => x.trim()).filter(Boolean);
    const out: any = {};
    for (const w of wanted) {
        const key = Object.keys(entity).find((k) => k.toLowerCase() === w.toLowerCase());
        if (key !== undefined) out[key] = entity[key];
    }
    return out;
}

export function encodeSkipToken(offset: number): string {
    return Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
}

function decodeSkipToken(token: string): number {
    try {
        const o = JSON.parse(Buffer.from(token, "base64url").toString("utf8")).o;
        if (Number.isInteger(o) && o >= 0) return o;
    } catch { /* fall through */ }
    throw badRequest("The $skiptoken is invalid or has expired.");
}

/** One page of `items` per $top/$skiptoken, with the absolute @odata.nextLink when more remain. */
export function page<T>(items: T[], req: EmulatorRequest, spec: Pick<QueryOptionsSpec, "defaultTop" | "maxTop">): { value: T[]; nextLink?: string; count: number } {
    const topRaw = req.query.get("$top");
    let top = spec.defaultTop;
    if (topRaw !== null) {
        if (!/^\d+$/.test(topRaw) || Number(topRaw) < 1) throw badRequest(`Invalid value '${topRaw}' for query option $top.`);
        top = Math.min(Number(topRaw), spec.maxTop);
    }
    const tok = req.query.get("$skiptoken");
    const offset = tok === null ? 0 : decodeSkipToken(tok);
    const value = items.slice(offset, offset + top);
    let nextLink: string | undefined;
    if (offset + top < items.length) {
        const q = new URLSearchParams(req.query);
        q.set("$skiptoken", encodeSkipToken(offset + top));
        const qs = [...q].map(([k, v]) => `${k.startsWith("$") ? k : encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
        nextLink = `${req.origin}${req.url.pathname}?${qs}`;
    }
    return { value, nextLink, count: items.length };
}
