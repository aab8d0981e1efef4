// Hostile values for property-based tests of `check` (fast-check arbitraries): for a string, a
// number or a list input, values a careless or malicious program might pass. Each generator is
// given the input's valid value, so mutations (homoglyphs, mixed case, a character removed from a
// GUID) stay close to what would pass. SECRET is planted wherever a secret could travel (a URL's
// user-info in a URL input, a plain value where a reference belongs, an unknown key, a reference
// nested where a plain value belongs): no error and no accepted input may ever contain it. In a
// name, a URL with user-info is only text, so there it carries a harmless token instead.
import fc from "fast-check";

export const SECRET = "Gen-S3cret-Value-5d1c9a";

const CONTROLS = ["\u0000", "\u0007", "\u0008", "\u001b[2J", "\r\n", "\t", "\u007f", "\u0085", "\u009b"];
const BIDI = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2069", "\u200f", "\u061c"];
const INVISIBLE = ["\u200b", "\u200d", "\ufeff", "\u2060", "\u00ad"];
const HOMOGLYPHS: Record<string, string> = { a: "а", c: "с", e: "е", o: "о", p: "р", x: "х", y: "у", i: "і", s: "ѕ", d: "ԁ", l: "ӏ", A: "А", B: "В", E: "Е", K: "К", M: "М", O: "О", T: "Т" };
const LDAP_META = ["*", "(", ")", "\\", "\\00", ",", "=", "+", "<", ">", "#", ";", "\"", "/", "*)(objectClass=*", ")(|(cn=*", "CN=Domain Admins,CN=Users,DC=corp,DC=lab,DC=test", "\\,", "\\"];
const WHITESPACE = ["", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "\u2028"];
const PERCENT = ["%00", "%0a", "%2e%2e%2f", "%40", "%3a", "%25", "%41%42", "%ZZ"];

/** Inserts `piece` at a generated position of `base`. */
const inserted = (base: string, pieces: readonly string[]) =>
    fc.tuple(fc.constantFrom(...pieces), fc.nat({ max: Math.max(0, base.length) })).map(([p, at]) => base.slice(0, at) + p + base.slice(at));

function homoglyphs(base: string): fc.Arbitrary<string> {
    const positions = [...base].map((ch, i) => (HOMOGLYPHS[ch] ? i : -1)).filter((i) => i >= 0);
    if (positions.length === 0) return fc.constant(`${base}а`);
    return fc.subarray(positions, { minLength: 1 }).map((ps) => [...base].map((ch, i) => (ps.includes(i) ? HOMOGLYPHS[ch] : ch)).join(""));
}

const mixedCase = (base: string) => fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length })
    .map((flips) => [...base].map((ch, i) => (flips[i] ? ch.toUpperCase() : ch.toLowerCase())).join(""));

/** A GUID with one character removed, added or replaced, or wrapped: GUID-like, not a GUID. */
const brokenGuid = fc.tuple(fc.uuid(), fc.constantFrom("drop", "add", "replace", "braces", "upper-g"), fc.nat({ max: 35 }))
    .map(([g, how, at]) => how === "drop" ? g.slice(0, at) + g.slice(at + 1)
        : how === "add" ? g.slice(0, at) + "a" + g.slice(at)
        : how === "replace" ? g.slice(0, at) + (g[at] === "-" ? "0" : "-") + g.slice(at + 1)
        : how === "braces" ? `{${g}}` : g.slice(0, 35) + "G");

/** URLs carrying credentials (`secret`) or tricks, on the loopback listener (host:port). */
function trickyUrls(host: string, port: number, SECRET: string): fc.Arbitrary<string> {
    return fc.constantFrom(
        `ldaps://Administrator:${SECRET}@${host}:${port}`, `ldaps://${SECRET}@${host}:${port}`, `https://app:${SECRET}@${host}:${port}`,
        `ldaps://${host}:${port}?password=${SECRET}`, `https://${host}:${port}/#${SECRET}`, `https://${host}:${port}/?token=${SECRET}`,
        `ldaps://Admin:${encodeURIComponent(SECRET)}%40x@${host}:${port}`, `LDAPS://${host}:${port}`, `ldaps://%31%32%37.0.0.1:${port}`,
        `ldaps://${host}:${port}/DC=corp,DC=lab,DC=test`, `ldaps://${host}:0`, `ldaps://${host}:99999`, `ldaps://dс1.corp.lab.test:${port}`,
        `ldaps://[${host}]:${port}`, `ldaps:/${host}:${port}`, `ldaps://${host}:${port}\u0000`, `file:///etc/passwd`, `javascript:alert(1)`,
        `ldap://${host}:${port}`, `https://${host}:${port}/lab/%2e%2e/x`, `https://${host}:${port}\\@evil.example`, `//${host}:${port}`,
    );
}

