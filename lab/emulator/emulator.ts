// The Graph emulator: one HTTPS server on loopback (lab CA certificate) serving the Entra token
// endpoints, the Graph endpoints the product uses, mounted lab routes (e.g. the Kerberos publisher
// at /lab/kerberos) and the /_emulator admin API. Usable in-process (tests) and as a process (main.ts).
import * as fs from "node:fs";
import * as https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { rootCertificates } from "node:tls";
import { Agent } from "undici";
import { handleAdmin, isLoopback } from "./admin";
import { buildDirectoryAudit, type AuditInput } from "./audit";
import { FaultController } from "./faults";
import { graphError, GRAPH_JSON, newRequestId } from "./http";
import { handleOAuth, isOAuthPath, stsFault } from "./oauth";
import { GraphRouter } from "./router";
import { auditLogRoutes } from "./routes/audit-logs";
import { authenticationMethodRoutes } from "./routes/authentication-methods";
import { conditionalAccessRoutes } from "./routes/conditional-access";
import { configurationPolicyRoutes } from "./routes/configuration-policies";
import { deviceConfigurationRoutes } from "./routes/device-configurations";
import { directoryRoutes } from "./routes/directory";
import { LAB_TENANT_DOMAIN, LAB_TENANT_ID, seedTenant } from "./seed";
import { servicePrincipalEntity, TenantState } from "./state";
import { DEFAULT_THROTTLING, mergeThrottling, Throttler } from "./throttle";
import { DEFAULT_CONSISTENCY, ReplicaLag, type ConsistencySettings } from "./consistency";
import { GRAPH_APP_ID, GRAPH_RESOURCE, TokenService } from "./tokens";
import type {
    DeepPartial, EmulatorApp, EmulatorHandler, EmulatorRequest, EmulatorResponse, GraphEmulatorOptions,
    InterleavedRequest, RequestLogEntry, ThrottleSettings, TokenClaims,
} from "./types";

const MAX_BODY = 10 * 1024 * 1024;
const MAX_LOG = 20_000;

export class GraphEmulator {
    readonly tenantId: string;
    readonly state: TenantState;
    readonly faults = new FaultController();
    /** method, path (no query), status, time: never headers or bodies */
    readonly requestLog: RequestLogEntry[] = [];

    private readonly opts: GraphEmulatorOptions;
    private readonly tokens: TokenService;
    private readonly throttler: Throttler;
    /** eventual consistency of reads (consistency.ts), off unless configured */
    readonly replicaLag: ReplicaLag;
    private readonly router: GraphRouter;
    private readonly apps = new Map<string, EmulatorApp>();
    private readonly mounts: { prefix: string; handler: EmulatorHandler }[] = [];
    private readonly sockets = new Set<Socket>();
    private readonly jwksCache = new Map<string, { at: number; jwks: any }>();
    private server?: https.Server;
    private baseUrl?: string;

    constructor(opts: GraphEmulatorOptions) {
        const host = opts.host ?? "127.0.0.1";
        if (!/^127\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`the Graph emulator binds loopback only (127.0.0.0/8), not ${host}`);
        this.opts = { ...opts, host };
        this.tenantId = opts.tenantId ?? LAB_TENANT_ID;
        for (const a of opts.apps ?? []) this.apps.set(a.clientId.toLowerCase(), a);
        const seed = () => (opts.seed === false ? emptyTenant(this.tenantId) : seedTenant(this.tenantId, [...this.apps.values()]));
        this.state = new TenantState(this.tenantId, seed, opts.stateFile);
        this.replicaLag = new ReplicaLag({ ...DEFAULT_CONSISTENCY, ...(opts.consistency ?? {}) });
        this.state.lag = this.replicaLag;
        for (const a of this.apps.values()) this.ensureServicePrincipal(a);
        this.tokens = new TokenService(this.tenantId);
        this.throttler = new Throttler(mergeThrottling(DEFAULT_THROTTLING, opts.throttling));
        this.router = new GraphRouter(
            [...directoryRoutes, ...conditionalAccessRoutes, ...configurationPolicyRoutes, ...deviceConfigurationRoutes, ...authenticationMethodRoutes, ...auditLogRoutes],
            { tokens: this.tokens, state: this.state, throttler: this.throttler, audit: (e) => this.recordDirectoryAudit(e) },
        );
    }

