// beta deviceManagement/deviceConfigurations, custom OMA-URI profiles (windows10CustomConfiguration),
// the known-to-work fallback for HostToRealm (docs/sources.md, Graph §2.3). String OMA values are stored
// encrypted by Intune: reads return `isEncrypted: true`, a masked `value` and a
// `secretReferenceValueId`, so drift cannot be detected by comparing values. The plain-text function
// answers application tokens with either Intune permission and returns {"value": ...}, as its doc
// page gives it (docs-excerpts/passportforwork-securitykey-and-intune-docs.md); the provider does not
// use it (it keeps the hash-in-description design, which needs no read of the secret).
import { badRequest, notFound, unsupported } from "../errors";
import { newGuid, nowIso } from "../ids";
import { json, noContent } from "../http";
import type { QueryOptionsSpec } from "../odata";
import type { GraphRoute } from "../router";
import { bodyObject, clone, entityResponse, listResponse, metadata, mustGet } from "./common";
import { INTUNE_READ, INTUNE_WRITE } from "./configuration-policies";
import { validateAssignments } from "./intune-assignments";

export const MASKED_VALUE = "****";
const CUSTOM = "#microsoft.graph.windows10CustomConfiguration";
const OMA_TYPES: Record<string, (v: unknown) => boolean> = {
    "#microsoft.graph.omaSettingString": (v) => typeof v === "string",
    "#microsoft.graph.omaSettingStringXml": (v) => typeof v === "string",
    "#microsoft.graph.omaSettingInteger": (v) => Number.isInteger(v),
    "#microsoft.graph.omaSettingBoolean": (v) => typeof v === "boolean",
    "#microsoft.graph.omaSettingFloatingPoint": (v) => typeof v === "number",
    "#microsoft.graph.omaSettingBase64": (v) => typeof v === "string",
    "#microsoft.graph.omaSettingDateTime": (v) => typeof v === "string",
};
const ENCRYPTED_TYPES = new Set(["#microsoft.graph.omaSettingString", "#microsoft.graph.omaSettingStringXml"]);
const WRITABLE = new Set(["@odata.type", "displayName", "description", "roleScopeTagIds", "omaSettings", "version"]);
const SPEC: QueryOptionsSpec = {
    resource: "deviceConfiguration", defaultTop: 25, maxTop: 100, select: true,
    filter: { displayName: ["eq", "startswith"], id: ["eq"] },
};
const CTX = "deviceManagement/deviceConfigurations";

function validateOma(list: unknown): any[] {
    if (!Array.isArray(list)) throw badRequest("omaSettings must be an array.");
    return list.map((s: any, i: number) => {
        const where = `omaSettings[${i}]`;
        const type = s?.["@odata.type"];
        if (!(type in OMA_TYPES)) throw badRequest(`${where}: @odata.type '${type}' is not an omaSetting type.`);
        if (typeof s.displayName !== "string" || s.displayName === "") throw badRequest(`${where}.displayName is required.`);
        if (typeof s.omaUri !== "string" || !s.omaUri.startsWith("./")) throw badRequest(`${where}.omaUri must start with './'.`);
        if (!OMA_TYPES[type](s.value)) throw badRequest(`${where}.value does not fit ${type}.`);
        const encrypted = ENCRYPTED_TYPES.has(type);
        return {
            "@odata.type": type, displayName: s.displayName, description: s.description ?? null, omaUri: s.omaUri,
            // a new secret reference whenever a value is (re)written, like the service
            secretReferenceValueId: encrypted ? newGuid() : null, isEncrypted: encrypted, value: s.value,
        };
    });
}

function checkKeys(body: Record<string, any>): void {
    for (const k of Object.keys(body)) {
        if (!WRITABLE.has(k)) throw badRequest(`The property '${k}' does not exist on type '${CUSTOM.slice(1)}' or is read-only.`);
    }
}

/** The wire form: encrypted values masked. */
function render(d: any): any {
    const { assignments: _a, ...rest } = clone(d);
    rest.omaSettings = rest.omaSettings.map((s: any) => (s.isEncrypted ? { ...s, value: MASKED_VALUE } : s));
    return rest;
}

const BASE = "/deviceManagement/deviceConfigurations";
const intune = (r: Omit<GraphRoute, "version" | "flavor" | "throttle">): GraphRoute => ({ ...r, version: "beta", flavor: "intune", throttle: "deviceConfigurations" });

