// URLs of the services a resource connects to. Parsed by hand before `new URL`, because the WHATWG
// parser is lenient in ways that matter here: it accepts user-info (a password that would then sit
// in Pulumi state), decodes percent-encoded hosts (https://%31%32%37.0.0.1 is 127.0.0.1),
// lower-cases schemes, maps non-ASCII hosts to punycode and, for schemes it does not know
// (ldap, ldaps), takes any "opaque" host at all.
import { isHost } from "./dns";
import { shown } from "./text";

export interface UrlRule {
    /** accepted schemes, lower case, without the colon: ["ldaps", "ldap"] */
    schemes: readonly string[];
    /** the shape to show in messages: "ldaps://host:636" */
    example: string;
    /** whether a path is meant (an API base path); never a query or fragment */
    path?: boolean;
}

export interface ParsedUrl {
    scheme: string;
    host: string;
    port?: number;
    path: string;
}

/** The URL inputs of this package: a DC, an HTTPS service with a base path (the lab publisher), an origin (Graph, the authority). */
export const URL_RULES = {
    ldap: { schemes: ["ldaps", "ldap"], example: "ldaps://host:636" },
    httpsWithPath: { schemes: ["https"], example: "https://host:port/path", path: true },
    // MSAL and the Graph SDK add their own paths to an origin
    httpsOrigin: { schemes: ["https"], example: "https://host[:port], an origin without a path" },
} satisfies Record<string, UrlRule>;

const SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/;
const AUTHORITY = /^(\[([^\]]+)\]|[^:[\]]*)(?::(\d{1,5}))?$/;
const PATH = /^(\/[A-Za-z0-9._~!$&'()*+,;=:@-]*)*$/;

/**
 * Why `v` is not a URL of the rule's shape, or undefined. The value is echoed only when it cannot
 * hold a credential: never when it has user-info, a query or a fragment, and only shortened.
 */
export function urlProblem(path: string, v: unknown, rule: UrlRule): string | undefined {
    const expected = `expected ${rule.example}`;
    if (typeof v !== "string" || v.trim() === "") return `${path} is required: a URL (${expected})`;
    const m = SHAPE.exec(v);
    // user-info first: nothing below may repeat a URL that carries a password
    if (m && m[2].includes("@") || !m && /^[^/?#]*\/\/[^/?#]*@/.test(v)) {
        return `${path} must not carry a user name or password (${expected}): give the account and a secret reference in their own inputs`;
    }
    const echo = shown(v, 120);
    if (!m) return `${path} ${echo} is not a URL (${expected})`;
    const [, scheme, authority, urlPath, query, fragment] = m;
    if (query !== undefined || fragment !== undefined) return `${path} must not have a query or fragment (${expected})`;
    if (!rule.schemes.includes(scheme)) {
        return `${path} ${echo} must use ${rule.schemes.map((s) => `${s}://`).join(" or ")}, in lower case (${expected})`;
    }
    const hp = AUTHORITY.exec(authority);
    const host = hp ? (hp[2] ?? hp[1]) : "";
    if (!hp || !(hp[2] !== undefined ? isHost(host) && host.includes(":") : isHost(host))) {
        return `${path} ${echo}: the host must be a DNS name (ASCII; an IDN in its xn-- form, no percent-encoding) or an IP address (${expected})`;
    }
    if (hp[3] !== undefined && !(Number(hp[3]) >= 1 && Number(hp[3]) <= 65535)) return `${path} ${echo}: the port must be 1-65535`;
    if (rule.path ? !PATH.test(urlPath) : urlPath !== "" && urlPath !== "/") {
        return rule.path ? `${path} ${echo}: the path may hold only plain characters (no percent-encoding)` : `${path} ${echo}: give scheme, host and port only, without a path (no base DN)`;
    }
    try { new URL(v); } catch { return `${path} ${echo} is not a URL (${expected})`; }
    return undefined;
}

/** The parts of a URL that passed urlProblem. */
export function parseUrl(v: string): ParsedUrl {
    const [, scheme, authority, urlPath] = SHAPE.exec(v)!;
    const hp = AUTHORITY.exec(authority)!;
    return { scheme, host: hp[2] ?? hp[1], port: hp[3] === undefined ? undefined : Number(hp[3]), path: urlPath };
}
