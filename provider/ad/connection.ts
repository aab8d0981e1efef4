// The one way this package talks to Active Directory: `withDirectory` opens one verified LDAPS
// connection to one domain, binds, runs the caller's operation on it and unbinds, whatever happens.
// One connection per operation keeps reads and the writes that follow them on the same DC (a
// password set on one DC and a read-back on another is a known failure of Microsoft's module,
// docs/sources.md, Kerberos §4.2), and leaves no socket behind in the provider process.
import { channel } from "node:diagnostics_channel";
import {
    Change, Client, Control, Entry, Filter, InvalidCredentialsError, ResultCodeError, SearchOptions,
} from "ldapts";
import { ProviderError, scrubText, type ErrorCode } from "../core/errors";
import { secureContextFor } from "../core/tls-context";
import { normalizeDn } from "./escape";

/** DirectoryConnection (docs/resources/azure-ad-kerberos-server.md) with the password SecretRef already resolved (never stored). */
export interface ResolvedDirectoryConnection {
    urls: string[];
    username: string;
    password: string;
    caCertificate?: string;
    tlsServerName?: string;
    allowPlainLdap?: boolean;
    timeoutMs?: number;
}

/** LDAP requests that got a response, by kind. A benchmark reports these per resource. */
export interface RoundTrips {
    binds: number;
    searches: number;
    adds: number;
    modifies: number;
    deletes: number;
}

/**
 * Every counted round trip is also published here as `{ kind, url }` (diagnostics_channel: no
 * subscriber, no cost). The benchmark subscribes to it inside Pulumi's provider host, where no
 * caller can pass `options.roundTrips`; tracing tools can do the same.
 */
export const ldapRoundTripChannel = channel("pulumi-entra-kerberos:ldap-round-trip");

export function newRoundTrips(): RoundTrips {
    return { binds: 0, searches: 0, adds: 0, modifies: 0, deletes: 0 };
}

export function totalRoundTrips(r: RoundTrips): number {
    return r.binds + r.searches + r.adds + r.modifies + r.deletes;
}

export interface RootDse {
    defaultNamingContext: string;
    configurationNamingContext: string;
    rootDomainNamingContext: string;
    dnsHostName?: string;
    dsServiceName?: string;
}

/** The three naming contexts most lookups need: from the rootDSE, or derived from the domain head. */
export type NamingContexts = Pick<RootDse, "defaultNamingContext" | "configurationNamingContext" | "rootDomainNamingContext">;

export type Attributes = Record<string, string | string[] | Buffer | Buffer[]>;

