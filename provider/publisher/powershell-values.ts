// ConvertTo-Json's renderings of .NET values, normalized. The same DateTime comes out as
// "\/Date(1700000000000)\/" from Windows PowerShell 5.1 (JavaScriptSerializer) and as
// "2023-11-14T22:13:20.1234567Z" (or with an offset, or none for DateTimeKind.Unspecified) from
// pwsh 7 (Newtonsoft/System.Text.Json); 5.1 also wraps a PSObject-adorned DateTime as
// {"value": "\/Date(...)\/", "DisplayHint": 2, "DateTime": "..."}. Numbers may arrive as strings
// when a module types them so. Each function throws a plain Error naming what it saw; the caller
// turns that into a ProviderError naming the property.

const DOTNET_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})?$/;

/** A DateTime as ConvertTo-Json printed it -> ISO 8601 UTC with milliseconds, or null. */
export function normalizeDate(v: unknown): string | null {
    if (v === null || v === undefined || v === "") return null;
    if (typeof v === "object" && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        // 5.1's adorned DateTime keeps the real value in "value"; a DateTimeOffset has UtcDateTime
        if ("value" in o) return normalizeDate(o.value);
        if ("UtcDateTime" in o) return normalizeDate(o.UtcDateTime);
        throw new Error(`not a date: an object with ${Object.keys(o).join(", ") || "no properties"}`);
    }
    if (typeof v !== "string") throw new Error(`not a date: ${typeof v}`);
    const dotnet = DOTNET_DATE.exec(v);
    if (dotnet) {
        // the number is milliseconds since the epoch in UTC; a trailing offset only says which
        // local time zone the value was in, it does not shift the instant
        return new Date(Number(dotnet[1])).toISOString();
    }
    const iso = ISO_DATE.exec(v);
    if (iso) {
        const [, y, mo, d, h, mi, s, frac = "", zone] = iso;
        const ms = Number((frac + "000").slice(0, 3));
        let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
        // DateTimeKind.Unspecified prints without a zone; the module's times come from AD
        // replication metadata, which is UTC, so read it as UTC
        if (zone && zone !== "Z") {
            const sign = zone[0] === "-" ? -1 : 1;
            t -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
        }
        const out = new Date(t);
        if (Number.isNaN(out.getTime())) throw new Error(`not a date: "${v}"`);
        return out.toISOString();
    }
    throw new Error(`not a date: "${v.slice(0, 40)}"`);
}

/** An integer (number or decimal string) -> number, or null. */
export function normalizeInteger(v: unknown): number | null {
    if (v === null || v === undefined || v === "") return null;
    if (typeof v === "number" && Number.isSafeInteger(v)) return v;
    if (typeof v === "string" && /^-?\d{1,15}$/.test(v.trim())) return Number(v.trim());
    throw new Error(`not an integer: ${typeof v === "string" ? `"${v.slice(0, 40)}"` : typeof v}`);
}

/**
 * A string property -> string or null. A DN may come as an object if the module returns a
 * directory object rather than its name; take its distinguished name then.
 */
export function normalizeText(v: unknown): string | null {
    if (v === null || v === undefined || v === "") return null;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (typeof v === "object" && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        for (const k of Object.keys(o)) {
            if (/^(distinguishedName|dn|value)$/i.test(k)) return normalizeText(o[k]);
        }
        throw new Error(`not text: an object with ${Object.keys(o).join(", ") || "no properties"}`);
    }
    throw new Error(`not text: ${Array.isArray(v) ? "an array" : typeof v}`);
}
