// `check` for AzureADKerberosServer: every input validated without any I/O, each failure naming
// the input path ("directory.urls[1]", "publisher.endpoint") and saying what to do. Values of
// secrets are never echoed: a password given as a value is reported as "a value", not repeated.
import { obviousPrivilegedGroup, privilegedGroupName } from "../ad/privileged-groups";
import { isSidString } from "../ad/sid";
import { looksLikeDn, splitDn } from "../ad/escape";
import { isSecretRef } from "../core/secrets";
import { checkGraphConnection, UNKNOWN_VALUE } from "../graph/check-connection";
import { DRIFT_INPUT, INPUT_KEYS, OWNER_INPUT } from "./model";

export interface CheckFailure {
    property: string;
    reason: string;
}

/** What Pulumi sends for a value that is not known yet during preview (an output of another resource). */
export const UNKNOWN = UNKNOWN_VALUE;

const DNS_NAME = /^(?=.{1,253}\.?$)(?!-)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.?$/i;
const MAX_AGE_DAYS_LIMIT = 3650;
/**
 * Entries per group list. One LDAP search resolves a whole list (an OR of exact matches), and the
 * PRP is evaluated with nesting: a longer list belongs in a group nested in one entry.
 */
export const MAX_GROUPS_PER_LIST = 256;
/**
 * What a group's name (its sAMAccountName) can never contain, by AD's naming rules. In an input
 * these are a typo or an attempt to smuggle LDAP filter or DN syntax into a lookup, so they are
 * refused here, before anything is sent (the lookups escape them anyway; this names the input).
 */
const NOT_IN_NAMES = /["/\\[\]:;|=,+*?<>]/;
/** An RDN: attribute type (name or OID) = a value that does not end in a lone escape. */
const RDN = /^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)\s*=\s*(\S.*)$/s;

class Failures {
    readonly list: CheckFailure[] = [];
    add(property: string, reason: string): void { this.list.push({ property, reason }); }
}

const isUnknown = (v: unknown) => v === UNKNOWN;
const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === "string" && v.trim().length > 0;

/** A secret must be a reference; a plain string is a secret that would be stored in state. */
function checkSecretRef(f: Failures, path: string, v: unknown, required: boolean): void {
    if (isUnknown(v)) return;
    if (v === undefined) {
        if (required) f.add(path, `${path} is required: a reference { env: "NAME" } or { config: "key" }`);
        return;
    }
    if (!isSecretRef(v)) {
        f.add(path, typeof v === "string"
            ? `${path} must be a reference { env: "NAME" } or { config: "key" }, never the secret itself (a value would be stored in Pulumi state)`
            : `${path} must be exactly one of { env: "NAME" } or { config: "key" } with a non-empty name`);
    }
}

function checkPem(f: Failures, path: string, v: unknown): void {
    if (v === undefined || isUnknown(v)) return;
    if (typeof v !== "string" || !/-----BEGIN CERTIFICATE-----/.test(v)) f.add(path, `${path} must be a PEM certificate (-----BEGIN CERTIFICATE-----)`);
}

function checkPositive(f: Failures, path: string, v: unknown, max?: number): void {
    if (v === undefined || isUnknown(v)) return;
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) f.add(path, `${path} must be a positive number, got ${JSON.stringify(v)}`);
    else if (max !== undefined && v > max) f.add(path, `${path} must be at most ${max}, got ${v}`);
}

function checkBoolean(f: Failures, path: string, v: unknown): void {
    if (v === undefined || isUnknown(v)) return;
    if (typeof v !== "boolean") f.add(path, `${path} must be true or false`);
}

function checkDomain(f: Failures, v: unknown): void {
    if (isUnknown(v)) return;
    if (!nonEmptyString(v)) { f.add("domain", "domain is required: the DNS name of the AD domain (e.g. corp.example.com)"); return; }
    if (!DNS_NAME.test(v.trim()) || v.trim() !== v) f.add("domain", `domain ${JSON.stringify(v)} is not a DNS domain name (e.g. corp.example.com)`);
}