export interface DirectorySession {
    /** the URL this session is connected to (names the DC in errors and outputs) */
    readonly url: string;
    /** this session's counters, the bind included */
    readonly roundTrips: Readonly<RoundTrips>;
    search(base: string, options: SearchOptions, controls?: Control | Control[]): Promise<DirEntry[]>;
    add(dn: string, attributes: Attributes, controls?: Control | Control[]): Promise<void>;
    modify(dn: string, changes: Change | Change[], controls?: Control | Control[]): Promise<void>;
    del(dn: string, controls?: Control | Control[]): Promise<void>;
    /** rootDSE, read once per session */
    rootDse(): Promise<RootDse>;
    /**
     * The naming contexts, once per session: from the rootDSE unless a caller already derived them
     * (readKerberosServer does, from the domain head it reads anyway, saving the rootDSE round trip).
     */
    namingContexts(): Promise<NamingContexts>;
    /** per-session cache for lookups that cannot change within one operation (DSA names, domain SIDs) */
    memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export interface WithDirectoryOptions {
    /** also add this session's round trips here (a caller summing over several operations) */
    roundTrips?: RoundTrips;
    /** what the caller is doing, for error messages: "read Kerberos server of corp.lab.test" */
    purpose?: string;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

/** Result names of RFC 4511 §4.1.9 for the codes this package reacts to (serviceCode of errors). */
const RESULT_NAMES: Record<number, string> = {
    1: "operationsError", 2: "protocolError", 3: "timeLimitExceeded", 8: "strongerAuthRequired", 10: "referral", 12: "unavailableCriticalExtension",
    13: "confidentialityRequired", 16: "noSuchAttribute", 19: "constraintViolation", 20: "attributeOrValueExists",
    21: "invalidAttributeSyntax", 32: "noSuchObject", 34: "invalidDNSyntax", 49: "invalidCredentials",
    50: "insufficientAccessRights", 51: "busy", 52: "unavailable", 53: "unwillingToPerform", 64: "namingViolation",
    65: "objectClassViolation", 66: "notAllowedOnNonLeaf", 68: "entryAlreadyExists", 80: "other",
};

/** Provider error codes for LDAP results a caller may want to branch on. */
const RESULT_CODES: Record<number, ErrorCode> = {
    32: "DirectoryNoSuchObject",
    68: "DirectoryAlreadyExists",
    50: "DirectoryAccessDenied",
    19: "DirectoryConstraintViolation",
    53: "DirectoryUnwillingToPerform",
};

export function ldapResultName(code: number): string {
    return RESULT_NAMES[code] ?? `result${code}`;
}

/**
 * Says what right is missing when `work` is refused (insufficientAccessRights): the DC names the
 * object, not what to grant.
 */
export async function withAccessHint<T>(work: () => Promise<T>, needs: string): Promise<T> {
    try {
        return await work();
    } catch (e) {
        if (!(e instanceof ProviderError) || e.code !== "DirectoryAccessDenied") throw e;
        throw new ProviderError(e.code, `${e.message}. The directory account needs ${needs} (docs/operations.md: Least privileges)`, {
            input: "directory.username", resource: e.resource, serviceCode: e.serviceCode, cause: e,
        });
    }
}

/** True if `e` is a ProviderError from an LDAP result with this RFC 4511 name (e.g. "noSuchObject"). */
export function isLdapResult(e: unknown, name: string): boolean {
    return e instanceof ProviderError && e.serviceCode === name;
}

// Errors that mean "this DC, not this request": try the next URL. Node socket errors and TLS
// verification errors carry a `code`; ldapts' own connect timeout is a plain Error.
const FAILOVER_SOCKET_CODES = new Set([
    "ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EADDRNOTAVAIL",
]);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|UNABLE_TO_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL)/;

type AttemptFailure = { url: string; reason: string; kind: "connect" | "tls" | "unavailable" };

function classifyConnectError(e: unknown): AttemptFailure["kind"] | undefined {
    if (e instanceof ResultCodeError) return e.code === 51 || e.code === 52 ? "unavailable" : undefined;
    const code = (e as { code?: unknown })?.code;
    if (typeof code === "string" && TLS_CODE.test(code)) return "tls";
    if (typeof code === "string" && FAILOVER_SOCKET_CODES.has(code)) return "connect";
    const msg = String((e as Error)?.message ?? e);
    // foreign text: ldapts and Node socket errors carry no code for these
    if (/Connection timeout|Connection closed|socket hang up|Socket error|Operation timed out/i.test(msg)) return "connect";
    // foreign text: ldapts and Node TLS errors
    if (/certificate|altnames|TLS|SSL/i.test(msg)) return "tls";
    return undefined;
}


function describe(e: unknown): string {
    if (e instanceof ResultCodeError) return `${e.message.trim()} (LDAP ${ldapResultName(e.code)}, ${e.code})`;
    const code = (e as { code?: unknown })?.code;
    const msg = String((e as Error)?.message ?? e).trim();
    // foreign text: ldapts' message
    return typeof code === "string" && !msg.includes(code) ? `${msg} [${code}]` : msg;
}

/** Checks the connection settings without any I/O (used by `check` too). */
export function validateDirectoryConnection(conn: ResolvedDirectoryConnection): void {
    if (!Array.isArray(conn.urls) || conn.urls.length === 0) {
        throw new ProviderError("DirectoryConfigInvalid", "directory.urls is empty: give at least one ldaps:// URL", { input: "directory.urls" });
    }
    conn.urls.forEach((url, i) => {
        let u: URL;
        try { u = new URL(url); } catch {
            throw new ProviderError("DirectoryConfigInvalid", `directory.urls[${i}] ${JSON.stringify(url)} is not a URL (expected ldaps://host:636)`, { input: `directory.urls[${i}]` });
        }
        if (u.protocol !== "ldaps:" && u.protocol !== "ldap:") {
            throw new ProviderError("DirectoryConfigInvalid", `directory.urls[${i}] ${url}: only ldaps:// (or ldap:// with allowPlainLdap) is supported`, { input: `directory.urls[${i}]` });
        }
        if (!u.hostname) throw new ProviderError("DirectoryConfigInvalid", `directory.urls[${i}] ${url} has no host`, { input: `directory.urls[${i}]` });
        if (u.pathname && u.pathname !== "/" || u.search) {
            throw new ProviderError("DirectoryConfigInvalid", `directory.urls[${i}] ${url}: give scheme, host and port only (no base DN or query)`, { input: `directory.urls[${i}]` });
        }
        if (u.protocol === "ldap:" && !conn.allowPlainLdap) {
            throw new ProviderError("PlainLdapRefused",
                `directory.urls[${i}] ${url} is plain LDAP: the bind password and key changes would cross the network unencrypted. ` +
                `Use ldaps://${u.hostname}:636, or set directory.allowPlainLdap = true to accept that risk`, { input: `directory.urls[${i}]` });
        }
    });
    if (!conn.username) throw new ProviderError("DirectoryConfigInvalid", "directory.username is empty", { input: "directory.username" });
    // An empty password makes a simple bind an *unauthenticated* bind, which succeeds (RFC 4513 §5.1.2).
    if (!conn.password) throw new ProviderError("DirectoryConfigInvalid", "directory.password resolved to an empty value", { input: "directory.password" });
    if (conn.timeoutMs !== undefined && !(Number.isFinite(conn.timeoutMs) && conn.timeoutMs > 0)) {
        throw new ProviderError("DirectoryConfigInvalid", `directory.timeoutMs must be a positive number, got ${conn.timeoutMs}`, { input: "directory.timeoutMs" });
    }
}

function clientFor(conn: ResolvedDirectoryConnection, url: string): Client {
    const timeout = conn.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const plain = url.toLowerCase().startsWith("ldap:");
    return new Client({
        url,
        timeout,
        connectTimeout: timeout,
        // ldapts switches to TLS whenever tlsOptions is set, so plain ldap:// must get none at all.
        // With a CA, the TLS context (trust list + minimum version) is built once per process.
        tlsOptions: plain ? undefined : {
            rejectUnauthorized: true,
            ...(conn.caCertificate ? { secureContext: secureContextFor([conn.caCertificate], "TLSv1.2") } : { minVersion: "TLSv1.2" as const }),
            ...(conn.tlsServerName ? { servername: conn.tlsServerName } : {}),
        },
    });
}

/**
 * Opens a session on the first URL that answers, runs `fn`, unbinds. Fails over to the next URL
 * on connect, TLS and busy/unavailable errors; bad credentials and every other bind error are
 * reported at once (a second DC would give the same answer, and retries could lock the account).
 * Once `fn` runs there is no failover: a write may already have happened.
 */
export async function withDirectory<T>(conn: ResolvedDirectoryConnection, fn: (session: DirectorySession) => Promise<T>,
    options: WithDirectoryOptions = {}): Promise<T> {
    validateDirectoryConnection(conn);
    const secrets = new Set<string>([conn.password]);
    const purpose = options.purpose ? ` (${options.purpose})` : "";
    const failures: AttemptFailure[] = [];
    for (const url of conn.urls) {
        const client = clientFor(conn, url);
        const counters = newRoundTrips();
        const bump = (k: keyof RoundTrips) => {
            counters[k]++;
            if (options.roundTrips) options.roundTrips[k]++;
            if (ldapRoundTripChannel.hasSubscribers) ldapRoundTripChannel.publish({ kind: k, url });
        };
        try {
            try {
                await client.bind(conn.username, conn.password);
                bump("binds");
            } catch (e) {
                if (e instanceof ResultCodeError) bump("binds"); // the DC answered
                const kind = classifyConnectError(e);
                if (kind) { failures.push({ url, kind, reason: scrubText(describe(e), secrets) }); continue; }
                if (e instanceof InvalidCredentialsError) {
                    throw new ProviderError("DirectoryAuthFailed",
                        `LDAP bind as ${conn.username} to ${url} failed: invalid credentials${purpose}. Not trying other DCs (that could lock the account)`,
                        { input: "directory.username", serviceCode: "invalidCredentials", resource: url });
                }
                throw operationError("bind", `as ${conn.username}`, url, e, secrets, purpose);
            }
            const session = new Session(client, url, counters, bump, secrets, purpose);
            return await fn(session);
        } finally {
            await client.unbind().catch(() => { /* the socket is destroyed either way */ });
        }
    }
    const allTls = failures.every((f) => f.kind === "tls");
    const list = failures.map((f) => `${f.url}: ${f.reason}`).join("; ");
    throw new ProviderError(allTls ? "DirectoryTlsFailed" : "DirectoryUnreachable",
        allTls
            ? `TLS verification failed for every directory URL${purpose}: ${list}. Check directory.caCertificate and directory.tlsServerName`
            : `no domain controller answered${purpose}: ${list}`,
        { input: "directory.urls", retryable: !allTls });
}

function operationError(op: string, target: string, url: string, e: unknown, secrets: Iterable<string>, purpose: string): ProviderError {
    if (e instanceof ProviderError) return e;
    const resultCode = e instanceof ResultCodeError ? e.code : undefined;
    // foreign text: ldapts' timeout error has no result code
    const timedOut = resultCode === undefined && /timed out|timeout/i.test(String((e as Error)?.message));
    const code = resultCode !== undefined ? (RESULT_CODES[resultCode] ?? "DirectoryOperationFailed") : timedOut ? "DirectoryTimeout" : "DirectoryConnectionLost";
    return new ProviderError(code, scrubText(`LDAP ${op} ${target} on ${url} failed${purpose}: ${describe(e)}`, secrets), {
        resource: url,
        serviceCode: resultCode !== undefined ? ldapResultName(resultCode) : undefined,
        retryable: resultCode === 51 || resultCode === 52 || timedOut || resultCode === undefined,
        cause: e,
    });
}

/** Values of unicodePwd are `"password"` in UTF-16LE; remember the password so no error can show it. */
function collectPasswordSecrets(changes: Change[], secrets: Set<string>): void {
    for (const c of changes) {
        if (c.modification.type.toLowerCase() !== "unicodepwd") continue;
        for (const v of c.modification.values) {
            const text = Buffer.isBuffer(v) ? v.toString("utf16le") : String(v);
            secrets.add(text.replace(/^"|"$/g, ""));
            secrets.add(text);
        }
    }
}

class Session implements DirectorySession {
    private readonly cache = new Map<string, Promise<unknown>>();