    get url(): string {
        if (!this.baseUrl) throw new Error("the Graph emulator is not started");
        return this.baseUrl;
    }

    /** Current throttling settings (mutable through setThrottling or the admin API). */
    get throttling(): ThrottleSettings {
        return this.throttler.settings;
    }

    setThrottling(patch: DeepPartial<ThrottleSettings>): void {
        this.throttler.settings = mergeThrottling(this.throttler.settings, patch);
        this.throttler.reset();
    }

    /** New eventual-consistency settings (admin API `PUT /_emulator/consistency`). */
    setConsistency(patch: Partial<ConsistencySettings>): ConsistencySettings {
        return this.replicaLag.configure(patch);
    }

    resetThrottles(): void {
        this.throttler.reset();
    }

    async start(): Promise<{ url: string }> {
        if (this.server) return { url: this.url };
        const server = https.createServer({ cert: fs.readFileSync(this.opts.certPath), key: fs.readFileSync(this.opts.keyPath) }, (req, res) => {
            this.onRequest(req, res).catch((e) => {
                process.stderr.write(`graph emulator: internal error on ${req.method} ${safePath(req.url)}: ${(e as Error).message}\n`);
                if (!res.headersSent) { res.statusCode = 500; res.end(); }
            });
        });
        server.on("connection", (s: Socket) => {
            this.sockets.add(s);
            s.on("close", () => this.sockets.delete(s));
        });
        server.on("tlsClientError", () => { /* a client that does not trust the lab CA: its problem, not ours */ });
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(this.opts.port ?? 0, this.opts.host, () => resolve());
        });
        const addr = server.address();
        if (addr === null || typeof addr === "string") throw new Error("unexpected server address");
        this.server = server;
        this.baseUrl = `https://${this.opts.host}:${addr.port}`;
        return { url: this.baseUrl };
    }

    async stop(): Promise<void> {
        const server = this.server;
        if (!server) return;
        this.server = undefined;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of this.sockets) s.destroy(); // including hung requests
        server.closeAllConnections();
        await closed;
    }

    /** Extra routes below a path prefix (e.g. "/lab/kerberos"); returning undefined falls through to 404. */
    mount(prefix: string, handler: EmulatorHandler): void {
        const p = "/" + prefix.replace(/^\/+|\/+$/g, "");
        if (p === "/" || /^\/(v1\.0|beta|_emulator)(\/|$)/i.test(p)) throw new Error(`cannot mount at ${prefix}: reserved path`);
        this.mounts.push({ prefix: p, handler });
        this.mounts.sort((a, b) => b.prefix.length - a.prefix.length);
    }

    addApp(app: EmulatorApp): void {
        if (typeof app?.clientId !== "string" || !Array.isArray(app.roles)) throw new Error("an app needs clientId and roles");
        this.apps.set(app.clientId.toLowerCase(), app);
        this.ensureServicePrincipal(app);
    }

    listApps(): EmulatorApp[] {
        return [...this.apps.values()];
    }

    /** The same bearer check the Graph routes use; pass `audience` for tokens issued to another resource. */
    async verifyAccessToken(authorizationHeader: string | undefined, opts: { audience?: string | string[] } = {}): Promise<TokenClaims | undefined> {
        const audiences = opts.audience === undefined ? [GRAPH_RESOURCE, GRAPH_APP_ID] : ([] as string[]).concat(opts.audience);
        return this.tokens.verify(authorizationHeader, audiences);
    }

    recordDirectoryAudit(e: AuditInput): void {
        this.state.insert("directoryAudits", buildDirectoryAudit(e));
    }

    // ---------------------------------------------------------------------------------------------

    private ensureServicePrincipal(app: EmulatorApp): void {
        if (!this.state.servicePrincipals.some((s) => String(s.appId).toLowerCase() === app.clientId.toLowerCase())) {
            this.state.insert("servicePrincipals", servicePrincipalEntity({ appId: app.clientId, displayName: app.displayName ?? app.clientId }));
        }
    }

    private async onRequest(raw: IncomingMessage, res: ServerResponse): Promise<void> {
        const started = Date.now();
        const url = new URL(raw.url ?? "/", `https://${raw.headers.host ?? "127.0.0.1"}`);
        const method = (raw.method ?? "GET").toUpperCase();
        const log = (status: number) => this.logRequest({ method, path: url.pathname, status, at: started });
        const rawBody = await readBody(raw);
        if (rawBody === undefined) { log(413); return send(res, { status: 413 }, "", ""); }
        const clientRequestId = headerOne(raw.headers["client-request-id"]) ?? newRequestId();
        const req: EmulatorRequest = {
            method, path: url.pathname, subPath: url.pathname, url, query: url.searchParams, headers: raw.headers,
            body: parseBody(rawBody, raw.headers["content-type"]), rawBody,
            requestId: newRequestId(), clientRequestId, remoteAddress: raw.socket.remoteAddress ?? "",
            origin: `https://${raw.headers.host ?? new URL(this.url).host}`,
        };

        if (url.pathname === "/_emulator" || url.pathname.startsWith("/_emulator/")) {
            const r = await handleAdmin(this, req);
            log(r.status);
            return send(res, r, req.requestId, req.clientRequestId);
        }

        const fault = this.faults.decide(method, url.pathname);
        if (fault.latencyMs > 0) await sleep(fault.latencyMs);
        // an `after` fault lets the request change the tenant first; only its answer is lost
        if (fault.kind !== "none" && fault.kind !== "interleave" && fault.after) await this.dispatch(req);
        if (fault.kind === "hang") { log(0); return; } // never answered; stop() destroys the socket
        if (fault.kind === "reset") { log(0); resetConnection(raw.socket); return; }
        if (fault.kind === "interleave") await this.serveInterleaved(req, fault.request);
        if (fault.kind === "status") {
            const headers: Record<string, string> = fault.retryAfter !== undefined ? { "retry-after": String(fault.retryAfter) } : {};
            const code = fault.status === 429 ? "TooManyRequests" : fault.status === 503 ? "ServiceUnavailable" : fault.status >= 500 ? "InternalServerError" : "BadRequest";
            const r = isOAuthPath(url.pathname) ? stsFault(req, fault.status, headers) : graphError(req, fault.status, code, `Injected fault: HTTP ${fault.status}.`, headers);
            log(r.status);
            return send(res, r, req.requestId, req.clientRequestId);
        }

        const r = (await this.dispatch(req)) ?? graphError(req, 404, "NotFound", `No route for ${method} ${url.pathname}.`);
        log(r.status);
        send(res, r, req.requestId, req.clientRequestId);
    }

    private logRequest(entry: RequestLogEntry): void {
        this.requestLog.push(entry);
        if (this.requestLog.length > MAX_LOG) this.requestLog.splice(0, this.requestLog.length - MAX_LOG);
    }

    /**
     * Serves a fault rule's interleaved request as a concurrent client would: same bearer token as
     * the request that triggered it, same routes, permissions and throttling. Its outcome is in the
     * request log (marked `injected`), so a test can tell whether the race really happened.
     */
    private async serveInterleaved(trigger: EmulatorRequest, r: InterleavedRequest): Promise<void> {
        const url = new URL(r.path, trigger.origin);
        const body = r.body === undefined ? undefined : JSON.parse(JSON.stringify(r.body));
        const req: EmulatorRequest = {
            ...trigger,
            method: r.method.toUpperCase(), path: url.pathname, subPath: url.pathname, url, query: url.searchParams,
            headers: { authorization: trigger.headers.authorization, "content-type": "application/json", host: trigger.headers.host },
            body, rawBody: Buffer.from(body === undefined ? "" : JSON.stringify(body)),
            requestId: newRequestId(), clientRequestId: newRequestId(),
        };
        const res = (await this.dispatch(req)) ?? graphError(req, 404, "NotFound", `No route for ${req.method} ${url.pathname}.`);
        this.logRequest({ method: req.method, path: url.pathname, status: res.status, at: Date.now(), injected: true });
    }

    private async dispatch(req: EmulatorRequest): Promise<EmulatorResponse | undefined> {
        for (const m of this.mounts) {
            if (req.path === m.prefix || req.path.startsWith(m.prefix + "/")) {
                const r = await m.handler({ ...req, subPath: req.path.slice(m.prefix.length) || "/" });
                if (r) return r;
            }
        }
        const oauth = await handleOAuth(req, {
            tenantId: this.tenantId,
            tenantDomains: [LAB_TENANT_DOMAIN, ...this.state.organization.flatMap((o) => (o.verifiedDomains ?? []).map((d: any) => d.name))],
            tokens: this.tokens,
            app: (id) => this.apps.get(id.toLowerCase()),
            servicePrincipalId: (appId) => this.state.servicePrincipals.find((s) => String(s.appId).toLowerCase() === appId.toLowerCase())?.id ?? appId,
            fetchJwks: (u) => this.fetchJwks(u),
        });
        if (oauth) return oauth;
        return this.router.handle(req);
    }

    /** Federated credentials may point at a JWKS served on loopback (e.g. a lab OIDC issuer). */
    private async fetchJwks(url: string): Promise<any> {
        const u = new URL(url);
        if (u.protocol !== "https:" || !(isLoopback(u.hostname) || u.hostname === "localhost")) throw new Error("jwksUrl must be https on loopback");
        const cached = this.jwksCache.get(url);
        if (cached && Date.now() - cached.at < 300_000) return cached.jwks;
        const ca = [...rootCertificates, ...(this.opts.caPath ? [fs.readFileSync(this.opts.caPath, "utf8")] : [])];
        const dispatcher = new Agent({ connect: { ca } });
        try {
            const r = await fetch(url, { dispatcher } as RequestInit);
            if (!r.ok) throw new Error(`JWKS fetch failed: HTTP ${r.status}`);
            const jwks = await r.json();
            this.jwksCache.set(url, { at: Date.now(), jwks });
            return jwks;
        } finally {
            await dispatcher.close();
        }
    }
}