function checkDirectory(f: Failures, d: unknown): void {
    if (isUnknown(d)) return;
    if (!isObject(d)) { f.add("directory", "directory is required: { urls, username, password, caCertificate? }"); return; }
    if (!isUnknown(d.urls)) {
        if (!Array.isArray(d.urls) || d.urls.length === 0) f.add("directory.urls", "directory.urls must list at least one ldaps:// URL");
        else d.urls.forEach((u: unknown, i: number) => checkLdapUrl(f, `directory.urls[${i}]`, u, d.allowPlainLdap === true));
    }
    if (!isUnknown(d.username) && !nonEmptyString(d.username)) f.add("directory.username", "directory.username is required: a UPN (admin@corp.example.com) or a DN");
    checkSecretRef(f, "directory.password", d.password, true);
    checkPem(f, "directory.caCertificate", d.caCertificate);
    if (d.tlsServerName !== undefined && !isUnknown(d.tlsServerName) && !nonEmptyString(d.tlsServerName)) f.add("directory.tlsServerName", "directory.tlsServerName must be a host name");
    checkBoolean(f, "directory.allowPlainLdap", d.allowPlainLdap);
    checkPositive(f, "directory.timeoutMs", d.timeoutMs);
}

function checkLdapUrl(f: Failures, path: string, url: unknown, allowPlain: boolean): void {
    if (isUnknown(url)) return;
    let u: URL;
    try { u = new URL(String(url)); } catch { f.add(path, `${path} ${JSON.stringify(url)} is not a URL (expected ldaps://host:636)`); return; }
    if (typeof url !== "string" || (u.protocol !== "ldaps:" && u.protocol !== "ldap:") || !u.hostname) {
        f.add(path, `${path} ${JSON.stringify(url)} must be an ldaps://host:port URL`);
    } else if ((u.pathname && u.pathname !== "/") || u.search) {
        f.add(path, `${path} ${url}: give scheme, host and port only (no base DN or query)`);
    } else if (u.protocol === "ldap:" && !allowPlain) {
        f.add(path, `${path} ${url} is plain LDAP: the bind password would cross the network unencrypted. Use ldaps://${u.hostname}:636, or set directory.allowPlainLdap = true to accept that risk`);
    }
}

function checkHttpsUrl(f: Failures, path: string, v: unknown): void {
    if (isUnknown(v)) return;
    if (!nonEmptyString(v)) { f.add(path, `${path} is required: an https:// URL`); return; }
    try {
        const u = new URL(v);
        if (u.protocol !== "https:") f.add(path, `${path} must use https, got ${JSON.stringify(v)}`);
    } catch { f.add(path, `${path} ${JSON.stringify(v)} is not a URL`); }
}

function checkPublisher(f: Failures, p: unknown, graph: unknown): void {
    if (isUnknown(p)) return;
    if (!isObject(p)) { f.add("publisher", 'publisher is required: { type: "powershell", ... } or { type: "lab", endpoint }'); return; }
    if (p.type === "lab") {
        checkHttpsUrl(f, "publisher.endpoint", p.endpoint);
        checkPem(f, "publisher.caCertificate", p.caCertificate);
        // The lab publisher is the lab's cloud side: like the module's -CloudCredential, it needs the
        // tenant's credential, which this resource takes from `graph`.
        if (graph === undefined) f.add("graph", 'graph is required with publisher.type "lab": the lab publisher authenticates with the cloud credential in graph.credential');
    } else if (p.type === "powershell") {
        if (!isUnknown(p.cloudUserPrincipalName) && !(nonEmptyString(p.cloudUserPrincipalName) && p.cloudUserPrincipalName.includes("@"))) {
            f.add("publisher.cloudUserPrincipalName", "publisher.cloudUserPrincipalName is required: the Entra account (UPN) that runs Set-AzureADKerberosServer");
        }
        checkSecretRef(f, "publisher.cloudPassword", p.cloudPassword, false);
        checkBoolean(f, "publisher.domainCredentialFromDirectory", p.domainCredentialFromDirectory);
        checkShell(f, p.shell);
    } else {
        f.add("publisher.type", `publisher.type must be "powershell" or "lab", got ${JSON.stringify(p.type)}`);
    }
}