    /** `counters` already holds this connection's bind; `bump` counts into it and the caller's sum. */
    constructor(private readonly client: Client, readonly url: string, private readonly counters: RoundTrips,
        private readonly bump: (k: keyof RoundTrips) => void, private readonly secrets: Set<string>, private readonly purpose: string) {}

    get roundTrips(): Readonly<RoundTrips> { return { ...this.counters }; }

    private async run<R>(kind: keyof RoundTrips, op: string, target: string, call: () => Promise<R>): Promise<R> {
        // ldapts silently reconnects a dropped socket *without* the bind; never run unauthenticated.
        if (!this.client.isBound) {
            throw new ProviderError("DirectoryConnectionLost", `LDAP ${op} ${target} on ${this.url}: the connection was lost after bind${this.purpose}`,
                { resource: this.url, retryable: true });
        }
        try {
            const r = await call();
            this.bump(kind);
            return r;
        } catch (e) {
            if (e instanceof ResultCodeError) this.bump(kind); // the DC answered: a round trip
            throw operationError(op, target, this.url, e, this.secrets, this.purpose);
        }
    }

    async search(base: string, options: SearchOptions, controls?: Control | Control[]): Promise<DirEntry[]> {
        const opts: SearchOptions = {
            ...options,
            // ldapts matches these case-sensitively against the names the server returns
            explicitBufferAttributes: options.explicitBufferAttributes
                ? [...new Set(options.explicitBufferAttributes.flatMap((a) => [a, a.toLowerCase()]))] : undefined,
        };
        const filterText = options.filter === undefined ? "" : ` filter ${typeof options.filter === "string" ? options.filter : filterToString(options.filter)}`;
        const result = await this.run("searches", "search", `base ${JSON.stringify(base)} scope ${options.scope ?? "sub"}${filterText}`,
            () => this.client.search(base, opts, controls));
        return result.searchEntries.map((e) => new DirEntry(e));
    }