export const deviceConfigurationRoutes: GraphRoute[] = [
    intune({ method: "GET", path: BASE, permissions: INTUNE_READ,
        handler: (ctx) => listResponse(ctx, "beta", CTX, ctx.state.deviceConfigurations, SPEC, render) }),
    intune({ method: "POST", path: BASE, permissions: INTUNE_WRITE,
        handler: (ctx) => {
            const body = bodyObject(ctx);
            checkKeys(body);
            if (body["@odata.type"] !== CUSTOM) throw badRequest(`@odata.type must be '${CUSTOM}' (got '${body["@odata.type"]}').`);
            if (typeof body.displayName !== "string" || body.displayName.trim() === "") throw badRequest("displayName is required.");
            const now = nowIso();
            const d = {
                "@odata.type": CUSTOM, id: newGuid(), lastModifiedDateTime: now, createdDateTime: now, roleScopeTagIds: body.roleScopeTagIds ?? ["0"],
                supportsScopeTags: true, deviceManagementApplicabilityRuleOsEdition: null, deviceManagementApplicabilityRuleOsVersion: null,
                deviceManagementApplicabilityRuleDeviceMode: null, description: body.description ?? null, displayName: body.displayName, version: 1,
                omaSettings: validateOma(body.omaSettings ?? []), assignments: [] as any[],
            };
            ctx.state.insert("deviceConfigurations", d);
            return entityResponse(ctx, "beta", CTX, render(d), 201);
        } }),
    intune({ method: "GET", path: `${BASE}/{id}`, permissions: INTUNE_READ,
        handler: (ctx) => {
            const d = mustGet(ctx, "deviceConfigurations", ctx.params.id);
            // $expand=assignments inlines the assignment set, as Graph does (the only navigation this entity expands here)
            const expand = (ctx.req.query.get("$expand") ?? "").split(",").map((x) => x.trim().toLowerCase()).filter(Boolean);
            for (const e of expand) if (e !== "assignments") throw unsupported(`Could not find a property named '${e}' to expand on 'deviceConfiguration'.`);
            const body = render(d);
            if (expand.length) body.assignments = clone(d.assignments);
            return entityResponse(ctx, "beta", expand.length ? `${CTX}(assignments())` : CTX, body, 200, { ...SPEC, expand: ["assignments"] });
        } }),
    intune({ method: "PATCH", path: `${BASE}/{id}`, permissions: INTUNE_WRITE,
        handler: (ctx) => {
            const d = mustGet(ctx, "deviceConfigurations", ctx.params.id);
            const body = bodyObject(ctx);
            checkKeys(body);
            // Graph needs the derived type to deserialize a PATCH of a deviceConfiguration
            if (body["@odata.type"] !== d["@odata.type"]) throw badRequest(`@odata.type '${d["@odata.type"]}' is required in a PATCH of this deviceConfiguration (got '${body["@odata.type"]}').`);
            const patch: any = {};
            if (body.displayName !== undefined) {
                if (typeof body.displayName !== "string" || body.displayName.trim() === "") throw badRequest("displayName must be a non-empty string.");
                patch.displayName = body.displayName;
            }
            if (body.description !== undefined) patch.description = body.description;
            if (body.roleScopeTagIds !== undefined) patch.roleScopeTagIds = body.roleScopeTagIds;
            if (body.omaSettings !== undefined) patch.omaSettings = validateOma(body.omaSettings); // collection replaced, not merged
            ctx.state.update("deviceConfigurations", d.id, (e) => Object.assign(e, patch, { lastModifiedDateTime: nowIso(), version: e.version + 1 }));
            return noContent();
        } }),
    intune({ method: "DELETE", path: `${BASE}/{id}`, permissions: INTUNE_WRITE,
        handler: (ctx) => {
            const d = mustGet(ctx, "deviceConfigurations", ctx.params.id);
            ctx.state.remove("deviceConfigurations", d.id);
            return noContent();
        } }),
    intune({ method: "POST", path: `${BASE}/{id}/assign`, permissions: INTUNE_WRITE,
        handler: (ctx) => {
            const d = mustGet(ctx, "deviceConfigurations", ctx.params.id);
            const assignments = validateAssignments(bodyObject(ctx), d.id, () => ({ "@odata.type": "#microsoft.graph.deviceConfigurationAssignment", source: "direct", sourceId: d.id, intent: "apply" }));
            ctx.state.update("deviceConfigurations", d.id, (e) => { e.assignments = assignments; });
            return json(200, { "@odata.context": metadata(ctx, "beta", "Collection(microsoft.graph.deviceConfigurationAssignment)"), value: clone(assignments) });
        } }),
    intune({ method: "GET", path: `${BASE}/{id}/assignments`, permissions: INTUNE_READ,
        handler: (ctx) => {
            const d = mustGet(ctx, "deviceConfigurations", ctx.params.id);
            return listResponse(ctx, "beta", `${CTX}('${d.id}')/assignments`, d.assignments, { resource: "deviceConfigurationAssignment", defaultTop: 100, maxTop: 1000 });
        } }),
    intune({ method: "GET", path: `${BASE}/{id}/getOmaSettingPlainTextValue(secretReferenceValueId='{ref}')`, permissions: INTUNE_READ,
        handler: (ctx) => {
            const d = mustGet(ctx, "deviceConfigurations", ctx.params.id);
            const s = d.omaSettings.find((o: any) => o.secretReferenceValueId !== null && o.secretReferenceValueId === ctx.params.ref);
            // assumption (docs/lab.md, Limits): an unknown reference is a 404
            if (!s) throw notFound(`No OMA setting of ${d.id} has the secret reference '${ctx.params.ref}'.`);
            return json(200, { "@odata.context": metadata(ctx, "beta", "Edm.String"), value: s.value });
        } }),
];
