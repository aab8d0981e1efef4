// Intune assignments (docs/sources.md, Graph §3) for both profile kinds: the `assignments` input, group
// resolution (by object id or exact display name), the `/assign` body, which replaces the whole
// set, and the set read back from `/assignments` expressed in the input's own terms, so that an
// unchanged tenant compares equal to the program and a portal edit shows as a changed list entry.
import { isUnknown } from "../core/unknown";
import { ProviderError } from "../core/errors";
import { isGuid, nameOrIdProblem, unknownFields } from "../core/grammar";
import { graphListAll, graphRequest, type GraphClient } from "../graph";

export interface AssignmentsInput {
    includeGroups?: string[];
    excludeGroups?: string[];
    allDevices?: boolean;
    allUsers?: boolean;
}

/** Canonical form: lists sorted, booleans explicit. Undefined assignments = not managed by the resource. */
export interface Assignments {
    includeGroups: string[];
    excludeGroups: string[];
    allDevices: boolean;
    allUsers: boolean;
}

/** Group entry (as written in the program: a name or an object id) -> object id. */
export type ResolvedGroups = Record<string, string>;

export const TARGET = {
    group: "#microsoft.graph.groupAssignmentTarget",
    exclusion: "#microsoft.graph.exclusionGroupAssignmentTarget",
    allDevices: "#microsoft.graph.allDevicesAssignmentTarget",
    allUsers: "#microsoft.graph.allLicensedUsersAssignmentTarget",
} as const;

/** Entra group display names are at most 256 characters. */
const MAX_GROUP_NAME = 256;
/** Groups per list: each is one lookup and one assignment target; more belongs in a group that holds them. */
const MAX_GROUPS = 100;
const sorted = (xs: readonly string[]) => [...xs].sort();

export function checkAssignments(v: unknown, path = "assignments"): { property: string; reason: string }[] {
    const out: { property: string; reason: string }[] = [];
    const fail = (property: string, reason: string) => out.push({ property, reason });
    if (v === undefined || isUnknown(v)) return out;
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
        fail(path, `${path} must be { includeGroups?, excludeGroups?, allDevices?, allUsers? }`);
        return out;
    }
    const a = v as Record<string, unknown>;
    out.push(...unknownFields(path, a, ["includeGroups", "excludeGroups", "allDevices", "allUsers"], "an assignment setting"));
    const seen = new Map<string, string>();
    for (const list of ["includeGroups", "excludeGroups"] as const) {
        const xs = a[list];
        if (xs === undefined || isUnknown(xs)) continue;
        if (!Array.isArray(xs)) { fail(`${path}.${list}`, `${path}.${list} must be a list of group names or object ids`); continue; }
        if (xs.length > MAX_GROUPS) { fail(`${path}.${list}`, `${path}.${list} has ${xs.length} entries; at most ${MAX_GROUPS}: assign a group that holds them instead`); continue; }
        xs.forEach((g: unknown, i: number) => {
            const p = `${path}.${list}[${i}]`;
            if (isUnknown(g)) return;
            const problem = nameOrIdProblem(p, g, { max: MAX_GROUP_NAME, what: "a group's exact display name or object id", spaces: "must be a group's exact display name or object id (no leading or trailing spaces)" });
            if (problem) { fail(p, problem); return; }
            const name = g as string;
            const key = name.toLowerCase();
            if (seen.has(key)) fail(p, `${p} ${JSON.stringify(name)} is already listed as ${seen.get(key)}`);
            else seen.set(key, p);
        });
    }
    for (const b of ["allDevices", "allUsers"] as const) {
        if (a[b] !== undefined && !isUnknown(a[b]) && typeof a[b] !== "boolean") fail(`${path}.${b}`, `${path}.${b} must be true or false`);
    }
    return out;
}

/** The canonical desired set, or undefined when the program leaves assignments alone. */
export function normalizeAssignments(v: AssignmentsInput | undefined): Assignments | undefined {
    if (v === undefined || v === null) return undefined;
    return {
        includeGroups: sorted(v.includeGroups ?? []),
        excludeGroups: sorted(v.excludeGroups ?? []),
        allDevices: v.allDevices === true,
        allUsers: v.allUsers === true,
    };
}

