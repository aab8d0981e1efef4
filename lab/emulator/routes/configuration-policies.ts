// beta deviceManagement/configurationPolicies (settings catalog) and configurationSettings
// (definitions), per docs/sources.md, Graph §1 and §3: POST 201 with server-filled fields, GET with
// $expand=settings,assignments, settings paged at 25, PUT replaces the whole policy (204), PATCH
// changes name/description/scope tags only (settings in a PATCH are refused with the service's
// 400), POST /assign replaces the assignment set. Sources per behaviour: docs/lab.md, Limits.
import { badRequest, notFound, unsupported } from "../errors";
import { newGuid, nowIso } from "../ids";
import { json, noContent } from "../http";
import { checkQueryOptions, page, type QueryOptionsSpec } from "../odata";
import { anyOf, type GraphRoute, type RouteContext } from "../router";
import type { EmulatorResponse } from "../types";
import { renderInstance, validateSettings } from "../settings-validation";
import { bodyObject, clone, entityResponse, listResponse, metadata, mustGet } from "./common";
import { validateAssignments } from "./intune-assignments";

// docs/sources.md, Graph §5: DeviceManagementConfiguration.ReadWrite.All; read-only: ...Read.All.
export const INTUNE_READ = anyOf("DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All");
export const INTUNE_WRITE = anyOf("DeviceManagementConfiguration.ReadWrite.All");

const POLICY_SPEC: QueryOptionsSpec = {
    resource: "deviceManagementConfigurationPolicy", defaultTop: 25, maxTop: 100, select: true,
    filter: { name: ["eq", "startswith"], platforms: ["eq"] },
    orderby: ["name", "lastModifiedDateTime"],
    expand: ["settings", "assignments"],
};
const DEF_SPEC: QueryOptionsSpec = {
    resource: "deviceManagementConfigurationSettingDefinition", defaultTop: 100, maxTop: 1000, select: true,
    filter: { id: ["eq", "startswith", "contains"], displayName: ["eq", "startswith", "contains"], rootDefinitionId: ["eq"], name: ["eq"] },
};
const SETTINGS_PAGE = { defaultTop: 25, maxTop: 25 };

const PLATFORMS = ["android", "androidEnterprise", "iOS", "macOS", "windows10", "windows10X", "linux", "aosp", "unknownFutureValue"];
const WRITABLE = new Set(["@odata.type", "name", "description", "platforms", "technologies", "roleScopeTagIds", "templateReference", "settings", "priorityMetaData"]);
const READ_ONLY = new Set(["id", "createdDateTime", "lastModifiedDateTime", "settingCount", "isAssigned", "creationSource", "assignments"]);
const CTX = "deviceManagement/configurationPolicies";

function render(p: any): any {
    const { settings: _s, assignments: _a, ...rest } = p;
    return clone(rest);
}

/**
 * Intune's list page carries @odata.count without $count being asked for, and counts the page's own
 * items (100 on a $top=100 page that has a nextLink): peer-mocks/captured-intune-portal-
 * configurationPolicies-list-page.json, a page captured from a real tenant. Key order as there.
 */
function withPageCount(res: EmulatorResponse): EmulatorResponse {
    const { "@odata.context": context, "@odata.count": _asked, value, ...links } = res.body as Record<string, any>;
    return { ...res, body: { "@odata.context": context, "@odata.count": value.length, ...links, value } };
}

function expandList(ctx: RouteContext): string[] {
    const e = ctx.req.query.get("$expand");
    if (!e) return [];
    const parts = e.split(",").map((x) => x.trim().toLowerCase()).filter(Boolean);
    for (const p of parts) if (!["settings", "assignments"].includes(p)) throw unsupported(`Could not find a property named '${p}' to expand on '${POLICY_SPEC.resource}'.`);
    return parts;
}

function lookupDef(ctx: RouteContext) {
    return (id: string) => ctx.state.configurationSettings.find((d) => d.id === id);
}

