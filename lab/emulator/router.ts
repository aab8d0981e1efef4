// Graph routing: bearer check (401), application-permission check (403), service throttling (429),
// then the handler. Handlers throw EmuError; the route's flavour decides the wire shape.
import { EmuError } from "./errors";
import { flavoredError, graphError, intuneMessage, type Flavor } from "./http";
import type { TenantState } from "./state";
import type { ThrottleBucket, Throttler } from "./throttle";
import type { TokenService } from "./tokens";
import type { EmulatorRequest, EmulatorResponse, TokenClaims } from "./types";

export interface RouteContext {
    req: EmulatorRequest;
    claims: TokenClaims;
    params: Record<string, string>;
    state: TenantState;
    /** records a directory audit event (CA changes are audited like in Entra) */
    audit: (e: { activityDisplayName: string; category: string; targetResources: any[]; initiatedBy?: any; additionalDetails?: any[] }) => void;
}

export interface GraphRoute {
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    version: "v1.0" | "beta";
    /** path below the version with {param} placeholders, e.g. "/groups/{id}" */
    path: string;
    /** any one of these sets of application permissions suffices; every role in a set is needed */
    permissions: string[][];
    throttle?: ThrottleBucket;
    flavor: Flavor;
    handler: (ctx: RouteContext) => EmulatorResponse | Promise<EmulatorResponse>;
}

/** Shorthand: any one of the roles. */
export const anyOf = (...roles: string[]): string[][] => roles.map((r) => [r]);

interface Compiled extends GraphRoute { re: RegExp; names: string[] }

function compile(r: GraphRoute): Compiled {
    const names: string[] = [];
    // {param} may be a whole segment or part of one (OData function parameters: fn(key='{ref}'))
    const src = r.path.split(/(\{\w+\})/).map((part) => {
        const m = /^\{(\w+)\}$/.exec(part);
        if (m) { names.push(m[1]); return "([^/]+?)"; }
        return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("");
    return { ...r, re: new RegExp(`^${src}/?$`, "i"), names };
}

export class GraphRouter {
    private routes: Compiled[];

    constructor(routes: GraphRoute[], private deps: { tokens: TokenService; state: TenantState; throttler: Throttler; audit: RouteContext["audit"] }) {
        this.routes = routes.map(compile);
    }

    /** Handles /v1.0/... and /beta/...; returns undefined for other paths. */
    async handle(req: EmulatorRequest): Promise<EmulatorResponse | undefined> {
        const m = /^\/(v1\.0|beta)(\/.*)?$/i.exec(req.path);
        if (!m) return undefined;
        const version = m[1].toLowerCase();
        const rest = m[2] ?? "/";

        const claims = this.deps.tokens.verify(req.headers.authorization);
        if (!claims) {
            return graphError(req, 401, "InvalidAuthenticationToken", this.deps.tokens.explain(req.headers.authorization), {
                "www-authenticate": `Bearer realm="", authorization_uri="${req.origin}/${this.deps.state.tenantId}/oauth2/v2.0/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
            });
        }

        const candidates = this.routes
            .filter((r) => r.version === version)
            .map((r) => ({ r, m: r.re.exec(rest) }))
            .filter((x): x is { r: Compiled; m: RegExpExecArray } => x.m !== null);
        if (candidates.length === 0) {
            const seg = rest.split("/").filter(Boolean).pop() ?? "";
            return graphError(req, 400, "BadRequest", `Resource not found for the segment '${seg}'.`);
        }
        const hit = candidates.find((c) => c.r.method === req.method);
        if (!hit) {
            return graphError(req, 405, "BadRequest", `Specified HTTP method is not allowed for the request target.`);
        }
        const route = hit.r;
        const params: Record<string, string> = {};
        route.names.forEach((n, i) => (params[n] = decodeURIComponent(hit.m[i + 1])));

        const roles = new Set(claims.roles);
        if (!route.permissions.some((set) => set.every((p) => roles.has(p)))) {
            const needed = route.permissions.map((s) => s.join(" + ")).join(", ");
            const msg = route.flavor === "intune"
                ? `Application is not authorized to perform this operation. Application must have one of the following scopes: ${needed}`
                : `Insufficient privileges to complete the operation. Requires one of: ${needed}.`;
            return flavoredError(req, route.flavor, 403, "forbidden", msg);
        }

        if (route.throttle) {
            const v = this.deps.throttler.check(route.throttle, claims.appid, req.method !== "GET");
            if (v.throttled) {
                if (v.retryAfterSeconds === undefined) {
                    // conditionalAccessPolicy: documented to answer 429 without Retry-After
                    return graphError(req, 429, "TooManyRequests", "Too many requests to conditional access policies for this tenant. Please retry after some time.");
                }
                return graphError(req, 429, "TooManyRequests",
                    intuneMessage(req, "Too many requests. Intune service limit exceeded for this tenant or application.", v.retryAfterSeconds),
                    { "retry-after": String(v.retryAfterSeconds) });
            }
        }

        try {
            // a GET may be served by a lagging replica (Graph is eventually consistent; the source is cited in
            // consistency.ts: hashicorp/terraform-provider-azuread's polling); writes always see the latest
            const state = req.method === "GET" ? this.deps.state.replicaRead() : this.deps.state;
            return await route.handler({ req, claims, params, state, audit: this.deps.audit });
        } catch (e) {
            if (e instanceof EmuError) return flavoredError(req, route.flavor, e.status, e.kind, e.message, {}, e.code);
            throw e;
        }
    }
}