    add(dn: string, attributes: Attributes, controls?: Control | Control[]): Promise<void> {
        return this.run("adds", "add", dn, () => this.client.add(dn, attributes as Record<string, string | string[]>, controls));
    }

    modify(dn: string, changes: Change | Change[], controls?: Control | Control[]): Promise<void> {
        const list = Array.isArray(changes) ? changes : [changes];
        collectPasswordSecrets(list, this.secrets);
        const what = list.map((c) => `${c.operation} ${c.modification.type}`).join(", ");
        return this.run("modifies", "modify", `${dn} (${what})`, () => this.client.modify(dn, list, controls));
    }

    del(dn: string, controls?: Control | Control[]): Promise<void> {
        return this.run("deletes", "delete", dn, () => this.client.del(dn, controls));
    }

    rootDse(): Promise<RootDse> {
        return this.memo("rootDSE", async () => {
            const [e] = await this.search("", {
                scope: "base", filter: "(objectClass=*)",
                attributes: ["defaultNamingContext", "configurationNamingContext", "rootDomainNamingContext", "dnsHostName", "dsServiceName"],
            });
            const need = (a: string) => {
                const v = e?.string(a);
                if (!v) throw new ProviderError("DirectoryNotAd", `the rootDSE of ${this.url} has no ${a}: is this an Active Directory domain controller?`, { resource: this.url });
                return v;
            };
            return {
                defaultNamingContext: need("defaultNamingContext"),
                configurationNamingContext: need("configurationNamingContext"),
                rootDomainNamingContext: need("rootDomainNamingContext"),
                dnsHostName: e?.string("dnsHostName"),
                dsServiceName: e?.string("dsServiceName"),
            };
        });
    }

