// v1.0 policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2: the tenant's
// FIDO2 (passkey) method configuration, a singleton that always exists. Sources:
//  - shape: the v1.0 CSDL (fido2AuthenticationMethodConfiguration, authenticationMethodConfiguration,
//    passkeyAuthenticationMethodTarget, excludeTarget, fido2KeyRestrictions and their enums; checked
//    by test/contract/artefacts/emulator-schema.test.ts);
//  - methods: Get, and Update answering "None" (204), per
//    https://learn.microsoft.com/en-us/graph/api/resources/fido2authenticationmethodconfiguration?view=graph-rest-1.0
//  - permissions: https://learn.microsoft.com/en-us/graph/api/fido2authenticationmethodconfiguration-update?view=graph-rest-1.0
//    (Policy.ReadWrite.AuthenticationMethod; reads also with Policy.Read.All).
// Assumptions (docs/lab.md, Limits): PATCH replaces every collection it carries (includeTargets,
// excludeTargets, keyRestrictions.aaGuids) as a whole, like every other Graph PATCH of a collection;
// the wording of refusals; group ids in targets are not checked against the directory.
import { badRequest, notFound } from "../errors";
import { isGuid } from "../ids";
import { noContent } from "../http";
import type { GraphRoute, RouteContext } from "../router";
import { bodyObject, clone, entityResponse } from "./common";

const READ = [["Policy.Read.All"], ["Policy.ReadWrite.AuthenticationMethod"]];
const WRITE = [["Policy.ReadWrite.AuthenticationMethod"]];

export const FIDO2_ID = "Fido2";
const ODATA_TYPE = "#microsoft.graph.fido2AuthenticationMethodConfiguration";
const TARGET_TYPE = "#microsoft.graph.passkeyAuthenticationMethodTarget";
const TARGET_TYPES = ["user", "group", "unknownFutureValue"];
const STATES = ["enabled", "disabled"];
const ENFORCEMENT = ["allow", "block", "unknownFutureValue"];
/** Graph's own target meaning every user (the default include target of a fresh tenant). */
const ALL_USERS = "all_users";

/** The properties of fido2AuthenticationMethodConfiguration in the v1.0 CSDL (with its base types). */
export const FIDO2_PROPERTIES = [
    "id", "state", "excludeTargets", "defaultPasskeyProfile", "isAttestationEnforced", "isSelfServiceRegistrationAllowed",
    "keyRestrictions", "includeTargets", "passkeyProfiles",
];
/** passkeyAuthenticationMethodTarget (authenticationMethodTarget, entity) */
export const TARGET_PROPERTIES = ["id", "targetType", "isRegistrationRequired", "allowedPasskeyProfiles"];
export const EXCLUDE_TARGET_PROPERTIES = ["id", "targetType"];
export const KEY_RESTRICTION_PROPERTIES = ["aaGuids", "enforcementType", "isEnforced"];
/** The properties this route stores and returns; passkeyProfiles (a navigation property the provider never uses) is refused. */
const WRITABLE = ["state", "excludeTargets", "isAttestationEnforced", "isSelfServiceRegistrationAllowed", "keyRestrictions", "includeTargets"];

function invalid(message: string): never {
    throw badRequest(`Invalid request body: ${message}`);
}

function knownKeys(o: Record<string, unknown>, known: readonly string[], where: string): void {
    for (const k of Object.keys(o)) {
        if (k === "@odata.type" || k.endsWith("@odata.context")) continue;
        if (!known.includes(k)) invalid(`the property '${k}' does not exist on type '${where}'.`);
    }
}

function isObject(v: unknown): v is Record<string, any> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkTarget(t: unknown, at: string, properties: readonly string[], type: string): void {
    if (!isObject(t)) invalid(`'${at}' must be an object.`);
    knownKeys(t, properties, type);
    if (typeof t.id !== "string" || !(isGuid(t.id) || t.id === ALL_USERS)) invalid(`'${at}.id' must be an object id or '${ALL_USERS}'.`);
    if (!TARGET_TYPES.includes(t.targetType)) invalid(`'${at}.targetType' must be one of ${TARGET_TYPES.join(", ")}.`);
    if ("isRegistrationRequired" in t && typeof t.isRegistrationRequired !== "boolean") invalid(`'${at}.isRegistrationRequired' must be a boolean.`);
    if ("allowedPasskeyProfiles" in t && !(Array.isArray(t.allowedPasskeyProfiles) && t.allowedPasskeyProfiles.every(isGuid))) {
        invalid(`'${at}.allowedPasskeyProfiles' must be a collection of GUIDs.`);
    }
}

