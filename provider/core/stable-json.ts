// JSON with object keys sorted at every level, so two values that differ only in key order (as the
// same object read twice from a service may) serialise to the same text. Keys whose value is
// undefined are left out, as JSON.stringify leaves them out; undefined itself is "undefined", so it
// never equals null.
export function stableJson(v: unknown): string {
    if (v === undefined) return "undefined";
    if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
    if (v === null || typeof v !== "object") return JSON.stringify(v);
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(",")}}`;
}