function checkShell(f: Failures, s: unknown): void {
    if (s === undefined || isUnknown(s)) return;
    if (!isObject(s) || (s.type !== "local" && s.type !== "ssh")) { f.add("publisher.shell", 'publisher.shell must be { type: "local" } or { type: "ssh", host, user, privateKey }'); return; }
    if (s.type !== "ssh") return;
    if (!isUnknown(s.host) && !nonEmptyString(s.host)) f.add("publisher.shell.host", "publisher.shell.host is required for ssh");
    if (!isUnknown(s.user) && !nonEmptyString(s.user)) f.add("publisher.shell.user", "publisher.shell.user is required for ssh");
    checkSecretRef(f, "publisher.shell.privateKey", s.privateKey, true);
    if (s.port !== undefined && !isUnknown(s.port) && !(Number.isInteger(s.port) && s.port >= 1 && s.port <= 65535)) f.add("publisher.shell.port", "publisher.shell.port must be 1-65535");
}

function checkGraph(f: Failures, g: unknown): void {
    if (g === undefined) return; // optional here: it only adds the audit-log cross-check
    for (const x of checkGraphConnection(g)) f.add(x.property, x.reason);
}

/** Why a DN-shaped group input is not a usable DN of a domain, or undefined when it is. */
function dnProblem(dn: string): string | undefined {
    if (/\\$/.test(dn.replace(/\\\\/g, ""))) return "ends in an unfinished escape (\\)";
    const rdns = splitDn(dn.trim());
    const bad = rdns.find((r) => !RDN.test(r));
    if (bad !== undefined) return `has a malformed part ${JSON.stringify(bad)} (each part is type=value, commas in values escaped as \\,)`;
    if (!rdns.some((r) => /^DC\s*=/i.test(r))) return "names no domain (DC=...): give the group's full DN";
    return undefined;
}

function checkGroupList(f: Failures, name: "allowedGroups" | "deniedGroups", v: unknown, allowPrivileged: boolean): void {
    if (v === undefined || isUnknown(v)) return;
    if (!Array.isArray(v)) { f.add(name, `${name} must be a list of group names, DNs or SIDs`); return; }
    if (v.length > MAX_GROUPS_PER_LIST) {
        f.add(name, `${name} has ${v.length} entries; at most ${MAX_GROUPS_PER_LIST}: put the groups in one group and list that (the lists are evaluated with nesting)`);
        return;
    }
    v.forEach((g: unknown, i: number) => {
        const path = `${name}[${i}]`;
        if (isUnknown(g)) return;
        if (!nonEmptyString(g)) { f.add(path, `${path} must be a group name, DN or SID`); return; }
        if (/[\u0000-\u001f]/.test(g)) { f.add(path, `${path} contains control characters`); return; }
        if (g.trim().toUpperCase().startsWith("S-") && !isSidString(g.trim())) { f.add(path, `${path} ${JSON.stringify(g)} looks like a SID but is not one (S-1-5-21-…-RID)`); return; }
        if (!looksLikeDn(g) && !isSidString(g.trim()) && g.trim().length > 256) { f.add(path, `${path} is too long for a group name`); return; }
        const dn = looksLikeDn(g) ? dnProblem(g) : undefined;
        if (dn) { f.add(path, `${path} ${JSON.stringify(g)} looks like a DN but ${dn}`); return; }
        if (name === "allowedGroups" && !allowPrivileged) {
            const wk = obviousPrivilegedGroup(g);
            if (wk) {
                f.add(path, `${path} ${JSON.stringify(g)} is ${privilegedGroupName(wk)}, a privileged group: allowing it would let Entra ID issue ` +
                    "Kerberos tickets for domain administrators, so anyone who controls the tenant could take over the domain. " +
                    "Remove it (it stays on the deny list), or set allowPrivilegedGroups: true to accept that risk");
                return;
            }
        }
        if (!looksLikeDn(g) && !isSidString(g.trim()) && NOT_IN_NAMES.test(g)) {
            f.add(path, `${path} ${JSON.stringify(g)} is not a group name: a group's name (sAMAccountName) cannot contain " / \\ [ ] : ; | = , + * ? < >. ` +
                "Give the group's name as it is in Active Directory, or its DN or SID");
        }
    });
}

