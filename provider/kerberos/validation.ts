// `check` for AzureADKerberosServer: every input validated without any I/O, each failure naming
// the input path ("directory.urls[1]", "publisher.endpoint") and saying what to do. Values of
// secrets are never echoed: a password given as a value is reported as "a value", not repeated.
import { isUnknown } from "../core/unknown";
import { obviousPrivilegedGroup, privilegedGroupName } from "../ad/privileged-groups";
import { isSidString } from "../ad/sid";
import {
    characterProblem, described, dnProblem, domainNameProblem, freeTextProblem, hostProblem, isAccountName, isUpn, looksLikeDn, numberProblem, parseUrl, pemCertificateProblem,
    secretRefProblem, shown, unknownFields, unknownInput, URL_RULES, urlProblem, type NumberRule,
} from "../core/grammar";
import { checkGraphConnection } from "../graph/check-connection";
import { UNKNOWN_VALUE } from "../core/unknown";
import { HOST_COMMANDS, PWSH_HOST_WARNING } from "../publisher/powershell-publisher";
import { MODULE_ENDPOINTS } from "../publisher/powershell-script";
import { parseHostKeys } from "../publisher/powershell-ssh";
import { DRIFT_INPUT, INPUT_KEYS, OWNER_INPUT } from "./model";

export interface CheckFailure {
    property: string;
    reason: string;
}

/** What Pulumi sends for a value that is not known yet during preview (an output of another resource). */
export const UNKNOWN = UNKNOWN_VALUE;

const MAX_AGE_DAYS_LIMIT = 3650;
/** An LDAP operation's timeout: a day at most (a timer beyond 2^31 ms would fire at once). */
const MAX_TIMEOUT_MS = 24 * 3600 * 1000;
/**
 * Entries per group list. One LDAP search resolves a whole list (an OR of exact matches), and the
 * PRP is evaluated with nesting: a longer list belongs in a group nested in one entry.
 */
export const MAX_GROUPS_PER_LIST = 256;
/** A rotation trigger is a label ("2026-Q4"), stored in state and compared on every diff. */
const MAX_TRIGGER_LENGTH = 1024;
/** Longest DN accepted in a list: longer is no group's DN. */
const MAX_DN_LENGTH = 2048;
/** DCs of one domain, tried in order: more is a mistake (or a list from elsewhere). */
const MAX_DIRECTORY_URLS = 32;
/**
 * What a group's name (its sAMAccountName) can never contain, by AD's naming rules. In an input
 * these are a typo or an attempt to smuggle LDAP filter or DN syntax into a lookup, so they are
 * refused here, before anything is sent (the lookups escape them anyway; this names the input).
 */
