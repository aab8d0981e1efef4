// A small JSON Schema (2020-12) validator for the subset our shipped schemas use: type, const, enum,
// properties, required, additionalProperties: false, items, minItems, minLength, pattern, minimum,
// maximum, $ref to #/$defs, oneOf, and `format` for URLs, checked by the input grammar
// (provider/core/grammar) with the rules the resources' `check` applies. Written here rather than taken from npm because the errors
// must name the config path a user edits ("cloudKerberosTrust.forests[1].domains[0].domain") and
// pick the intended oneOf branch (by its `type` const or its required key) instead of listing a
// failure per branch. Any other keyword in a schema is refused, so the schema cannot silently
// promise a check this file does not make.

import { URL_RULES, urlProblem, type UrlRule } from "../core/grammar";

export interface SchemaError {
    /** "cloudKerberosTrust.forests[1].domains[0].domain" */
    path: string;
    message: string;
}

export type JsonSchema = Record<string, any>;

/** `format` values: URL kinds of the input grammar (a URL may carry a password, so none is echoed then). */
const FORMATS: Record<string, UrlRule> = URL_RULES;

const ANNOTATIONS = new Set(["$schema", "$id", "$defs", "title", "description"]);
const CHECKED = new Set([
    "type", "const", "enum", "properties", "required", "additionalProperties", "items", "minItems",
    "minLength", "pattern", "minimum", "maximum", "$ref", "oneOf", "format",
]);

/** Validates `value` against `schema` (whose $refs resolve in `root`); every error found, in document order. */
export function validateJson(value: unknown, schema: JsonSchema, path: string, root: JsonSchema = schema): SchemaError[] {
    const errors: SchemaError[] = [];
    visit(value, schema, path, root, errors);
    return errors;
}

/** Throws when the schema uses a keyword this validator does not check (tested over the shipped schema). */
export function assertSupportedSchema(schema: unknown, at = "#"): void {
    if (Array.isArray(schema)) { schema.forEach((s, i) => assertSupportedSchema(s, `${at}/${i}`)); return; }
    if (typeof schema !== "object" || schema === null) return;
    for (const [k, v] of Object.entries(schema)) {
        if (ANNOTATIONS.has(k)) {
            if (k === "$defs") for (const [name, def] of Object.entries(v as object)) assertSupportedSchema(def, `${at}/$defs/${name}`);
            continue;
        }
        if (!CHECKED.has(k)) throw new Error(`schema keyword "${k}" at ${at} is not supported by json-schema.ts`);
        if (k === "format" && !(v in FORMATS)) throw new Error(`schema format "${v}" at ${at} is not one of ${Object.keys(FORMATS).join(", ")}`);
        if (k === "properties") for (const [name, s] of Object.entries(v as object)) assertSupportedSchema(s, `${at}/properties/${name}`);
        if (k === "items" || k === "oneOf") assertSupportedSchema(v, `${at}/${k}`);
    }
}

function resolveRef(ref: string, root: JsonSchema): JsonSchema {
    const m = /^#\/\$defs\/([^/]+)$/.exec(ref);
    const target = m ? root.$defs?.[m[1]] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    return target;
}

function typeOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
}

function typeMatches(expected: string, v: unknown): boolean {
    const actual = typeOf(v);
    return actual === expected || (expected === "number" && actual === "integer");
}

const describe = (v: unknown) => (typeof v === "string" ? JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v) : typeOf(v));