function checkKeyRotation(f: Failures, k: unknown): void {
    if (k === undefined || isUnknown(k)) return;
    if (!isObject(k)) { f.add("keyRotation", "keyRotation must be { maxAgeDays?, trigger?, force? }"); return; }
    checkPositive(f, "keyRotation.maxAgeDays", k.maxAgeDays, MAX_AGE_DAYS_LIMIT);
    if (k.trigger !== undefined && !isUnknown(k.trigger) && typeof k.trigger !== "string") f.add("keyRotation.trigger", "keyRotation.trigger must be a string (change it to rotate the key once)");
    checkBoolean(f, "keyRotation.force", k.force);
    for (const key of Object.keys(k)) if (!["maxAgeDays", "trigger", "force"].includes(key)) f.add(`keyRotation.${key}`, `keyRotation.${key} is not an input (maxAgeDays, trigger, force)`);
}

function checkTimeouts(f: Failures, t: unknown): void {
    if (t === undefined || isUnknown(t)) return;
    if (!isObject(t)) { f.add("timeouts", "timeouts must be { create?, read?, update?, delete? } in seconds"); return; }
    for (const [k, v] of Object.entries(t)) {
        if (!["create", "read", "update", "delete"].includes(k)) f.add(`timeouts.${k}`, `timeouts.${k} is not an operation (create, read, update, delete)`);
        else checkPositive(f, `timeouts.${k}`, v, 24 * 3600);
    }
}

/** Validates the inputs of one AzureADKerberosServer. No I/O. */
export function validateInputs(news: Record<string, any>): CheckFailure[] {
    const f = new Failures();
    for (const key of Object.keys(news)) {
        if (key === "__provider" || (INPUT_KEYS as readonly string[]).includes(key)) continue;
        f.add(key, `${key} is not an input of AzureADKerberosServer`);
    }
    checkDomain(f, news.domain);
    checkDirectory(f, news.directory);
    checkPublisher(f, news.publisher, news.graph);
    checkGraph(f, news.graph);
    checkBoolean(f, "allowPrivilegedGroups", news.allowPrivilegedGroups);
    checkGroupList(f, "allowedGroups", news.allowedGroups, news.allowPrivilegedGroups === true);
    checkGroupList(f, "deniedGroups", news.deniedGroups, true);
    checkKeyRotation(f, news.keyRotation);
    checkTimeouts(f, news.timeouts);
    const drift = news[DRIFT_INPUT];
    if (drift !== undefined && !isUnknown(drift) && !(Array.isArray(drift) && drift.every((x) => typeof x === "string"))) {
        f.add(DRIFT_INPUT, `${DRIFT_INPUT} is set by the AzureADKerberosServer class; do not set it`);
    }
    const owner = news[OWNER_INPUT];
    if (owner !== undefined && !isUnknown(owner) && !(typeof owner === "string" && owner.trim() !== "" && owner.length <= 1024)) {
        f.add(OWNER_INPUT, `${OWNER_INPUT} is set by the AzureADKerberosServer class (project/stack/name); do not set it`);
    }
    return f.list;
}
