// v1.0 identity/conditionalAccess/policies with Graph's update semantics (docs/sources.md, Graph §4):
// PATCH merges objects property by property, and every array it carries REPLACES the stored
// array as a whole (there is no add/remove); properties left out keep their values; 204 No Content.
// Bodies that do not fit the schema fail with 400 "1007: ... does not match the schema". The schema
// below holds only properties the v1.0 CSDL defines (https://github.com/microsoftgraph/msgraph-metadata/blob/f54f11b60956ea7b185ca0447b2b80805836ec7b/clean_v10_metadata/cleanMetadata.xml,
// checked by test/contract/artefacts/emulator-schema.test.ts); beta-only ones are refused on v1.0.
import { badRequest } from "../errors";
import { isGuid, newGuid, nowIso } from "../ids";
import { noContent } from "../http";
import type { QueryOptionsSpec } from "../odata";
import type { GraphRoute, RouteContext } from "../router";
import { bodyObject, clone, entityResponse, listResponse, mustGet } from "./common";

// Reads: Policy.Read.All ("Reading only"), or the write permission. Writes: the documented least
// privilege Policy.Read.All + Policy.ReadWrite.ConditionalAccess (the Graph known issue makes POST
// and PATCH need Policy.Read.All), or the beta doc's alternative Application.Read.All + ReadWrite.
const READ = [["Policy.Read.All"], ["Policy.ReadWrite.ConditionalAccess"]];
const WRITE = [["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"], ["Application.Read.All", "Policy.ReadWrite.ConditionalAccess"]];

const SPEC: QueryOptionsSpec = {
    resource: "conditionalAccessPolicy", defaultTop: 100, maxTop: 999, select: true,
    filter: { id: ["eq", "in"], displayName: ["eq", "startswith"], state: ["eq"] },
    orderby: ["displayName", "createdDateTime"],
};

const SCHEMA_ERROR = "1007: Incoming ConditionalAccessPolicy object is null or does not match the schema of ConditionalAccessPolicy type.";

type Kind = "string" | "stringArray" | "any" | { enum: string[] } | { enumArray: string[] } | { obj: Schema };
interface Schema { [k: string]: Kind }

