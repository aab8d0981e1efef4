// Object ids and account names.
import { isDnsName } from "./dns";
import { displayNameProblem, shown, type DisplayNameRule } from "./text";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 5322 "atext" plus dots: what Entra accepts in a UPN's local part. The apostrophe is allowed
// (O'Brien@contoso.com is a real UPN), and so is '#' (guests: alice_contoso.com#EXT#@tenant...).
const UPN_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,113}$/;
/** What a down-level logon name (DOMAIN\user) or ssh's -l takes: no spaces, nothing ssh reads as an option. */
const ACCOUNT = /^(?!-)[A-Za-z0-9_.@\\$-]{1,256}$/;

export const isGuid = (s: unknown): s is string => typeof s === "string" && GUID.test(s);

/**
 * Hex digits and dashes that do not form a GUID: a typo'd id, not a display name. A lookup by name
 * for it would find nothing (or, worse, an object someone named so), so it is refused outright.
 * Also caught: a GUID in braces or with a stray character at either end.
 */
export function looksLikeBrokenGuid(s: string): boolean {
    if (GUID.test(s)) return false;
    const core = s.trim().replace(/^[{(]|[})]$/g, "");
    return /^[0-9a-f-]{30,40}$/i.test(core) && /-/.test(core);
}

/** The message for a broken GUID: the field, what it is not, and the shape it must have. */
export const brokenGuidReason = (path: string, v: string): string =>
    `${path} ${shown(v)} looks like an id but is not a GUID (8-4-4-4-12 hex digits); an id is never looked up as a name`;

/**
 * An object id or an exact display name (what Graph lookups take): a display name's rules, and a
 * value shaped like a GUID must be one. Looked up as a name, a broken GUID would cost a token and
 * directory reads only to find nothing, or an object someone named so.
 */
export function nameOrIdProblem(path: string, v: unknown, rule: DisplayNameRule): string | undefined {
    return displayNameProblem(path, v, rule) ?? (looksLikeBrokenGuid(v as string) ? brokenGuidReason(path, v as string) : undefined);
}

/** A user principal name user@domain, ASCII only (what Entra and the PowerShell module accept). */
export function isUpn(s: string): boolean {
    const at = s.lastIndexOf("@");
    if (at <= 0) return false;
    const local = s.slice(0, at);
    return UPN_LOCAL.test(local) && !local.startsWith(".") && !local.endsWith(".") && !local.includes("..")
        && isDnsName(s.slice(at + 1), { minLabels: 2 });
}

/** An account as ssh's -l or a down-level logon takes it: "user", "DOMAIN\\user", "user@domain", "svc$". */
export const isAccountName = (s: string): boolean => ACCOUNT.test(s);