const NOT_IN_NAMES = /["/\\[\]:;|=,+*?<>]/;

/** The fields of each object input: anything else is a typo, or a value (a secret?) stored in state unread. */
const DIRECTORY_KEYS = ["urls", "username", "password", "caCertificate", "tlsServerName", "allowPlainLdap", "timeoutMs"];
const PUBLISHER_KEYS: Record<string, string[]> = {
    lab: ["type", "endpoint", "caCertificate"],
    // cloudPassword: the input signIn replaced; listed so that its own message (checkSignIn) is the only one
    powershell: ["type", "shell", "host", "cloudUserPrincipalName", "signIn", "cloudPassword", "domainCredential", "cloud"],
};
const SHELL_KEYS: Record<string, string[]> = { local: ["type"], ssh: ["type", "host", "user", "privateKey", "port", "hostKey"] };
const POWERSHELL_HOSTS = Object.keys(HOST_COMMANDS);

/** Where check runs; the provider's own platform unless a test says otherwise. */
export interface CheckEnvironment {
    platform: NodeJS.Platform;
}

class Failures {
    readonly list: CheckFailure[] = [];
    add(property: string, reason: string): void { this.list.push({ property, reason }); }
    /** Adds a grammar rule's verdict, if it has one. */
    rule(property: string, reason: string | undefined): void { if (reason) this.add(property, reason); }
    /** Refuses fields an object input does not have. */
    knownKeys(path: string, o: Record<string, unknown>, keys: readonly string[], noun = `a field of ${path}`): void {
        this.list.push(...unknownFields(path, o, keys, noun));
    }
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === "string" && v.trim().length > 0;

function checkSecretRef(f: Failures, path: string, v: unknown, required: boolean): void {
    if (!isUnknown(v)) f.rule(path, secretRefProblem(path, v, required));
}

function checkPem(f: Failures, path: string, v: unknown): void {
    if (v === undefined || isUnknown(v)) return;
    f.rule(path, pemCertificateProblem(path, v));
}

function checkNumber(f: Failures, path: string, v: unknown, rule: NumberRule): void {
    if (v !== undefined && !isUnknown(v)) f.rule(path, numberProblem(path, v, rule));
}

function checkBoolean(f: Failures, path: string, v: unknown): void {
    if (v === undefined || isUnknown(v)) return;
    if (typeof v !== "boolean") f.add(path, `${path} must be true or false`);
}

function checkDomain(f: Failures, v: unknown): void {
    if (!isUnknown(v)) f.rule("domain", domainNameProblem("domain", v));
}

/** A bind name: a UPN (admin@corp.example.com), a DN, or a down-level logon name (CORP\\admin). */
function usernameProblem(path: string, v: unknown): string | undefined {
    const expected = "a UPN (admin@corp.example.com), a DN or DOMAIN\\name";
    if (!nonEmptyString(v)) return `${path} is required: ${expected}`;
    const chars = characterProblem(v);
    if (chars) return `${path} ${chars}`;
    if (looksLikeDn(v)) { const dn = dnProblem(v); return dn ? `${path} looks like a DN but ${dn}` : undefined; }
    if (isUpn(v) || (/^[^\\]+\\[^\\]+$/.test(v) && isAccountName(v))) return undefined;
    return `${path} ${shown(v)} is not ${expected}`;
}

function checkDirectory(f: Failures, d: unknown): void {
    if (isUnknown(d)) return;
    if (!isObject(d)) { f.add("directory", "directory is required: { urls, username, password, caCertificate? }"); return; }
    f.knownKeys("directory", d, DIRECTORY_KEYS);
    if (!isUnknown(d.urls)) {
        if (!Array.isArray(d.urls) || d.urls.length === 0) f.add("directory.urls", "directory.urls must list at least one ldaps:// URL");
        else if (d.urls.length > MAX_DIRECTORY_URLS) f.add("directory.urls", `directory.urls has ${d.urls.length} entries; at most ${MAX_DIRECTORY_URLS} (the DCs of one domain, tried in order)`);
        else d.urls.forEach((u: unknown, i: number) => checkLdapUrl(f, `directory.urls[${i}]`, u, d.allowPlainLdap === true));
    }
    if (!isUnknown(d.username)) f.rule("directory.username", usernameProblem("directory.username", d.username));
    checkSecretRef(f, "directory.password", d.password, true);
    checkPem(f, "directory.caCertificate", d.caCertificate);
    if (d.tlsServerName !== undefined && !isUnknown(d.tlsServerName)) f.rule("directory.tlsServerName", hostProblem("directory.tlsServerName", d.tlsServerName));
    checkBoolean(f, "directory.allowPlainLdap", d.allowPlainLdap);
    checkNumber(f, "directory.timeoutMs", d.timeoutMs, { max: MAX_TIMEOUT_MS, unit: "ms" });
}

function checkLdapUrl(f: Failures, path: string, url: unknown, allowPlain: boolean): void {
    if (isUnknown(url)) return;
    const problem = urlProblem(path, url, URL_RULES.ldap);
    if (problem) { f.add(path, problem); return; }
    const u = parseUrl(url as string);
    if (u.scheme === "ldap" && !allowPlain) {
        f.add(path, `${path} ${shown(url as string)} is plain LDAP: the bind password would cross the network unencrypted. Use ldaps://${u.host}:636, or set directory.allowPlainLdap = true to accept that risk`);
    }
}

function checkPublisher(f: Failures, p: unknown, graph: unknown, directory: unknown, env: CheckEnvironment): void {
    if (isUnknown(p)) return;
    if (!isObject(p)) { f.add("publisher", 'publisher is required: { type: "powershell", ... } or { type: "lab", endpoint }'); return; }
    if (p.type === "lab") {
        f.knownKeys("publisher", p, PUBLISHER_KEYS.lab);
        if (!isUnknown(p.endpoint)) f.rule("publisher.endpoint", urlProblem("publisher.endpoint", p.endpoint, URL_RULES.httpsWithPath));
        checkPem(f, "publisher.caCertificate", p.caCertificate);
        // The lab publisher is the lab's cloud side: like the module's -CloudCredential, it needs the
        // tenant's credential, which this resource takes from `graph`.
        if (graph === undefined) f.add("graph", 'graph is required with publisher.type "lab": the lab publisher authenticates with the cloud credential in graph.credential');
    } else if (p.type === "powershell") {
        f.knownKeys("publisher", p, PUBLISHER_KEYS.powershell);
        if (!isUnknown(p.cloudUserPrincipalName) && !(typeof p.cloudUserPrincipalName === "string" && isUpn(p.cloudUserPrincipalName))) {
            f.add("publisher.cloudUserPrincipalName", "publisher.cloudUserPrincipalName is required: the Entra account (UPN, user@domain in ASCII) that runs Set-AzureADKerberosServer");
        }
        checkSignIn(f, p);
        if (p.host !== undefined && !isUnknown(p.host) && !POWERSHELL_HOSTS.includes(p.host)) {
            f.add("publisher.host", `publisher.host must be "windowsPowerShell" (Windows PowerShell 5.1, the default) or "pwsh" (PowerShell 7), got ${described(p.host)}`);
        }
        if (p.cloud !== undefined && !isUnknown(p.cloud) && !(p.cloud in MODULE_ENDPOINTS)) {
            f.add("publisher.cloud", `publisher.cloud must be one of ${Object.keys(MODULE_ENDPOINTS).map((c) => `"${c}"`).join(", ")} (the Entra cloud the module publishes to), got ${described(p.cloud)}`);
        }
        checkModuleCredential(f, p.domainCredential, directory);
        // deferred: the provider never starts PowerShell, so where it would run is not checked against this platform
        checkShell(f, p.shell, isObject(p.signIn) && p.signIn.mode === "deferred" ? { platform: "win32" } : env);
    } else {
        f.add("publisher.type", `publisher.type must be "powershell" or "lab", got ${described(p.type)}`);
    }
}

const SIGN_IN_KEYS: Record<string, string[]> = { password: ["mode", "password", "accountExcludedFromMfa"], deferred: ["mode"] };
const SIGN_IN_SHAPES = '{ mode: "password", password: <SecretRef>, accountExcludedFromMfa: true } or { mode: "deferred" }';

/** publisher.signIn; and the old publisher.cloudPassword, refused with what replaces it rather than given a new meaning. */
function checkSignIn(f: Failures, p: Record<string, any>): void {
    if (p.cloudPassword !== undefined) {
        f.add("publisher.cloudPassword", "publisher.cloudPassword is no longer read: a password sign-in cannot satisfy MFA, so it now needs an explicit statement. " +
            "If this account is excluded from MFA, use publisher.signIn: { mode: \"password\", password: <the same SecretRef>, accountExcludedFromMfa: true }; " +
            "otherwise publisher.signIn: { mode: \"deferred\" } and publish by hand (docs/operations.md)");
    }
    const s = p.signIn;
    if (isUnknown(s)) return;
    if (!isObject(s) || !(typeof s.mode === "string" && s.mode in SIGN_IN_KEYS)) {
        f.add("publisher.signIn", `publisher.signIn is required: ${SIGN_IN_SHAPES}${isObject(s) ? `, got mode ${described(s.mode)}` : ""}`);
        return;
    }
    f.knownKeys("publisher.signIn", s, SIGN_IN_KEYS[s.mode]);
    if (s.mode !== "password") return;
    checkSecretRef(f, "publisher.signIn.password", s.password, true);
    if (!isUnknown(s.accountExcludedFromMfa) && s.accountExcludedFromMfa !== true) {
        f.add("publisher.signIn.accountExcludedFromMfa", "publisher.signIn.accountExcludedFromMfa must be true with mode \"password\": the module's password sign-in (-CloudCredential) fails for an account that must do MFA, " +
            "so this mode is only for an account excluded from MFA (a cloud-only Hybrid Identity Administrator, PIM-activated just in time, Conditional Access scoped to the runner: docs/operations.md). " +
            "Without such an account use { mode: \"deferred\" }");
    }
}

/**
 * The module's -DomainCredential: publisher.domainCredential, or else the directory account. Either
 * way a UPN: Microsoft's docs say DOMAIN\\user falls back to NTLM and fails, and a DN is no logon name.
 */
function checkModuleCredential(f: Failures, c: unknown, directory: unknown): void {
    if (isUnknown(c)) return;
    if (c === undefined) {
        const u = isObject(directory) ? directory.username : undefined;
        if (typeof u === "string" && !isUpn(u)) {
            f.add("publisher.domainCredential", `publisher.domainCredential is required when directory.username is not in UPN form: the module signs in to the DCs with a UPN (user@domain), and directory.username ${shown(u)} is not one`);
        }
        return;
    }
    if (!isObject(c)) { f.add("publisher.domainCredential", "publisher.domainCredential must be { username, password }: a Domain Admin of the domain, in UPN form"); return; }
    f.knownKeys("publisher.domainCredential", c, ["username", "password"]);
    if (!isUnknown(c.username) && !(typeof c.username === "string" && isUpn(c.username))) {
        f.add("publisher.domainCredential.username", "publisher.domainCredential.username must be a UPN (admin@corp.example.com): the module's NTLM fallback for DOMAIN\\name fails, and a DN is not a logon name");
    }
    checkSecretRef(f, "publisher.domainCredential.password", c.password, true);
}

function checkShell(f: Failures, s: unknown, env: CheckEnvironment): void {
    if (isUnknown(s)) return;
    if (s !== undefined && (!isObject(s) || (s.type !== "local" && s.type !== "ssh"))) { f.add("publisher.shell", 'publisher.shell must be { type: "local" } or { type: "ssh", host, user, privateKey, hostKey? }'); return; }
    if (s === undefined || s.type === "local") {
        // the module is a Windows binary module (Microsoft.Online.PasswordSynchronization.Rpc.dll)
        if (env.platform !== "win32") {
            f.add("publisher.shell", `publisher.shell is { type: "local" }${s === undefined ? " (the default)" : ""}, but this provider runs on ${env.platform}: ` +
                'the module runs only on Windows. Run pulumi on the Windows host, or use { type: "ssh", host, user, privateKey, hostKey } to reach one');
        }
        if (s !== undefined) f.knownKeys("publisher.shell", s, SHELL_KEYS.local);
        return;
    }
    f.knownKeys("publisher.shell", s, SHELL_KEYS.ssh);
    if (!isUnknown(s.host)) f.rule("publisher.shell.host", hostProblem("publisher.shell.host", s.host));
    if (!isUnknown(s.user) && !(typeof s.user === "string" && isAccountName(s.user))) {
        f.add("publisher.shell.user", "publisher.shell.user is required for ssh: an account name (letters, digits, . _ - @ \\ $)");
    }
    checkSecretRef(f, "publisher.shell.privateKey", s.privateKey, true);
    checkNumber(f, "publisher.shell.port", s.port, { min: 1, max: 65535, integer: true });
    if (s.hostKey !== undefined && !isUnknown(s.hostKey)) {
        try {
            if (typeof s.hostKey !== "string") throw new Error("it must be a string");
            parseHostKeys(s.hostKey);
        } catch (e) {
            f.add("publisher.shell.hostKey", `publisher.shell.hostKey (the Windows host's public key, a known_hosts line or "<type> <base64>"): ${(e as Error).message}`);
        }
    }
}

/** What check cannot refuse but the user should see (the resource's check prints them). */
export function inputWarnings(news: Record<string, any>): string[] {
    const p = news?.publisher;
    return isObject(p) && p.type === "powershell" && p.host === "pwsh" ? [PWSH_HOST_WARNING] : [];
}

function checkGraph(f: Failures, g: unknown): void {
    if (g === undefined) return; // optional here: it only adds the audit-log cross-check
    for (const x of checkGraphConnection(g)) f.add(x.property, x.reason);
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
        const chars = characterProblem(g);
        if (chars) { f.add(path, `${path} ${chars}`); return; }
        if (g.trim().toUpperCase().startsWith("S-") && !isSidString(g.trim())) { f.add(path, `${path} ${shown(g)} looks like a SID but is not one (S-1-5-21-…-RID)`); return; }
        if (!looksLikeDn(g) && !isSidString(g.trim()) && g.trim().length > 256) { f.add(path, `${path} is too long for a group name`); return; }
        if (g.length > MAX_DN_LENGTH) { f.add(path, `${path} is too long for a group's DN (at most ${MAX_DN_LENGTH} characters)`); return; }
        const dn = looksLikeDn(g) ? dnProblem(g) : undefined;
        if (dn) { f.add(path, `${path} ${shown(g)} looks like a DN but ${dn}`); return; }
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
            f.add(path, `${path} ${shown(g)} is not a group name: a group's name (sAMAccountName) cannot contain " / \\ [ ] : ; | = , + * ? < >. ` +
                "Give the group's name as it is in Active Directory, or its DN or SID");
        }
    });
}

