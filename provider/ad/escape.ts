// Escaping for values that end up inside LDAP distinguished names (RFC 4514) and search filters
// (RFC 4515). Every DN or filter this package builds from user input goes through here, so a
// group called `*)(objectClass=*` or `CN=x,OU=evil` stays one literal value.
//
// Filters built with ldapts objects (EqualityFilter & co.) need no escaping at all: their values
// are never parsed. Prefer them; use escapeFilterValue only when a filter must be a string.

const DN_SPECIAL = new Set(['"', "+", ",", ";", "<", ">", "\\", "="]);

const hex2 = (n: number) => n.toString(16).padStart(2, "0");

/**
 * RFC 4514 §2.4 escaping of one attribute value (the part after `CN=`).
 * `=` is not required by the RFC, but AD escapes it and an escaped `=` is always valid.
 * Control characters are hex-escaped so a DN never carries a raw NUL or newline.
 */
export function escapeDnValue(value: string): string {
    let out = "";
    const chars = Array.from(value); // whole code points: a surrogate pair is never split
    chars.forEach((ch, i) => {
        const code = ch.codePointAt(0)!;
        if (code < 0x20 || code === 0x7f) out += `\\${hex2(code)}`;
        else if (DN_SPECIAL.has(ch)) out += `\\${ch}`;
        else if (i === 0 && (ch === " " || ch === "#")) out += `\\${ch}`;
        else if (i === chars.length - 1 && ch === " ") out += "\\ ";
        else out += ch;
    });
    return out;
}

/** Inverse of escapeDnValue (also accepts `\XX` hex pairs forming UTF-8 sequences). */
export function unescapeDnValue(value: string): string {
    if (!value.includes("\\")) return value; // nothing escaped (most values): no byte round trip
    const chars = Array.from(value); // whole code points
    const bytes: number[] = [];
    const pushChar = (s: string) => bytes.push(...Buffer.from(s, "utf8"));
    for (let i = 0; i < chars.length; i++) {
        if (chars[i] !== "\\") { pushChar(chars[i]); continue; }
        const next = (chars[i + 1] ?? "") + (chars[i + 2] ?? "");
        if (/^[0-9a-fA-F]{2}$/.test(next)) { bytes.push(parseInt(next, 16)); i += 2; continue; }
        if (i + 1 >= chars.length) throw new Error(`bad DN value escape at the end of ${JSON.stringify(value)}`);
        pushChar(chars[i + 1]);
        i++;
    }
    return Buffer.from(bytes).toString("utf8");
}

/**
 * RFC 4515 §3 escaping of an assertion value inside a string filter: `*`, `(`, `)`, `\` and NUL.
 * Non-ASCII text stays literal UTF-8, which RFC 4515 allows. Binary values (SIDs, GUIDs) must
 * NOT go through a string filter with ldapts: its parser turns `\c5` into the character U+00C5
 * and re-encodes it as UTF-8 (two bytes), so it never matches. Use an EqualityFilter with a
 * Buffer value instead (see samba-multi-dc.md §3e).
 */
export function escapeFilterValue(value: string): string {
    let out = "";
    for (const ch of value) {
        switch (ch) {
            case "*": out += "\\2a"; break;
            case "(": out += "\\28"; break;
            case ")": out += "\\29"; break;
            case "\\": out += "\\5c"; break;
            case "\0": out += "\\00"; break;
            default: out += ch;
        }
    }
    return out;
}

/** Trims whitespace around a DN part, but keeps a trailing space that is escaped (`\\ `). */
function trimDnPart(part: string): string {
    let end = part.length;
    while (end > 0 && /\s/.test(part[end - 1])) {
        let slashes = 0;
        for (let j = end - 2; j >= 0 && part[j] === "\\"; j--) slashes++;
        if (slashes % 2 === 1) break; // escaped: part of the value
        end--;
    }
    return part.slice(0, end).trimStart();
}

/** Splits a DN into its RDN strings at unescaped commas (escapes are kept as they are). */
export function splitDn(dn: string): string[] {
    const parts: string[] = [];
    let cur = "";
    for (let i = 0; i < dn.length; i++) {
        const ch = dn[i];
        if (ch === "\\" && i + 1 < dn.length) { cur += ch + dn[i + 1]; i++; continue; }
        if (ch === ",") { parts.push(trimDnPart(cur)); cur = ""; continue; }
        cur += ch;
    }
    if (cur.trim() !== "" || parts.length > 0) parts.push(trimDnPart(cur));
    return parts;
}

/** The DN one level up (`CN=a,CN=b,DC=x` → `CN=b,DC=x`); "" for a single RDN. */
export function parentDn(dn: string): string {
    return splitDn(dn).slice(1).join(",");
}

/** Attribute type and unescaped value of the first RDN (single-valued RDNs only, as AD uses). */
export function firstRdn(dn: string): { type: string; value: string } {
    const rdn = splitDn(dn)[0] ?? "";
    const eq = rdn.indexOf("=");
    if (eq <= 0) throw new Error(`not a DN: ${JSON.stringify(dn)}`);
    return { type: rdn.slice(0, eq).trim(), value: unescapeDnValue(trimDnPart(rdn.slice(eq + 1))) };
}

// Normalized DNs by their text. A read compares the same few dozen DNs (groups, the Kerberos
// objects) many times over, and normalizing is char-by-char work; the map is bounded.
const normalized = new Map<string, string>();
const MAX_NORMALIZED = 4096;

/** A DN in canonical form for comparisons: types and values lower-cased, escapes normalized. */
export function normalizeDn(dn: string): string {
    const known = normalized.get(dn);
    if (known !== undefined) return known;
    const result = computeNormalizedDn(dn);
    if (normalized.size >= MAX_NORMALIZED) normalized.clear(); // rare: start over rather than track age
    normalized.set(dn, result);
    return result;
}

function computeNormalizedDn(dn: string): string {
    return splitDn(dn).map((rdn) => {
        const eq = rdn.indexOf("=");
        if (eq <= 0) return rdn.toLowerCase();
        const type = rdn.slice(0, eq).trim().toLowerCase();
        return `${type}=${escapeDnValue(unescapeDnValue(trimDnPart(rdn.slice(eq + 1)))).toLowerCase()}`;
    }).join(",");
}

/** AD compares DNs case-insensitively; so do we. */
export function dnEquals(a: string, b: string): boolean {
    return normalizeDn(a) === normalizeDn(b);
}

/** Builds `CN=<escaped value>,<parent>`. */
export function childDn(rdnType: string, value: string, parent: string): string {
    return `${rdnType}=${escapeDnValue(value)},${parent}`;
}

/** True if the text looks like a DN (`X=...` with at least one RDN), not a name or SID. */
export function looksLikeDn(text: string): boolean {
    return /^[A-Za-z][A-Za-z0-9-]*=/.test(text.trim()) || /^\d+(\.\d+)+=/.test(text.trim());
}