/** Validates a POST/PUT body and returns the policy fields it sets (settings validated against definitions). */
function validatePolicyBody(ctx: RouteContext, body: Record<string, any>, pathId?: string) {
    for (const k of Object.keys(body)) {
        if (k === "id" && pathId && String(body.id).toLowerCase() === pathId.toLowerCase()) continue;
        if (READ_ONLY.has(k)) throw badRequest(`Property '${k}' is read-only and cannot be set.`);
        if (!WRITABLE.has(k) && !k.endsWith("@odata.type")) throw badRequest(`The property '${k}' does not exist on type 'microsoft.graph.deviceManagementConfigurationPolicy'.`);
    }
    if (body["@odata.type"] !== undefined && body["@odata.type"] !== "#microsoft.graph.deviceManagementConfigurationPolicy") {
        throw badRequest(`@odata.type '${body["@odata.type"]}' is not '#microsoft.graph.deviceManagementConfigurationPolicy'`);
    }
    if (typeof body.name !== "string" || body.name.trim() === "") throw badRequest("name is required.");
    if (body.description !== undefined && body.description !== null && typeof body.description !== "string") throw badRequest("description must be a string.");
    if (!PLATFORMS.includes(body.platforms)) throw badRequest(`platforms must be one of ${PLATFORMS.join(", ")}.`);
    if (typeof body.technologies !== "string" || body.technologies === "") throw badRequest("technologies is required (e.g. 'mdm').");
    const roleScopeTagIds = body.roleScopeTagIds ?? ["0"];
    if (!Array.isArray(roleScopeTagIds) || roleScopeTagIds.some((x: unknown) => typeof x !== "string")) throw badRequest("roleScopeTagIds must be an array of strings.");
    const templateId = body.templateReference?.templateId ?? "";
    if (templateId !== "" && templateId !== null) throw badRequest(`templateReference.templateId '${templateId}': template-based policies are not supported here; use templateId "".`);
    const settings = validateSettings(body.settings, lookupDef(ctx));
    const usesWindowsMdm = settings.length > 0;
    if (usesWindowsMdm && (body.platforms !== "windows10" || !String(body.technologies).split(",").includes("mdm"))) {
        throw badRequest("The settings are not applicable to this platform/technologies combination (they need platforms 'windows10' and technologies 'mdm').");
    }
    return {
        name: body.name,
        description: body.description ?? "",
        platforms: body.platforms,
        technologies: body.technologies,
        roleScopeTagIds,
        templateReference: { templateId: "", templateFamily: "none", templateDisplayName: null, templateDisplayVersion: null },
        settings,
        settingCount: settings.length,
    };
}

function renderSetting(s: any) {
    return { id: s.id, settingInstance: renderInstance(s.settingInstance) };
}

function definitionsUsed(ctx: RouteContext, inst: any): any[] {
    const ids = new Set<string>();
    const walk = (i: any) => {
        ids.add(i.settingDefinitionId);
        (i.choiceSettingValue?.children ?? []).forEach(walk);
        for (const g of i.groupSettingCollectionValue ?? []) (g.children ?? []).forEach(walk);
    };
    walk(inst);
    return [...ids].map((id) => lookupDef(ctx)(id)).filter(Boolean);
}

const BASE = "/deviceManagement/configurationPolicies";
const intune = (r: Omit<GraphRoute, "version" | "flavor" | "throttle">): GraphRoute => ({ ...r, version: "beta", flavor: "intune", throttle: "intune" });