function checkKeyRotation(f: Failures, k: unknown): void {
    if (k === undefined || isUnknown(k)) return;
    if (!isObject(k)) { f.add("keyRotation", "keyRotation must be { maxAgeDays?, trigger?, force? }"); return; }
    checkNumber(f, "keyRotation.maxAgeDays", k.maxAgeDays, { max: MAX_AGE_DAYS_LIMIT, unit: "days" });
    if (k.trigger !== undefined && !isUnknown(k.trigger)) {
        if (typeof k.trigger !== "string") f.add("keyRotation.trigger", "keyRotation.trigger must be a string (change it to rotate the key once)");
        else f.rule("keyRotation.trigger", freeTextProblem("keyRotation.trigger", k.trigger, MAX_TRIGGER_LENGTH));
    }
    checkBoolean(f, "keyRotation.force", k.force);
    f.knownKeys("keyRotation", k, ["maxAgeDays", "trigger", "force"], "an input");
}

function checkTimeouts(f: Failures, t: unknown): void {
    if (t === undefined || isUnknown(t)) return;
    if (!isObject(t)) { f.add("timeouts", "timeouts must be { create?, read?, update?, delete? } in seconds"); return; }
    for (const [k, v] of Object.entries(t)) {
        if (!["create", "read", "update", "delete"].includes(k)) f.add(`timeouts.${k}`, `timeouts.${k} is not an operation (create, read, update, delete)`);
        else checkNumber(f, `timeouts.${k}`, v, { max: 24 * 3600, unit: "seconds" });
    }
}

