// Display names and free text. A name travels to Intune, Entra or AD and comes back in every
// preview: characters that cannot be seen (controls, bidi overrides, zero-width) would make two
// different names look alike in a review, or rewrite a terminal; a name that is not in Unicode
// NFC may be stored normalised and read back as a rename.

/** C0 and C1 controls and DEL. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, with the line breaks and tabs free text may hold. */
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** Bidi embeddings, overrides and isolates, and the marks that steer them (Trojan Source). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Zero-width and other invisible characters. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]/;
/** A UTF-16 surrogate without its other half: not text, and JSON round trips mangle it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** How a value appears in a message: quoted, escaped, and cut short so a long value cannot flood it. */
export function shown(v: string, max = 80): string {
    return JSON.stringify(v.length > max ? `${v.slice(0, max)}…` : v);
}

/**
 * A value of any type as a message shows it: a string shortened, a number or boolean as written,
 * anything else by its type only (an object may be a secret reference, or a secret inside one).
 */
export function described(v: unknown): string {
    if (typeof v === "string") return shown(v);
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return Array.isArray(v) ? "a list" : v === null ? "null" : `a value of type ${typeof v}`;
}

/** What is wrong with the characters of a text, or undefined. Shared by names and free text. */
export function characterProblem(v: string, opts: { lineBreaks?: boolean } = {}): string | undefined {
    if ((opts.lineBreaks ? CONTROL_IN_TEXT : CONTROL).test(v)) return "contains control characters";
    if (BIDI.test(v)) return "contains bidirectional override characters (they make text display in a different order than it is stored)";
    if (INVISIBLE.test(v)) return "contains invisible (zero-width) characters";
    if (LONE_SURROGATE.test(v)) return "is not valid Unicode text (a lone surrogate)";
    if (v.normalize("NFC") !== v) return "is not in Unicode normal form C (a composed form of the same text would be stored); write it composed";
    return undefined;
}

/**
 * A display name: a non-empty string of at most `max` characters, no leading or trailing spaces,
 * and no controls, bidi overrides or invisible characters. `what` says what names it ("the
 * profile's name in Intune").
 */
export interface DisplayNameRule {
    max: number;
    what: string;
    /** the reason for leading or trailing spaces, when the service has its own (Intune trims them) */
    spaces?: string;
}

export function displayNameProblem(path: string, v: unknown, opts: DisplayNameRule): string | undefined {
    if (typeof v !== "string" || v.trim() === "") return `${path} is required: ${opts.what}`;
    const chars = characterProblem(v);
    if (chars) return `${path} ${chars}`;
    if (v.trim() !== v) return `${path} ${shown(v)} ${opts.spaces ?? "must not start or end with spaces"}`;
    if (v.length > opts.max) return `${path} is ${v.length} characters long; at most ${opts.max}`;
    return undefined;
}

/** Free text (a description): line breaks and tabs allowed, nothing invisible or steering. */
export function freeTextProblem(path: string, v: unknown, max: number): string | undefined {
    if (typeof v !== "string") return `${path} must be a string`;
    const chars = characterProblem(v, { lineBreaks: true });
    if (chars) return `${path} ${chars}`;
    if (v.length > max) return `${path} is ${v.length} characters long; at most ${max}`;
    return undefined;
}
