// DNS names, hosts and Kerberos realms. ASCII only: an internationalised name is given in its
// xn-- form, so a homoglyph (a Cyrillic "а" for a Latin "a") can never pass for a known host.
import { isIPv4, isIPv6 } from "node:net";
import { shown } from "./text";

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const REALM = /^(?=.{1,255}$)[A-Z0-9]([A-Z0-9-]*[A-Z0-9])?(\.[A-Z0-9]([A-Z0-9-]*[A-Z0-9])?)*$/;

export const isDnsLabel = (s: string): boolean => LABEL.test(s);

/**
 * A DNS name of ASCII labels (letters, digits, inner hyphens; 1-63 each, 253 in all). `minLabels`
 * 2 asks for a domain (corp.example.com) rather than a single host label; a trailing dot (the
 * root) is allowed only where `trailingDot` says so.
 */
export function isDnsName(s: string, opts: { minLabels?: number; trailingDot?: boolean } = {}): boolean {
    const name = opts.trailingDot && s.endsWith(".") ? s.slice(0, -1) : s;
    if (name.length === 0 || name.length > 253) return false;
    const labels = name.split(".");
    return labels.length >= (opts.minLabels ?? 1) && labels.every(isDnsLabel);
}

/** A host as a connection names it: a DNS name, an IPv4 address or an IPv6 address (unbracketed, zone id allowed). */
export function isHost(s: string): boolean {
    return isIPv4(s) || isIPv6(s) || (isDnsName(s) && !/^[\d.]+$/.test(s));
}

/** Why a value is not a DNS domain name (for the `domain` of an AD domain), or undefined. */
export function domainNameProblem(path: string, v: unknown): string | undefined {
    if (typeof v !== "string" || v.trim() === "") return `${path} is required: the DNS name of the AD domain (e.g. corp.example.com)`;
    if (v.trim() !== v || !isDnsName(v, { minLabels: 2, trailingDot: true })) {
        return `${path} ${shown(v)} is not a DNS domain name (e.g. corp.example.com; ASCII labels, an IDN in its xn-- form)`;
    }
    return undefined;
}

/** A host name (host.example.com) or a DNS suffix (.example.com); undefined when valid, else why not. */
export function hostOrSuffixProblem(host: string): string | undefined {
    if (host.trim() !== host || host === "") return "must not be empty or carry spaces";
    if (host.startsWith("*")) return `is a wildcard; write the DNS suffix with a leading dot instead (${host.replace(/^\*+/, "")})`;
    const name = host.startsWith(".") ? host.slice(1) : host;
    if (!isDnsName(name)) return "is not a DNS host name (host.example.com) or a DNS suffix starting with a dot (.example.com)";
    return undefined;
}

/** A Kerberos realm: an upper-case DNS-style name. Undefined when valid, else why not. */
export function realmProblem(realm: string): string | undefined {
    if (realm !== realm.toUpperCase()) return `must be upper case (${realm.toUpperCase()}); Kerberos realms are case-sensitive and Windows expects them upper case`;
    if (!REALM.test(realm)) return "is not a Kerberos realm (upper-case DNS-style name such as KERBEROS.MICROSOFTONLINE.COM)";
    return undefined;
}

/** A host a connection or a TLS certificate names: a DNS name or an IP address. */
export function hostProblem(path: string, v: unknown): string | undefined {
    if (typeof v !== "string" || !isHost(v)) return `${path} must be a host name (ASCII DNS name) or an IP address`;
    return undefined;
}