export const configurationPolicyRoutes: GraphRoute[] = [
    intune({ method: "GET", path: BASE, permissions: INTUNE_READ,
        handler: (ctx) => {
            if (ctx.req.query.has("$expand")) throw unsupported("$expand is not supported when listing configuration policies; GET the policy by id.");
            return withPageCount(listResponse(ctx, "beta", CTX, ctx.state.configurationPolicies, { ...POLICY_SPEC, expand: [] }, render));
        } }),
    intune({ method: "POST", path: BASE, permissions: INTUNE_WRITE,
        handler: (ctx) => {
            const fields = validatePolicyBody(ctx, bodyObject(ctx));
            const now = nowIso();
            const p = { id: newGuid(), createdDateTime: now, lastModifiedDateTime: now, creationSource: null, isAssigned: false, priorityMetaData: null, ...fields, assignments: [] };
            ctx.state.insert("configurationPolicies", p);
            return entityResponse(ctx, "beta", CTX, render(p), 201);
        } }),
    intune({ method: "GET", path: `${BASE}/{id}`, permissions: INTUNE_READ,
        handler: (ctx) => {
            const p = mustGet(ctx, "configurationPolicies", ctx.params.id);
            checkQueryOptions(ctx.req, POLICY_SPEC, false);
            const expand = expandList(ctx);
            const body: any = { "@odata.context": metadata(ctx, "beta", `${expand.length ? `${CTX}(${expand.map((e) => `${e}()`).join(",")})` : CTX}/$entity`), ...render(p) };
            if (expand.includes("assignments")) body.assignments = clone(p.assignments);
            if (expand.includes("settings")) body.settings = p.settings.map(renderSetting);
            return json(200, body);
        } }),
    intune({ method: "PUT", path: `${BASE}/{id}`, permissions: INTUNE_WRITE,
        handler: (ctx) => {
            const p = mustGet(ctx, "configurationPolicies", ctx.params.id);
            const fields = validatePolicyBody(ctx, bodyObject(ctx), p.id);
            ctx.state.update("configurationPolicies", p.id, (e) => Object.assign(e, fields, { lastModifiedDateTime: nowIso() }));
            return noContent();
        } }),
    intune({ method: "PATCH", path: `${BASE}/{id}`, permissions: INTUNE_WRITE,
        handler: (ctx) => {
            const p = mustGet(ctx, "configurationPolicies", ctx.params.id);
            const body = bodyObject(ctx);
            const patch: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(body)) {
                if (k === "name" || k === "description") {
                    if (typeof v !== "string" || (k === "name" && v.trim() === "")) throw badRequest(`${k} must be a non-empty string.`);
                    patch[k] = v;
                } else if (k === "roleScopeTagIds") {
                    if (!Array.isArray(v)) throw badRequest("roleScopeTagIds must be an array of strings.");
                    patch[k] = v;
                } else if (k === "settings") {
                    // the real 400 quoted in docs-excerpts/passportforwork-securitykey-and-intune-docs.md
                    // (deploymenttheory/terraform-provider-microsoft365 #2488): settings need PUT
                    throw badRequest("Cannot apply PATCH to navigation property 'settings' on entity type 'microsoft.management.services.api.deviceManagementConfigurationPolicy'.");
                } else if (k.endsWith("@odata.type") || k === "platforms" || k === "technologies" || k === "templateReference") {
                    // assumption (docs/lab.md, Limits): not changed by PATCH, and ignored rather than refused
                } else {
                    throw badRequest(`The property '${k}' does not exist on type 'microsoft.graph.deviceManagementConfigurationPolicy' or cannot be patched.`);
                }
            }
            ctx.state.update("configurationPolicies", p.id, (e) => Object.assign(e, patch, { lastModifiedDateTime: nowIso() }));
            return noContent();
        } }),
    intune({ method: "DELETE", path: `${BASE}/{id}`, permissions: INTUNE_WRITE,
        handler: (ctx) => {
            const p = mustGet(ctx, "configurationPolicies", ctx.params.id);
            ctx.state.remove("configurationPolicies", p.id);
            return noContent();
        } }),
    intune({ method: "GET", path: `${BASE}/{id}/settings`, permissions: INTUNE_READ,
        handler: (ctx) => {
            const p = mustGet(ctx, "configurationPolicies", ctx.params.id);
            const exp = ctx.req.query.get("$expand");
            if (exp !== null && exp.trim().toLowerCase() !== "settingdefinitions") throw unsupported(`Could not find a property named '${exp}' to expand.`);
            checkQueryOptions(ctx.req, { resource: "deviceManagementConfigurationSetting", expand: ["settingDefinitions"] }, true);
            const pg = page(p.settings, ctx.req, SETTINGS_PAGE);
            const body: any = { "@odata.context": metadata(ctx, "beta", `${CTX}('${p.id}')/settings`) };
            if (pg.nextLink) body["@odata.nextLink"] = pg.nextLink;
            body.value = pg.value.map((s: any) => (exp ? { ...renderSetting(s), settingDefinitions: definitionsUsed(ctx, s.settingInstance) } : renderSetting(s)));
            return json(200, body);
        } }),
    intune({ method: "GET", path: `${BASE}/{id}/assignments`, permissions: INTUNE_READ,
        handler: (ctx) => {
            const p = mustGet(ctx, "configurationPolicies", ctx.params.id);
            return listResponse(ctx, "beta", `${CTX}('${p.id}')/assignments`, p.assignments, { resource: "deviceManagementConfigurationPolicyAssignment", defaultTop: 100, maxTop: 1000 });
        } }),
    intune({ method: "POST", path: `${BASE}/{id}/assign`, permissions: INTUNE_WRITE,
        handler: (ctx) => {
            const p = mustGet(ctx, "configurationPolicies", ctx.params.id);
            const assignments = validateAssignments(bodyObject(ctx), p.id, () => ({ source: "direct", sourceId: p.id }));
            ctx.state.update("configurationPolicies", p.id, (e) => {
                e.assignments = assignments;
                e.isAssigned = assignments.length > 0;
                e.lastModifiedDateTime = nowIso();
            });
            return json(200, { "@odata.context": metadata(ctx, "beta", "Collection(microsoft.graph.deviceManagementConfigurationPolicyAssignment)"), value: clone(assignments) });
        } }),
    intune({ method: "GET", path: "/deviceManagement/configurationSettings", permissions: INTUNE_READ,
        handler: (ctx) => listResponse(ctx, "beta", "deviceManagement/configurationSettings", ctx.state.configurationSettings, DEF_SPEC) }),
    intune({ method: "GET", path: "/deviceManagement/configurationSettings/{id}", permissions: INTUNE_READ,
        handler: (ctx) => {
            const d = ctx.state.configurationSettings.find((x) => x.id.toLowerCase() === ctx.params.id.toLowerCase());
            if (!d) throw notFound(`Setting definition '${ctx.params.id}' was not found.`);
            return entityResponse(ctx, "beta", "deviceManagement/configurationSettings", d, 200, DEF_SPEC);
        } }),
];
