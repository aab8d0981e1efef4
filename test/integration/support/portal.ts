// "Portal-style" edits for drift tests: what an admin clicking in Intune would change, made through
// plain Graph calls with the lab app (GET the whole policy, change it, PUT it back; /assign with the
// changed set), independent of the reconcilers under test.
import { graphListAll, graphRequest, type GraphClient } from "../../../provider/graph";

const POLICIES = "/deviceManagement/configurationPolicies";
const PROFILES = "/deviceManagement/deviceConfigurations";

/** GET with settings, mutate the settings array, PUT the whole policy back (as the portal does). */
export async function editPolicySettings(gc: GraphClient, id: string, mutate: (settings: any[]) => any[]): Promise<void> {
    const p = await graphRequest(gc, { method: "GET", version: "beta", path: `${POLICIES}/${id}`, query: { $expand: "settings" } });
    const settings = mutate(p.settings.map((s: any) => ({ "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting", settingInstance: strip(s.settingInstance) })));
    await graphRequest(gc, {
        method: "PUT", version: "beta", path: `${POLICIES}/${id}`,
        body: { name: p.name, description: p.description, platforms: p.platforms, technologies: p.technologies, roleScopeTagIds: p.roleScopeTagIds, templateReference: { templateId: "" }, settings },
    });
}

export async function renamePolicy(gc: GraphClient, id: string, patch: { name?: string; description?: string }): Promise<void> {
    await graphRequest(gc, { method: "PATCH", version: "beta", path: `${POLICIES}/${id}`, body: patch });
}

/** Reads the current targets, lets the test change them, and assigns the result. */
export async function editAssignments(gc: GraphClient, kind: "policy" | "profile", id: string, mutate: (targets: any[]) => any[]): Promise<void> {
    const base = kind === "policy" ? POLICIES : PROFILES;
    const current = await graphListAll(gc, { version: "beta", path: `${base}/${id}/assignments` });
    const targets = mutate(current.map((a: any) => a.target));
    await graphRequest(gc, { method: "POST", version: "beta", path: `${base}/${id}/assign`, body: { assignments: targets.map((target) => ({ target })) } });
}

export async function patchProfile(gc: GraphClient, id: string, body: Record<string, unknown>): Promise<void> {
    await graphRequest(gc, { method: "PATCH", version: "beta", path: `${PROFILES}/${id}`, body: { "@odata.type": "#microsoft.graph.windows10CustomConfiguration", ...body } });
}

export async function deleteItem(gc: GraphClient, kind: "policy" | "profile", id: string): Promise<void> {
    await graphRequest(gc, { method: "DELETE", version: "beta", path: `${kind === "policy" ? POLICIES : PROFILES}/${id}` });
}

export async function policiesNamed(gc: GraphClient, name: string): Promise<any[]> {
    return (await graphListAll(gc, { version: "beta", path: POLICIES, query: { $filter: `name eq '${name.replace(/'/g, "''")}'` } })).filter((p) => p.name === name);
}

export async function profilesNamed(gc: GraphClient, name: string): Promise<any[]> {
    return (await graphListAll(gc, { version: "beta", path: PROFILES, query: { $filter: `displayName eq '${name.replace(/'/g, "''")}'` } })).filter((p) => p.displayName === name);
}

/** A setting instance as read, without the read-only annotations, ready to be sent back. */
function strip(v: any): any {
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v !== "object" || v === null) return v;
    const out: any = {};
    for (const [k, x] of Object.entries(v)) {
        if (k.endsWith("@odata.type") && k !== "@odata.type") continue;
        if ((k === "settingInstanceTemplateReference" || k === "settingValueTemplateReference") && x === null) continue;
        out[k] = strip(x);
    }
    return out;
}
