// LDAP distinguished names (RFC 4514) as inputs: each part type=value, commas and other specials in
// a value escaped, and a DN of a domain (it names DC=... parts).
import { looksLikeDn, splitDn } from "../../ad/escape";
import { shown } from "./text";

/** An RDN: attribute type (name or OID) = a value that does not end in a lone escape. */
const RDN = /^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)\s*=\s*(\S.*)$/s;

export { looksLikeDn };

/** Why a DN-shaped input is not a usable DN of a domain, or undefined when it is. */
export function dnProblem(dn: string): string | undefined {
    if (/\\$/.test(dn.replace(/\\\\/g, ""))) return "ends in an unfinished escape (\\)";
    const rdns = splitDn(dn.trim());
    const bad = rdns.find((r) => !RDN.test(r));
    if (bad !== undefined) return `has a malformed part ${shown(bad)} (each part is type=value, commas in values escaped as \\,)`;
    if (!rdns.some((r) => /^DC\s*=/i.test(r))) return "names no domain (DC=...): give the full DN";
    return undefined;
}