function emptyTenant(tenantId: string) {
    const t = seedTenant(tenantId, []);
    return { ...t, groups: [], users: [], servicePrincipals: [], policies: [] };
}

/** A TCP RST (the client sees ECONNRESET). TLS sockets cannot reset; their underlying TCP socket can. */
function resetConnection(socket: Socket): void {
    const tcp = (socket as Socket & { _parent?: Socket })._parent ?? socket;
    try {
        tcp.resetAndDestroy();
    } catch {
        socket.destroy();
    }
}

function headerOne(v: string | string[] | undefined): string | undefined {
    return Array.isArray(v) ? v[0] : v;
}

function safePath(u: string | undefined): string {
    return (u ?? "").split("?")[0];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
        size += (c as Buffer).length;
        if (size > MAX_BODY) return undefined;
        chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks);
}

function parseBody(raw: Buffer, contentType: string | undefined): any {
    if (raw.length === 0) return undefined;
    const text = raw.toString("utf8");
    const ct = (contentType ?? "").toLowerCase();
    if (ct.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
    if (ct.includes("json") || /^\s*[[{]/.test(text)) {
        try { return JSON.parse(text); } catch { return text; }
    }
    return text;
}

function send(res: ServerResponse, r: EmulatorResponse, requestId: string, clientRequestId: string): void {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    if (requestId) { headers["request-id"] = requestId; headers["client-request-id"] = clientRequestId; }
    let payload: Buffer | undefined;
    if (r.body !== undefined && r.status !== 204) {
        if (Buffer.isBuffer(r.body)) payload = r.body;
        else if (typeof r.body === "string") payload = Buffer.from(r.body);
        else {
            payload = Buffer.from(JSON.stringify(r.body));
            if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = GRAPH_JSON;
        }
    }
    res.writeHead(r.status, { ...headers, "content-length": String(payload?.length ?? 0) });
    res.end(payload);
}