/** Values of the wrong type for any input, including secrets nested where plain values belong. */
export const wrongTypes: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, NaN, {}, [], [[]], { env: SECRET }, { env: { env: "X" } }, { config: { value: SECRET } },
        { value: SECRET, secret: true }, { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: SECRET }),
    fc.object({ maxDepth: 2, maxKeys: 3 }),
    fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
);

export interface HostileContext {
    /** the input's valid value (a string for string inputs) */
    base: unknown;
    host: string;
    port: number;
    /** what a URL's user-info carries: SECRET in a URL input, a harmless token elsewhere */
    secret: string;
}

/** Hostile strings near `base` and far from it. */
export function hostileString(c: HostileContext): fc.Arbitrary<unknown> {
    const base = typeof c.base === "string" ? c.base : "x";
    return fc.oneof(
        inserted(base, CONTROLS), inserted(base, BIDI), inserted(base, INVISIBLE), homoglyphs(base), mixedCase(base),
        inserted(base, LDAP_META), inserted(base, PERCENT), fc.constantFrom(...WHITESPACE), fc.constantFrom(...WHITESPACE).map((w) => w + base + w),
        fc.integer({ min: 254, max: 20_000 }).map((n) => base + "a".repeat(n)), brokenGuid, trickyUrls(c.host, c.port, c.secret),
        base.normalize("NFD") === base ? fc.constant(`${base}e\u0301`) : fc.constant(base.normalize("NFD")),
        fc.string({ unit: "binary", maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 40 }),
        wrongTypes,
    );
}

/** Hostile numbers: out of range, not finite, fractions, numbers in other clothes. */
export const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
    fc.double(), fc.integer({ min: -1e9, max: 1e12 }), fc.constantFrom(0, -0, -1, 0.5, 1e300, -1e300, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53 + 2, 65536),
    fc.constantFrom("1", "180", "0x10", "1e3", "", " 5"), wrongTypes,
);

/** Hostile lists: hostile entries, huge lengths, wrong element types, not a list at all. */
export function hostileList(c: HostileContext): fc.Arbitrary<unknown> {
    const entry = Array.isArray(c.base) && c.base.length > 0 ? c.base[0] : "x";
    return fc.oneof(
        fc.array(hostileString({ ...c, base: typeof entry === "string" ? entry : "x" }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 257, max: 5000 }).map((n) => Array.from({ length: n }, (_, i) => (typeof entry === "string" ? `${entry}${i}` : entry))),
        fc.integer({ min: 2, max: 5 }).map((n) => Array.from({ length: n }, () => entry)),
        fc.array(wrongTypes, { minLength: 1, maxLength: 3 }),
        fc.constantFrom("a,b", "", {}, 3, null, [null], [[entry]]),
    );
}

/** A secret where a reference belongs: plain, nested, or a reference whose "name" is the secret. */
export const hostileSecretRef: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom(SECRET, ` ${SECRET}`, { env: SECRET.replace(/-/g, " ") }, { env: `${SECRET}!` }, { config: `${SECRET} ` }, { env: "A", config: "b" },
        { env: "" }, { env: { env: "X" } }, { value: SECRET }, { env: "X", value: SECRET }, { secretValue: SECRET }, [{ env: "X" }], `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRET}\n-----END OPENSSH PRIVATE KEY-----\n`),
    wrongTypes,
);

/** An unknown key (a typo, or a place to hide a secret) with a secret as its value. */
export const unknownKey: fc.Arbitrary<[string, unknown]> = fc.tuple(
    fc.oneof(fc.constantFrom("password", "pasword", "secret", "bindPassword", "clientSecretValue", "Domain", "__proto__x", "constructor"), fc.string({ minLength: 1, maxLength: 12 })),
    fc.constantFrom<unknown>(SECRET, { env: SECRET }, [SECRET]),
);