const USERS: Schema = {
    includeUsers: "stringArray", excludeUsers: "stringArray", includeGroups: "stringArray", excludeGroups: "stringArray",
    includeRoles: "stringArray", excludeRoles: "stringArray", includeGuestsOrExternalUsers: "any", excludeGuestsOrExternalUsers: "any",
};
const APPLICATIONS: Schema = {
    includeApplications: "stringArray", excludeApplications: "stringArray", includeUserActions: "stringArray",
    includeAuthenticationContextClassReferences: "stringArray", applicationFilter: "any",
};
const RISK = ["low", "medium", "high", "hidden", "none", "unknownFutureValue"];
const CONDITIONS: Schema = {
    applications: { obj: APPLICATIONS }, users: { obj: USERS },
    clientAppTypes: { enumArray: ["all", "browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "easSupported", "other"] },
    userRiskLevels: { enumArray: RISK }, signInRiskLevels: { enumArray: RISK }, servicePrincipalRiskLevels: { enumArray: RISK },
    insiderRiskLevels: "any", platforms: "any", locations: "any", devices: "any", clientApplications: "any", authenticationFlows: "any",
};
const GRANT: Schema = {
    operator: { enum: ["AND", "OR"] },
    builtInControls: { enumArray: ["block", "mfa", "compliantDevice", "domainJoinedDevice", "approvedApplication", "compliantApplication", "passwordChange", "unknownFutureValue", "riskRemediation"] },
    customAuthenticationFactors: "stringArray", termsOfUse: "stringArray", authenticationStrength: "any",
};
export const CA_POLICY_SCHEMA: Schema = {
    displayName: "string", description: "string", state: { enum: ["enabled", "disabled", "enabledForReportingButNotEnforced"] },
    conditions: { obj: CONDITIONS }, grantControls: { obj: GRANT }, sessionControls: "any",
    // server-set (v1.0 defines them): accepted in a body and ignored, an assumption (docs/lab.md, Limits)
    modifiedDateTime: "any", deletedDateTime: "any",
};
const SERVER_SET = ["modifiedDateTime", "deletedDateTime"];
const READ_ONLY = new Set(["id", "createdDateTime", "templateId"]);

function checkSchema(value: any, schema: Schema, where: string): void {
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw badRequest(`${SCHEMA_ERROR} '${where}' must be an object.`);
    for (const [k, v] of Object.entries(value)) {
        if (k === "@odata.type") continue;
        if (where === "policy" && READ_ONLY.has(k)) throw badRequest(`${SCHEMA_ERROR} Property '${k}' is read-only.`);
        const kind = schema[k];
        if (kind === undefined) throw badRequest(`${SCHEMA_ERROR} Unknown property '${where}.${k}'.`);
        const at = `${where}.${k}`;
        if (kind === "any") continue;
        if (v === null) {
            if (kind === "stringArray" || (typeof kind === "object" && "enumArray" in kind)) throw badRequest(`${SCHEMA_ERROR} '${at}' cannot be null; send [] to clear it.`);
            continue;
        }
        if (kind === "string") { if (typeof v !== "string") throw badRequest(`${SCHEMA_ERROR} '${at}' must be a string.`); continue; }
        if (kind === "stringArray") {
            if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw badRequest(`${SCHEMA_ERROR} '${at}' must be an array of strings.`);
            continue;
        }
        if ("enum" in kind) { if (!kind.enum.includes(v as string)) throw badRequest(`Invalid value '${v}' for '${at}'.`); continue; }
        if ("enumArray" in kind) {
            if (!Array.isArray(v)) throw badRequest(`${SCHEMA_ERROR} '${at}' must be an array.`);
            for (const x of v) if (!kind.enumArray.includes(x)) throw badRequest(`Invalid value '${x}' in '${at}'.`);
            continue;
        }
        checkSchema(v, kind.obj, at);
    }
}

const USER_KEYWORDS = { include: ["All", "None", "GuestsOrExternalUsers"], exclude: ["GuestsOrExternalUsers"] };
const APP_KEYWORDS = ["Office365", "MicrosoftAdminPortals"];

function checkIds(list: unknown, keywords: string[], at: string): void {
    if (!Array.isArray(list)) return;
    for (const x of list) {
        if (isGuid(x) || keywords.includes(x)) continue;
        throw badRequest(`Invalid value '${x}' in '${at}': expected an object id${keywords.length ? ` or one of ${keywords.join(", ")}` : ""}.`);
    }
}

/** Value rules that hold for the stored policy after create or merge. */
function checkPolicy(p: any): void {
    const u = p.conditions?.users, a = p.conditions?.applications;
    if (!u || !a) throw badRequest(`${SCHEMA_ERROR} conditions.users and conditions.applications are required.`);
    checkIds(u.includeUsers, USER_KEYWORDS.include, "conditions.users.includeUsers");
    checkIds(u.excludeUsers, USER_KEYWORDS.exclude, "conditions.users.excludeUsers");
    for (const k of ["includeGroups", "excludeGroups", "includeRoles", "excludeRoles"]) checkIds(u[k], [], `conditions.users.${k}`);
    if ((a.excludeApplications ?? []).includes("All")) throw badRequest("'All' cannot be excluded: conditions.applications.excludeApplications may not contain 'All'.");
    checkIds(a.includeApplications, ["All", "None", ...APP_KEYWORDS], "conditions.applications.includeApplications");
    checkIds(a.excludeApplications, APP_KEYWORDS, "conditions.applications.excludeApplications");
    const includesSomeone = ["includeUsers", "includeGroups", "includeRoles"].some((k) => (u[k] ?? []).length > 0) || u.includeGuestsOrExternalUsers;
    if (!includesSomeone) throw badRequest("conditions.users must include at least one user, group, role or 'All'/'None'.");
    const includesApps = ["includeApplications", "includeUserActions", "includeAuthenticationContextClassReferences"].some((k) => (a[k] ?? []).length > 0) || a.applicationFilter;
    if (!includesApps) throw badRequest("conditions.applications must include applications, user actions or authentication contexts.");
    if (!p.grantControls && !p.sessionControls) throw badRequest("A policy needs grantControls or sessionControls.");
    if (typeof p.displayName !== "string" || p.displayName.trim() === "") throw badRequest("displayName is required.");
}

function withoutServerSet(body: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(body).filter(([k]) => !SERVER_SET.includes(k)));
}

/** Objects merge key by key; arrays, scalars and null replace. */
export function mergePatch(target: any, patch: any): void {
    for (const [k, v] of Object.entries(patch)) {
        if (k === "@odata.type") continue;
        const cur = target[k];
        if (v && typeof v === "object" && !Array.isArray(v) && cur && typeof cur === "object" && !Array.isArray(cur)) mergePatch(cur, v);
        else target[k] = clone(v);
    }
}

function normalize(p: any): any {
    const users = { includeUsers: [], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [], includeGuestsOrExternalUsers: null, excludeGuestsOrExternalUsers: null, ...p.conditions.users };
    const applications = { includeApplications: [], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [], applicationFilter: null, ...p.conditions.applications };
    return {
        id: newGuid(), templateId: null, displayName: p.displayName, description: p.description ?? null,
        createdDateTime: nowIso(), modifiedDateTime: null, deletedDateTime: null, state: p.state,
        sessionControls: p.sessionControls ?? null,
        conditions: {
            userRiskLevels: [], signInRiskLevels: [], clientAppTypes: ["all"], servicePrincipalRiskLevels: [], insiderRiskLevels: null,
            platforms: null, locations: null, devices: null, clientApplications: null, authenticationFlows: null,
            ...p.conditions, users, applications,
        },
        grantControls: p.grantControls ? { operator: "OR", builtInControls: [], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null, ...p.grantControls } : null,
    };
}

function auditPolicy(ctx: RouteContext, activity: string, p: any): void {
    ctx.audit({
        activityDisplayName: activity, category: "Policy",
        targetResources: [{ id: p.id, displayName: p.displayName, type: "Policy", modifiedProperties: [] }],
        initiatedBy: { app: { appId: ctx.claims.appid, displayName: ctx.claims.app_displayname ?? null, servicePrincipalId: ctx.claims.oid, servicePrincipalName: null }, user: null },
    });
}

const BASE = "/identity/conditionalAccess/policies";
const CTX = "identity/conditionalAccess/policies";

export const conditionalAccessRoutes: GraphRoute[] = [
    { method: "GET", version: "v1.0", path: BASE, permissions: READ, throttle: "conditionalAccess", flavor: "directory",
        handler: (ctx) => listResponse(ctx, "v1.0", CTX, ctx.state.policies, SPEC) },
    { method: "GET", version: "v1.0", path: `${BASE}/{id}`, permissions: READ, throttle: "conditionalAccess", flavor: "directory",
        handler: (ctx) => entityResponse(ctx, "v1.0", CTX, mustGet(ctx, "policies", ctx.params.id), 200, SPEC) },
    { method: "POST", version: "v1.0", path: BASE, permissions: WRITE, throttle: "conditionalAccess", flavor: "directory",
        handler: (ctx) => {
            const body = bodyObject(ctx);
            checkSchema(body, CA_POLICY_SCHEMA, "policy");
            if (!body.state) throw badRequest(`${SCHEMA_ERROR} 'state' is required.`);
            const p = normalize(body);
            checkPolicy(p);
            ctx.state.insert("policies", p);
            auditPolicy(ctx, "Add conditional access policy", p);
            return entityResponse(ctx, "v1.0", CTX, p, 201);
        } },
    { method: "PATCH", version: "v1.0", path: `${BASE}/{id}`, permissions: WRITE, throttle: "conditionalAccess", flavor: "directory",
        handler: (ctx) => {
            const stored = mustGet(ctx, "policies", ctx.params.id);
            const body = bodyObject(ctx);
            checkSchema(body, CA_POLICY_SCHEMA, "policy");
            const next = clone(stored);
            mergePatch(next, withoutServerSet(body));
            checkPolicy(next);
            next.modifiedDateTime = nowIso();
            ctx.state.update("policies", stored.id, (e) => Object.assign(e, next));
            auditPolicy(ctx, "Update conditional access policy", next);
            return noContent();
        } },
    { method: "DELETE", version: "v1.0", path: `${BASE}/{id}`, permissions: WRITE, throttle: "conditionalAccess", flavor: "directory",
        handler: (ctx) => {
            const stored = mustGet(ctx, "policies", ctx.params.id);
            ctx.state.remove("policies", stored.id);
            auditPolicy(ctx, "Delete conditional access policy", stored);
            return noContent();
        } },
];