function visit(value: unknown, schema: JsonSchema, path: string, root: JsonSchema, errors: SchemaError[]): void {
    const fail = (message: string, at = path) => errors.push({ path: at, message });
    if (schema.$ref) { visit(value, resolveRef(schema.$ref, root), path, root, errors); return; }
    if (schema.oneOf) { visitOneOf(value, schema.oneOf, path, root, errors); return; }

    // a value of the wrong type is named by its type only: it may be a secret pasted where a reference belongs
    if (schema.type && !typeMatches(schema.type, value)) { fail(`must be ${article(schema.type)}, not ${article(typeOf(value))}`); return; }
    if ("const" in schema && value !== schema.const) { fail(`must be ${JSON.stringify(schema.const)}, not ${describe(value)}`); return; }
    if (schema.enum && !schema.enum.includes(value)) { fail(`must be one of ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(", ")}, not ${describe(value)}`); return; }

    if (typeof value === "string") {
        if (schema.minLength !== undefined && value.length < schema.minLength) fail(schema.minLength === 1 ? "must not be empty" : `must be at least ${schema.minLength} characters`);
        else if (schema.pattern && !new RegExp(schema.pattern).test(value)) fail(`${describe(value)} is not ${schema.description ?? `of the form /${schema.pattern}/`}`);
        else if (schema.format) {
            // the grammar's reason starts with the path it is given: here the error carries the path itself
            const problem = urlProblem("", value, FORMATS[schema.format]);
            if (problem) fail(problem.trimStart());
        }
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) fail(`must be at least ${schema.minimum}, not ${value}`);
        if (schema.maximum !== undefined && value > schema.maximum) fail(`must be at most ${schema.maximum}, not ${value}`);
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) fail(`must have at least ${schema.minItems} ${schema.minItems === 1 ? "entry" : "entries"}`);
        if (schema.items) value.forEach((item, i) => visit(item, schema.items, `${path}[${i}]`, root, errors));
    }
    if (typeOf(value) === "object") visitObject(value as Record<string, unknown>, schema, path, root, errors);
}

function visitObject(value: Record<string, unknown>, schema: JsonSchema, path: string, root: JsonSchema, errors: SchemaError[]): void {
    const props: Record<string, JsonSchema> = schema.properties ?? {};
    for (const key of schema.required ?? []) {
        if (value[key] === undefined) errors.push({ path: `${path}.${key}`, message: "is required" });
    }
    for (const [key, v] of Object.entries(value)) {
        if (v === undefined) continue;
        if (props[key]) visit(v, props[key], `${path}.${key}`, root, errors);
        else if (schema.additionalProperties === false) {
            errors.push({ path: `${path}.${key}`, message: `is not a known setting here (known: ${Object.keys(props).join(", ")})` });
        }
    }
}

/**
 * oneOf over object branches: the branch is chosen by the value's `type` when the branches are told
 * apart by a `type` const (credentials, publishers, shells), else by which branch's required keys are
 * present (SecretRef: env or config). Then only that branch's errors are reported.
 */
function visitOneOf(value: unknown, branches: JsonSchema[], path: string, root: JsonSchema, errors: SchemaError[]): void {
    const resolved = branches.map((b) => (b.$ref ? resolveRef(b.$ref, root) : b));
    const consts = resolved.map((b) => b.properties?.type?.const).filter((c): c is string => typeof c === "string");
    if (typeOf(value) !== "object") {
        errors.push({ path, message: `must be an object (${alternatives(resolved, consts)}), not ${article(typeOf(value))}` });
        return;
    }
    const obj = value as Record<string, unknown>;
    let chosen: JsonSchema | undefined;
    if (consts.length === resolved.length) {
        chosen = resolved.find((b) => b.properties.type.const === obj.type);
        if (!chosen) {
            errors.push({ path: `${path}.type`, message: `must be one of ${consts.map((c) => JSON.stringify(c)).join(", ")}, not ${describe(obj.type)}` });
            return;
        }
    } else {
        const candidates = resolved.filter((b) => (b.required ?? []).every((k: string) => obj[k] !== undefined));
        if (candidates.length !== 1) {
            errors.push({ path, message: `must be ${alternatives(resolved, consts)}` });
            return;
        }
        chosen = candidates[0];
    }
    visit(value, chosen, path, root, errors);
}

function alternatives(branches: JsonSchema[], consts: string[]): string {
    if (consts.length === branches.length) return `with type ${consts.map((c) => JSON.stringify(c)).join(" | ")}`;
    return branches.map((b) => `{ ${(b.required ?? []).map((k: string) => `${k}: ...`).join(", ")} }`).join(" or ");
}

function article(type: string): string {
    return type === "object" ? "an object" : type === "array" ? "a list" : type === "integer" ? "a whole number" : type === "null" ? "null" : `a ${type}`;
}
