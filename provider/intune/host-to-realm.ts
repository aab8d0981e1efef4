// Kerberos host-to-realm mappings (docs/sources.md, Graph §2): validation for `check`, the canonical form
// that comparisons and the content hash use, and the ADMX-backed OMA-URI payload of
// ./Device/Vendor/MSFT/Policy/Config/ADMX_Kerberos/HostToRealm.
//
// The ADMX element is a list (id "hosttorealm") whose value *name* is the realm and whose *data* is
// the hosts and DNS suffixes separated by ";". An OMA-URI payload writes the list as name/data pairs
// separated by U+F000, spelled `&#xF000;` in the XML:
//   <enabled/><data id="hosttorealm" value="REALM1&#xF000;host1;.suffix1&#xF000;REALM2&#xF000;host2"/>
import { isUnknown } from "../core/unknown";
import { createHash } from "node:crypto";
import { hostOrSuffixProblem, realmProblem, unknownFields } from "../core/grammar";

export interface RealmMapping {
    realm: string;
    hosts: string[];
}

export interface MappingFailure {
    property: string;
    reason: string;
}

export const HOST_TO_REALM_OMA_URI = "./Device/Vendor/MSFT/Policy/Config/ADMX_Kerberos/HostToRealm";
export const ADMX_LIST_ID = "hosttorealm";
const SEPARATOR = "&#xF000;";
/** Realms, and hosts over all realms, per resource: the whole list is one setting value Windows reads at logon. */
const MAX_REALMS = 100;
const MAX_HOSTS = 1000;



/** `check` for `mappings`: at least one realm, valid realms and hosts, no host or realm listed twice. */
export function checkMappings(v: unknown, path = "mappings"): MappingFailure[] {
    const out: MappingFailure[] = [];
    const fail = (property: string, reason: string) => out.push({ property, reason });
    if (isUnknown(v)) return out;
    if (!Array.isArray(v) || v.length === 0) {
        fail(path, `${path} must list at least one { realm, hosts } entry, e.g. { realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }`);
        return out;
    }
    if (v.length > MAX_REALMS) { fail(path, `${path} has ${v.length} entries; at most ${MAX_REALMS}`); return out; }
    // any: the unchecked `mappings` input, validated here entry by entry
    const total = v.reduce((n: number, m: any) => n + (Array.isArray(m?.hosts) ? m.hosts.length : 0), 0);
    if (total > MAX_HOSTS) { fail(path, `${path} lists ${total} hosts in all; at most ${MAX_HOSTS}`); return out; }
    const realms = new Map<string, string>(); // realm -> where
    const hosts = new Map<string, { where: string; realm: string }>(); // lower-case host -> first place
    v.forEach((m: any, i: number) => {
        const at = `${path}[${i}]`;
        if (isUnknown(m)) return;
        if (typeof m !== "object" || m === null || Array.isArray(m)) { fail(at, `${at} must be { realm, hosts }`); return; }
        out.push(...unknownFields(at, m, ["realm", "hosts"], "a mapping field"));
        let realm: string | undefined;
        if (!isUnknown(m.realm)) {
            if (typeof m.realm !== "string") fail(`${at}.realm`, `${at}.realm is required: the Kerberos realm, e.g. KERBEROS.MICROSOFTONLINE.COM`);
            else {
                const p = realmProblem(m.realm);
                if (p) fail(`${at}.realm`, `${at}.realm ${JSON.stringify(m.realm)} ${p}`);
                else if (realms.has(m.realm)) fail(`${at}.realm`, `${at}.realm ${m.realm} is already used by ${realms.get(m.realm)}; list all of its hosts in one entry`);
                else { realms.set(m.realm, at); realm = m.realm; }
            }
        }
        if (isUnknown(m.hosts)) return;
        if (!Array.isArray(m.hosts) || m.hosts.length === 0) {
            fail(`${at}.hosts`, `${at}.hosts must list at least one host name or DNS suffix (".file.core.windows.net")`);
            return;
        }
        m.hosts.forEach((h: unknown, j: number) => {
            const hp = `${at}.hosts[${j}]`;
            if (isUnknown(h)) return;
            if (typeof h !== "string") { fail(hp, `${hp} must be a host name or a DNS suffix starting with a dot`); return; }
            const p = hostOrSuffixProblem(h);
            if (p) { fail(hp, `${hp} ${JSON.stringify(h)} ${p}`); return; }
            const key = h.toLowerCase();
            const first = hosts.get(key);
            if (first) {
                fail(hp, first.realm === (realm ?? m.realm)
                    ? `${hp} ${JSON.stringify(h)} is listed twice for ${first.realm} (also ${first.where})`
                    : `${hp} ${JSON.stringify(h)} is already mapped to ${first.realm} (${first.where}); a host can map to one realm only`);
                return;
            }
            hosts.set(key, { where: hp, realm: String(realm ?? m.realm) });
        });
    });
    return out;
}

/** Realms sorted, hosts lower-cased and sorted: the order users write them in does not matter. */
export function canonicalMappings(mappings: readonly RealmMapping[]): RealmMapping[] {
    return mappings
        .map((m) => ({ realm: m.realm, hosts: [...new Set(m.hosts.map((h) => h.toLowerCase()))].sort() }))
        .sort((a, b) => (a.realm < b.realm ? -1 : a.realm > b.realm ? 1 : 0));
}

export function sameMappings(a: readonly RealmMapping[], b: readonly RealmMapping[]): boolean {
    return JSON.stringify(canonicalMappings(a)) === JSON.stringify(canonicalMappings(b));
}

/** The ADMX `data` value: REALM&#xF000;hosts;...&#xF000;REALM2&#xF000;hosts... (canonical order). */
export function admxListValue(mappings: readonly RealmMapping[]): string {
    return canonicalMappings(mappings).map((m) => `${m.realm}${SEPARATOR}${m.hosts.join(";")}`).join(SEPARATOR);
}

/** The OMA-URI string payload. Inputs are validated to DNS characters, so nothing needs XML escaping. */
export function encodeHostToRealm(mappings: readonly RealmMapping[]): string {
    const value = admxListValue(mappings);
    if (/[<>"'&]/.test(value.split(SEPARATOR).join(""))) throw new Error("host-to-realm mappings contain XML characters; they must be validated first");
    return `<enabled/><data id="${ADMX_LIST_ID}" value="${value}"/>`;
}

/** Parses a payload written by encodeHostToRealm (tests, and a plain-text read where one is possible). */
export function decodeHostToRealm(payload: string): RealmMapping[] | undefined {
    const m = new RegExp(`^<enabled/><data id="${ADMX_LIST_ID}" value="([^"]*)"/>$`).exec(payload.trim());
    if (!m) return undefined;
    const parts = m[1] === "" ? [] : m[1].split(SEPARATOR);
    if (parts.length % 2 !== 0) return undefined;
    const out: RealmMapping[] = [];
    for (let i = 0; i < parts.length; i += 2) out.push({ realm: parts[i], hosts: parts[i + 1].split(";").filter((h) => h !== "") });
    return out;
}

/** sha256 (hex) of the canonical payload: what the profile description carries, since Graph masks the value on read. */
export function mappingsHash(mappings: readonly RealmMapping[]): string {
    return createHash("sha256").update(encodeHostToRealm(mappings), "utf8").digest("hex");
}
