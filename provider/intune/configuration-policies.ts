// Settings catalog policies over Graph beta (docs/sources.md, Graph §3): create (POST, 201), read with
// $expand=settings,assignments and every settings page, update by PUT of the whole policy (204,
// settings replaced wholesale), /assign (replaces the set), /assignments, delete.
import { ProviderError } from "../core/errors";
import { graphListAll, graphRequest, graphRequestRaw, graphRequestUrl, type GraphClient } from "../graph";
import type { PolicyBody } from "./settings-catalog";
import { settledIntuneRead } from "./settled";

const BASE = "/deviceManagement/configurationPolicies";

export interface ObservedPolicy {
    id: string;
    name: string;
    description: string;
    roleScopeTagIds: string[];
    /** "" for a policy made in the settings catalog; a template's id for one made from a template */
    templateId: string;
    settingCount: number;
    lastModifiedDateTime: string;
    /** every setting, all pages */
    // any: Graph's configurationPolicy settings and assignments JSON, passed through as read
    settings: any[];
    /** as read from /assignments */
    assignments: any[];
}

export interface PolicySummary {
    id: string;
    name: string;
    description: string | null;
}

const odataString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const isNotFound = (e: unknown) => (e as { httpStatus?: number })?.httpStatus === 404;

export async function findPoliciesByName(gc: GraphClient, name: string, description: string): Promise<PolicySummary[]> {
    const found = await graphListAll<any>(gc, {
        version: "beta", path: BASE, query: { $filter: `name eq ${odataString(name)}`, $select: "id,name,description" },
        description: `${description}: look for existing policies named "${name}"`,
    });
    // the service filter is case-insensitive; Intune names are not unique either way, so compare exactly
    return found.filter((p) => p.name === name).map((p) => ({ id: String(p.id), name: p.name, description: p.description ?? null }));
}

export async function createPolicy(gc: GraphClient, body: PolicyBody, description: string): Promise<string> {
    const created = await graphRequest(gc, { method: "POST", version: "beta", path: BASE, body, description: `${description}: create policy` });
    return String(created.id);
}

/** The whole policy once consecutive reads agree (settled.ts), or undefined when it does not exist. */
export function readPolicy(gc: GraphClient, id: string, description: string): Promise<ObservedPolicy | undefined> {
    return settledIntuneRead(`${description}: policy ${id}`, () => readPolicyOnce(gc, id, description));
}

/**
 * One read: the policy and its follow-up pages. A 404 on ANY of them reads as "no policy": a replica
 * that does not have a just-created policy yet answers the follow-up read with 404 although another
 * replica served the policy itself, and the settled read then simply reads again.
 */
async function readPolicyOnce(gc: GraphClient, id: string, description: string): Promise<ObservedPolicy | undefined> {
    try {
        return await readPolicyPages(gc, id, description);
    } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
    }
}

async function readPolicyPages(gc: GraphClient, id: string, description: string): Promise<ObservedPolicy> {
    const p = await graphRequest(gc, { method: "GET", version: "beta", path: `${BASE}/${id}`, query: { $expand: "settings,assignments" }, description: `${description}: read policy ${id}` });
    const settings = await allSettings(gc, id, p, description);
    const assignments = await completeAssignments(p, () =>
        graphListAll<any>(gc, { version: "beta", path: `${BASE}/${id}/assignments`, description: `${description}: read assignments of policy ${id}` }));
    return {
        id: String(p.id), name: p.name, description: p.description ?? "", roleScopeTagIds: p.roleScopeTagIds ?? ["0"],
        templateId: p.templateReference?.templateId ?? "",
        settingCount: typeof p.settingCount === "number" ? p.settingCount : settings.length,
        lastModifiedDateTime: p.lastModifiedDateTime, settings, assignments,
    };
}

/**
 * The assignments of an entity read with $expand=assignments. Graph has been seen to leave an
 * expanded `assignments` EMPTY, and an empty list would read as "someone removed every assignment",
 * so only a non-empty, unpaged expansion is taken as it is (one request per read, the common case
 * for a profile that is assigned); otherwise the /assignments collection is read, as before.
 */
export async function completeAssignments(entity: any, readCollection: () => Promise<any[]>): Promise<any[]> {
    const expanded = entity?.assignments;
    if (Array.isArray(expanded) && expanded.length > 0 && !entity["assignments@odata.nextLink"]) return expanded;
    return readCollection();
}

/**
 * The expanded settings, following `settings@odata.nextLink` when the service pages the expansion.
 * If it returns fewer settings than its own settingCount without a link, the settings are read
 * from the paged /settings collection instead: a PUT built from a partial read would delete the rest.
 */
async function allSettings(gc: GraphClient, id: string, p: any, description: string): Promise<any[]> {
    const settings: any[] = [...(p.settings ?? [])];
    let next: string | undefined = p["settings@odata.nextLink"];
    for (let pages = 1; next; pages++) {
        if (pages > 1000) throw new ProviderError("GRAPH_ERROR", `${description}: the settings of policy ${id} span more than 1000 pages; stopping`);
        const page = await graphRequestUrl<{ value?: any[]; "@odata.nextLink"?: string }>(gc, next, { description: `${description}: read settings of policy ${id}` });
        settings.push(...(page.body?.value ?? []));
        next = page.body?.["@odata.nextLink"];
    }
    if (typeof p.settingCount === "number" && settings.length < p.settingCount) {
        return graphListAll<any>(gc, { version: "beta", path: `${BASE}/${id}/settings`, description: `${description}: read settings of policy ${id}` });
    }
    return settings;
}

export async function putPolicy(gc: GraphClient, id: string, body: PolicyBody, description: string): Promise<void> {
    await graphRequestRaw(gc, { method: "PUT", version: "beta", path: `${BASE}/${id}`, body, description: `${description}: update policy ${id}` });
}

export async function assignPolicy(gc: GraphClient, id: string, body: { assignments: unknown[] }, description: string): Promise<void> {
    // replaces the whole set, so repeating it after a lost response is safe
    await graphRequest(gc, { method: "POST", version: "beta", path: `${BASE}/${id}/assign`, body, idempotent: true, description: `${description}: assign policy ${id}` });
}

/** True when deleted, false when it was already gone. */
export async function deletePolicy(gc: GraphClient, id: string, description: string): Promise<boolean> {
    try {
        await graphRequestRaw(gc, { method: "DELETE", version: "beta", path: `${BASE}/${id}`, description: `${description}: delete policy ${id}` });
        return true;
    } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
    }
}