    namingContexts(): Promise<NamingContexts> {
        return this.memo("namingContexts", () => this.rootDse());
    }

    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
        let p = this.cache.get(key) as Promise<T> | undefined;
        if (!p) {
            p = compute();
            this.cache.set(key, p);
            p.catch(() => this.cache.delete(key)); // a failed lookup is not remembered
        }
        return p;
    }
}

/** Text form of an ldapts filter object, for error messages (binary values shown as hex). */
function filterToString(f: Filter): string {
    try { return f.toString(); } catch { return "(filter)"; }
}

/** One search result with case-insensitive attribute access (servers choose the case of names). */
export class DirEntry {
    readonly dn: string;
    private readonly byLower = new Map<string, Entry[string]>();
    private normalized?: string;

    constructor(raw: Entry) {
        this.dn = raw.dn;
        for (const [k, v] of Object.entries(raw)) if (k !== "dn") this.byLower.set(k.toLowerCase(), v);
    }

    has(attr: string): boolean {
        const v = this.byLower.get(attr.toLowerCase());
        return v !== undefined && !(Array.isArray(v) && v.length === 0);
    }

    strings(attr: string): string[] {
        const v = this.byLower.get(attr.toLowerCase());
        if (v === undefined) return [];
        const list = Array.isArray(v) ? v : [v];
        return list.map((x) => (Buffer.isBuffer(x) ? x.toString("utf8") : String(x)));
    }

    string(attr: string): string | undefined {
        return this.strings(attr)[0];
    }

    number(attr: string): number | undefined {
        const s = this.string(attr);
        if (s === undefined || s === "") return undefined;
        const n = Number(s);
        return Number.isFinite(n) ? n : undefined;
    }

    buffers(attr: string): Buffer[] {
        const v = this.byLower.get(attr.toLowerCase());
        if (v === undefined) return [];
        const list = Array.isArray(v) ? v : [v];
        // A string here means the attribute was not requested as binary; its bytes are already lost.
        if (list.some((x) => !Buffer.isBuffer(x))) throw new Error(`attribute ${attr} of ${this.dn} was not read as binary`);
        return list as Buffer[];
    }

    buffer(attr: string): Buffer | undefined {
        return this.buffers(attr)[0];
    }

    isDn(dn: string): boolean {
        // entries are compared with several DNs in a row: normalize this one once
        this.normalized ??= normalizeDn(this.dn);
        return this.normalized === normalizeDn(dn);
    }
}
