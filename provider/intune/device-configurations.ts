// Windows custom configuration profiles (custom OMA-URI) over Graph beta deviceConfigurations
// (docs/sources.md, Graph §2.3): POST, GET (with $expand=assignments), PATCH with the complete omaSettings (a collection is replaced,
// not merged; the derived @odata.type is required), /assign, /assignments, DELETE.
// String OMA values come back masked (isEncrypted, secretReferenceValueId), never in plain text.
import { graphListAll, graphRequest, graphRequestRaw, type GraphClient } from "../graph";
import { completeAssignments } from "./configuration-policies";
import { settledIntuneRead } from "./settled";

const BASE = "/deviceManagement/deviceConfigurations";
export const CUSTOM_CONFIGURATION = "#microsoft.graph.windows10CustomConfiguration";
export const OMA_STRING = "#microsoft.graph.omaSettingString";

export interface OmaSetting {
    "@odata.type": string;
    displayName: string;
    omaUri: string;
    value: unknown;
}

export interface CustomProfileBody {
    "@odata.type": typeof CUSTOM_CONFIGURATION;
    displayName: string;
    description: string;
    roleScopeTagIds?: string[];
    omaSettings: OmaSetting[];
}

export interface ObservedProfile {
    id: string;
    odataType: string;
    displayName: string;
    description: string;
    lastModifiedDateTime: string;
    omaSettings: { odataType: string; displayName: string; omaUri: string; isEncrypted: boolean; secretReferenceValueId: string | null }[];
    // any: Graph's deviceConfiguration JSON, passed through as read
    assignments: any[];
}

const odataString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const isNotFound = (e: unknown) => (e as { httpStatus?: number })?.httpStatus === 404;

export async function findProfilesByName(gc: GraphClient, displayName: string, description: string): Promise<{ id: string; name: string; description: string | null; odataType: string }[]> {
    const found = await graphListAll<any>(gc, {
        version: "beta", path: BASE, query: { $filter: `displayName eq ${odataString(displayName)}` },
        description: `${description}: look for existing profiles named "${displayName}"`,
    });
    return found.filter((p) => p.displayName === displayName)
        .map((p) => ({ id: String(p.id), name: p.displayName, description: p.description ?? null, odataType: String(p["@odata.type"] ?? "") }));
}

export async function createProfile(gc: GraphClient, body: CustomProfileBody, description: string): Promise<string> {
    const created = await graphRequest(gc, { method: "POST", version: "beta", path: BASE, body, description: `${description}: create custom OMA-URI profile` });
    return String(created.id);
}

// Graph endpoints that refused $expand=assignments on a profile (an older emulator, or a service that
// does not offer it): this process reads their assignments from /assignments instead, as before.
const expandRefused = new Set<string>();
// foreign text: Graph's 400 names the refused option only in its message
const refusesExpand = (e: unknown) => (e as { httpStatus?: number })?.httpStatus === 400 && /\$expand/i.test(String((e as Error)?.message));

/** The whole profile once consecutive reads agree (settled.ts), or undefined when it does not exist. */
export function readProfile(gc: GraphClient, id: string, description: string): Promise<ObservedProfile | undefined> {
    return settledIntuneRead(`${description}: profile ${id}`, () => readProfileOnce(gc, id, description));
}

/** One read of the profile and its /assignments; a 404 on either reads as "no profile" (see readPolicyOnce). */
async function readProfileOnce(gc: GraphClient, id: string, description: string): Promise<ObservedProfile | undefined> {
    const expand = !expandRefused.has(gc.endpoints.graphEndpoint);
    try {
        return await readProfilePages(gc, id, description, expand);
    } catch (e) {
        if (isNotFound(e)) return undefined;
        if (expand && refusesExpand(e)) {
            expandRefused.add(gc.endpoints.graphEndpoint);
            return readProfileOnce(gc, id, description);
        }
        throw e;
    }
}

async function readProfilePages(gc: GraphClient, id: string, description: string, expand: boolean): Promise<ObservedProfile> {
    const p = await graphRequest(gc, {
        method: "GET", version: "beta", path: `${BASE}/${id}`, query: expand ? { $expand: "assignments" } : undefined, description: `${description}: read profile ${id}`,
    });
    // one request when the expansion can be trusted (see completeAssignments)
    const assignments = await completeAssignments(p, () =>
        graphListAll<any>(gc, { version: "beta", path: `${BASE}/${id}/assignments`, description: `${description}: read assignments of profile ${id}` }));
    return {
        id: String(p.id), odataType: String(p["@odata.type"] ?? ""), displayName: p.displayName, description: p.description ?? "",
        lastModifiedDateTime: p.lastModifiedDateTime,
        omaSettings: (p.omaSettings ?? []).map((s: any) => ({
            odataType: String(s["@odata.type"] ?? ""), displayName: String(s.displayName ?? ""), omaUri: String(s.omaUri ?? ""),
            isEncrypted: s.isEncrypted === true, secretReferenceValueId: s.secretReferenceValueId ?? null,
        })),
        assignments,
    };
}

/** Updates name, description and the complete omaSettings collection. */
export async function patchProfile(gc: GraphClient, id: string, body: CustomProfileBody, description: string): Promise<void> {
    await graphRequestRaw(gc, { method: "PATCH", version: "beta", path: `${BASE}/${id}`, body, description: `${description}: update profile ${id}` });
}

export async function assignProfile(gc: GraphClient, id: string, body: { assignments: unknown[] }, description: string): Promise<void> {
    await graphRequest(gc, { method: "POST", version: "beta", path: `${BASE}/${id}/assign`, body, idempotent: true, description: `${description}: assign profile ${id}` });
}

export async function deleteProfile(gc: GraphClient, id: string, description: string): Promise<boolean> {
    try {
        await graphRequestRaw(gc, { method: "DELETE", version: "beta", path: `${BASE}/${id}`, description: `${description}: delete profile ${id}` });
        return true;
    } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
    }
}