export function sameAssignments(a: Assignments | undefined, b: Assignments | undefined): boolean {
    if (a === undefined || b === undefined) return a === b;
    const n = (x: Assignments) => JSON.stringify([sorted(x.includeGroups), sorted(x.excludeGroups), x.allDevices, x.allUsers]);
    return n(a) === n(b);
}

function groupEntries(a: Assignments): { entry: string; input: string }[] {
    return [
        ...a.includeGroups.map((entry, i) => ({ entry, input: `assignments.includeGroups[${i}]` })),
        ...a.excludeGroups.map((entry, i) => ({ entry, input: `assignments.excludeGroups[${i}]` })),
    ];
}

/** How groups are found: Graph in production (graphGroupLookup), a table in unit tests. */
export interface GroupLookup {
    /** the group with this object id, or undefined when there is none */
    byId(id: string): Promise<{ id: string } | undefined>;
    /** every group with exactly this display name (Graph compares case-insensitively) */
    byName(name: string): Promise<{ id: string }[]>;
}

const odataString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function graphGroupLookup(gc: GraphClient, description: string): GroupLookup {
    return {
        async byId(id) {
            try {
                const g = await graphRequest(gc, { method: "GET", version: "v1.0", path: `/groups/${id}`, query: { $select: "id,displayName" }, description: `${description}: look up group ${id}` });
                return { id: String(g.id) };
            } catch (e) {
                if ((e as ProviderError).httpStatus === 404) return undefined;
                throw e;
            }
        },
        async byName(name) {
            const found = await graphListAll<any>(gc, {
                version: "v1.0", path: "/groups", query: { $filter: `displayName eq ${odataString(name)}`, $select: "id,displayName" },
                description: `${description}: look up group "${name}"`,
            });
            return found.map((g) => ({ id: String(g.id) }));
        },
    };
}

/**
 * Every group entry -> exactly one object id. A name matching no group or several groups fails,
 * naming the entry; so does an id that does not exist, and one group both included and excluded.
 */
export async function resolveGroups(lookup: GroupLookup, a: Assignments, description: string): Promise<ResolvedGroups> {
    const resolved: ResolvedGroups = {};
    for (const { entry, input } of groupEntries(a)) {
        if (isGuid(entry)) {
            const g = await lookup.byId(entry);
            if (!g) throw new ProviderError("GroupNotFound", `${description}: ${input} names group id ${entry}, which does not exist in the tenant`, { input });
            resolved[entry] = g.id;
            continue;
        }
        const matches = await lookup.byName(entry);
        if (matches.length === 0) {
            throw new ProviderError("GroupNotFound", `${description}: ${input}: no group is named "${entry}"; give its exact display name or its object id`, { input });
        }
        if (matches.length > 1) {
            throw new ProviderError("GroupAmbiguous",
                `${description}: ${input}: ${matches.length} groups are named "${entry}" (${matches.map((g) => g.id).join(", ")}); give the object id of the one you mean`, { input });
        }
        resolved[entry] = matches[0].id;
    }
    const byId = new Map<string, string>();
    for (const { entry, input } of groupEntries(a)) {
        const id = resolved[entry].toLowerCase();
        const other = byId.get(id);
        if (other) throw new ProviderError("ASSIGNMENT_CONFLICT", `${description}: ${input} ("${entry}") and ${other} are the same group (${resolved[entry]}); list it once`, { input });
        byId.set(id, `${input} ("${entry}")`);
    }
    return resolved;
}

/** The POST .../assign body for the whole desired set. */
export function assignBody(a: Assignments, resolved: ResolvedGroups): { assignments: { target: Record<string, unknown> }[] } {
    const id = (entry: string) => {
        const v = resolved[entry];
        if (!v) throw new ProviderError("INTERNAL_ERROR", `assignment group "${entry}" was not resolved`);
        return v;
    };
    const targets: Record<string, unknown>[] = [
        ...a.includeGroups.map((g) => ({ "@odata.type": TARGET.group, groupId: id(g), deviceAndAppManagementAssignmentFilterType: "none" })),
        ...a.excludeGroups.map((g) => ({ "@odata.type": TARGET.exclusion, groupId: id(g) })),
        ...(a.allDevices ? [{ "@odata.type": TARGET.allDevices, deviceAndAppManagementAssignmentFilterType: "none" }] : []),
        ...(a.allUsers ? [{ "@odata.type": TARGET.allUsers, deviceAndAppManagementAssignmentFilterType: "none" }] : []),
    ];
    const wanted = a.includeGroups.length + a.excludeGroups.length + (a.allDevices ? 1 : 0) + (a.allUsers ? 1 : 0);
    // /assign replaces the whole set: an empty list unassigns everything, so it is only ever sent when
    // the program asks for no targets, never because something was lost on the way.
    if (targets.length !== wanted) throw new ProviderError("INTERNAL_ERROR", `assignment body has ${targets.length} targets, expected ${wanted}; not sending it`);
    return { assignments: targets.map((target) => ({ target })) };
}