/** Validates the inputs of one AzureADKerberosServer. No I/O. */
export function validateInputs(news: Record<string, any>, env: CheckEnvironment = { platform: process.platform }): CheckFailure[] {
    const f = new Failures();
    for (const key of Object.keys(news)) {
        if (key === "__provider" || (INPUT_KEYS as readonly string[]).includes(key)) continue;
        const u = unknownInput(key, "AzureADKerberosServer", INPUT_KEYS.filter((k) => k !== DRIFT_INPUT && k !== OWNER_INPUT));
        f.add(u.property, u.reason);
    }
    checkDomain(f, news.domain);
    checkDirectory(f, news.directory);
    checkPublisher(f, news.publisher, news.graph, news.directory, env);
    checkGraph(f, news.graph);
    checkBoolean(f, "allowPrivilegedGroups", news.allowPrivilegedGroups);
    checkGroupList(f, "allowedGroups", news.allowedGroups, news.allowPrivilegedGroups === true);
    checkGroupList(f, "deniedGroups", news.deniedGroups, true);
    checkKeyRotation(f, news.keyRotation);
    checkTimeouts(f, news.timeouts);
    const drift = news[DRIFT_INPUT];
    if (drift !== undefined && !isUnknown(drift) && !(Array.isArray(drift) && drift.every((x) => typeof x === "string" && !characterProblem(x, { lineBreaks: true })))) {
        f.add(DRIFT_INPUT, `${DRIFT_INPUT} is set by the AzureADKerberosServer class; do not set it`);
    }
    const owner = news[OWNER_INPUT];
    if (owner !== undefined && !isUnknown(owner) && !(typeof owner === "string" && owner.trim() !== "" && owner.length <= 1024 && !characterProblem(owner))) {
        f.add(OWNER_INPUT, `${OWNER_INPUT} is set by the AzureADKerberosServer class (project/stack/name); do not set it`);
    }
    return f.list;
}