function checkBody(body: Record<string, any>): void {
    const type = body["@odata.type"];
    if (type !== undefined && type !== ODATA_TYPE) invalid(`'@odata.type' is '${type}', expected '${ODATA_TYPE}'.`);
    knownKeys(body, FIDO2_PROPERTIES, "microsoft.graph.fido2AuthenticationMethodConfiguration");
    for (const k of Object.keys(body)) {
        if (k === "id" && String(body.id).toLowerCase() !== FIDO2_ID.toLowerCase()) invalid("'id' cannot be changed.");
        if (!["@odata.type", "id", ...WRITABLE].includes(k) && !k.endsWith("@odata.context")) invalid(`'${k}' cannot be written by this route.`);
    }
    if ("state" in body && !STATES.includes(body.state)) invalid(`'state' must be one of ${STATES.join(", ")}.`);
    for (const k of ["isAttestationEnforced", "isSelfServiceRegistrationAllowed"]) {
        if (k in body && body[k] !== null && typeof body[k] !== "boolean") invalid(`'${k}' must be a boolean.`);
    }
    for (const [k, props, t] of [["includeTargets", TARGET_PROPERTIES, "microsoft.graph.passkeyAuthenticationMethodTarget"], ["excludeTargets", EXCLUDE_TARGET_PROPERTIES, "microsoft.graph.excludeTarget"]] as const) {
        if (!(k in body)) continue;
        // includeTargets is Nullable (a navigation collection), excludeTargets on this type too: [] clears them, null is refused
        if (!Array.isArray(body[k])) invalid(`'${k}' must be a collection.`);
        const seen = new Set<string>();
        body[k].forEach((x: unknown, i: number) => {
            checkTarget(x, `${k}[${i}]`, props, t);
            const id = String((x as any).id).toLowerCase();
            if (seen.has(id)) invalid(`'${k}' holds the target '${(x as any).id}' twice.`);
            seen.add(id);
        });
    }
    if ("keyRestrictions" in body && body.keyRestrictions !== null) {
        const r = body.keyRestrictions;
        if (!isObject(r)) invalid("'keyRestrictions' must be an object.");
        knownKeys(r, KEY_RESTRICTION_PROPERTIES, "microsoft.graph.fido2KeyRestrictions");
        if ("aaGuids" in r && !(Array.isArray(r.aaGuids) && r.aaGuids.every((g: unknown) => typeof g === "string"))) invalid("'keyRestrictions.aaGuids' must be a collection of strings.");
        if ("enforcementType" in r && r.enforcementType !== null && !ENFORCEMENT.includes(r.enforcementType)) invalid(`'keyRestrictions.enforcementType' must be one of ${ENFORCEMENT.join(", ")}.`);
        if ("isEnforced" in r && r.isEnforced !== null && typeof r.isEnforced !== "boolean") invalid("'keyRestrictions.isEnforced' must be a boolean.");
    }
}

/** The stored configuration; every route answers 404 if a seed left it out (a real tenant always has it). */
function stored(ctx: RouteContext): any {
    const e = ctx.state.get("authenticationMethodConfigurations", FIDO2_ID);
    if (!e) throw notFound("Resource 'Fido2' does not exist.");
    return e;
}

/** The wire form: @odata.type first, the targets typed as the CSDL's passkeyAuthenticationMethodTarget. */
function render(ctx: RouteContext, e: any): any {
    return {
        "@odata.type": ODATA_TYPE, ...clone(e),
        "includeTargets@odata.context": `${ctx.req.origin}/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations('${FIDO2_ID}')/microsoft.graph.fido2AuthenticationMethodConfiguration/includeTargets`,
        includeTargets: e.includeTargets.map((t: any) => ({ "@odata.type": TARGET_TYPE, ...clone(t) })),
    };
}

/** Stored targets carry every property of their type (isRegistrationRequired is Nullable="false"). */
function normalizeTarget(t: any): any {
    return { id: t.id, targetType: t.targetType, isRegistrationRequired: t.isRegistrationRequired ?? false, allowedPasskeyProfiles: t.allowedPasskeyProfiles ?? [] };
}

const PATH = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{id}";
const CTX = "policies/authenticationMethodsPolicy/authenticationMethodConfigurations";

function fido2Only(ctx: RouteContext): void {
    // the route serves only the FIDO2 configuration; ids are matched case-insensitively like the rest of Graph
    if (ctx.params.id.toLowerCase() !== FIDO2_ID.toLowerCase()) throw notFound(`Resource '${ctx.params.id}' does not exist.`);
}

export const authenticationMethodRoutes: GraphRoute[] = [
    { method: "GET", version: "v1.0", path: PATH, permissions: READ, flavor: "directory",
        handler: (ctx) => { fido2Only(ctx); return entityResponse(ctx, "v1.0", CTX, render(ctx, stored(ctx))); } },
    { method: "PATCH", version: "v1.0", path: PATH, permissions: WRITE, flavor: "directory",
        handler: (ctx) => {
            fido2Only(ctx);
            const current = stored(ctx);
            const body = bodyObject(ctx);
            checkBody(body);
            ctx.state.update("authenticationMethodConfigurations", current.id, (e) => {
                for (const k of WRITABLE) {
                    if (!(k in body)) continue; // properties left out keep their values
                    if (k === "includeTargets") e.includeTargets = body.includeTargets.map(normalizeTarget);
                    else if (k === "keyRestrictions" && body.keyRestrictions !== null) e.keyRestrictions = { ...e.keyRestrictions, ...clone(body.keyRestrictions) };
                    else e[k] = clone(body[k]);
                }
            });
            ctx.audit({
                activityDisplayName: "Authentication Methods Policy Update", category: "Policy",
                targetResources: [{ id: current.id, displayName: "Fido2", type: "Policy", modifiedProperties: [] }],
                initiatedBy: { app: { appId: ctx.claims.appid, displayName: ctx.claims.app_displayname ?? null, servicePrincipalId: ctx.claims.oid, servicePrincipalName: null }, user: null },
            });
            return noContent();
        } },
];

/** A tenant's configuration as the lab seeds it; `includeTargets` already holds someone else's target. */
export function fido2Configuration(includeTargets: { id: string; targetType: string; isRegistrationRequired?: boolean }[]): any {
    return {
        id: FIDO2_ID, state: "enabled", excludeTargets: [], defaultPasskeyProfile: null,
        isAttestationEnforced: false, isSelfServiceRegistrationAllowed: true,
        keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
        includeTargets: includeTargets.map(normalizeTarget),
    };
}