/** The ids a desired set resolves to, for outputs. */
export function resolvedIds(a: Assignments, resolved: ResolvedGroups): { includeGroupIds: string[]; excludeGroupIds: string[] } {
    return {
        includeGroupIds: a.includeGroups.map((g) => resolved[g]).filter(Boolean),
        excludeGroupIds: a.excludeGroups.map((g) => resolved[g]).filter(Boolean),
    };
}

/** Group resolution recorded at the last create/update; a refresh keeps it (it resolves nothing). */
export interface Resolution {
    resolvedGroups: ResolvedGroups;
    includeGroupIds: string[];
    excludeGroupIds: string[];
}

export function resolution(a: Assignments | undefined, resolved: ResolvedGroups): Resolution | undefined {
    return a ? { resolvedGroups: resolved, ...resolvedIds(a, resolved) } : undefined;
}

/** The recorded resolution from stored state (refresh). */
export function storedResolution(props: Record<string, any>): Resolution | undefined {
    return props.resolvedGroups
        ? { resolvedGroups: props.resolvedGroups, includeGroupIds: props.includeGroupIds ?? [], excludeGroupIds: props.excludeGroupIds ?? [] }
        : undefined;
}

/**
 * What `/assignments` returned, in the program's terms: a group id that a program entry resolved
 * to is shown as that entry ("WHfB Pilot"); any other group as its id; a target with an
 * assignment filter (which this resource never sets) carries the filter, so it never compares equal.
 */
export function observedAssignments(list: readonly any[], resolved: ResolvedGroups): Assignments {
    const entryFor = new Map<string, string>();
    for (const [entry, id] of Object.entries(resolved)) entryFor.set(id.toLowerCase(), entry);
    const out: Assignments = { includeGroups: [], excludeGroups: [], allDevices: false, allUsers: false };
    for (const a of list) {
        const t = a?.target ?? {};
        const type = String(t["@odata.type"] ?? "");
        const filterType = t.deviceAndAppManagementAssignmentFilterType ?? "none";
        const filter = filterType !== "none" && filterType !== null ? ` [filter ${filterType} ${t.deviceAndAppManagementAssignmentFilterId}]` : "";
        const name = (id: unknown) => entryFor.get(String(id).toLowerCase()) ?? String(id);
        if (type === TARGET.group) out.includeGroups.push(name(t.groupId) + filter);
        else if (type === TARGET.exclusion) out.excludeGroups.push(name(t.groupId) + filter);
        else if (type === TARGET.allDevices && !filter) out.allDevices = true;
        else if (type === TARGET.allUsers && !filter) out.allUsers = true;
        else out.includeGroups.push(`${type.replace("#microsoft.graph.", "")}${filter}`);
    }
    out.includeGroups.sort();
    out.excludeGroups.sort();
    return out;
}

/** Human-readable differences, for errors and drift notes. */
export function describeAssignmentChanges(observed: Assignments, desired: Assignments): string[] {
    const notes: string[] = [];
    const diff = (label: string, o: string[], d: string[]) => {
        for (const x of d) if (!o.includes(x)) notes.push(`${label} ${x} is missing`);
        for (const x of o) if (!d.includes(x)) notes.push(`${label} ${x} was added outside Pulumi`);
    };
    diff("included group", observed.includeGroups, desired.includeGroups);
    diff("excluded group", observed.excludeGroups, desired.excludeGroups);
    if (observed.allDevices !== desired.allDevices) notes.push(`all devices is ${observed.allDevices ? "assigned" : "not assigned"}`);
    if (observed.allUsers !== desired.allUsers) notes.push(`all users is ${observed.allUsers ? "assigned" : "not assigned"}`);
    return notes;
}
