// Intune assignment targets, shared by settings catalog policies and deviceConfigurations.
// POST .../assign replaces the whole assignment set (docs/sources.md, Graph §3). Stored objects have the shape
// and ids of real ones (real-exports/intune-docs-configurationPolicy-assignments.json).
import { badRequest } from "../errors";
import { isGuid } from "../ids";

const GROUP = "#microsoft.graph.groupAssignmentTarget";
const EXCLUDE = "#microsoft.graph.exclusionGroupAssignmentTarget";
const ALL_DEVICES = "#microsoft.graph.allDevicesAssignmentTarget";
const ALL_USERS = "#microsoft.graph.allLicensedUsersAssignmentTarget";

// Intune's well-known virtual group ids for the "all" targets, used in assignment ids.
const ALL_DEVICES_ID = "adadadad-808e-44e2-905a-0b7873a8a531";
const ALL_USERS_ID = "acacacac-9df4-4c7d-9d50-4ef0226f57a9";

/** Validates `{ assignments: [{ target }] }` and returns the stored assignments for `ownerId`. */
export function validateAssignments(body: any, ownerId: string, extra: (a: any) => Record<string, unknown> = () => ({})): any[] {
    if (!Array.isArray(body?.assignments)) throw badRequest("The request body must contain 'assignments', an array (send [] to remove every assignment).");
    const out = new Map<string, any>();
    body.assignments.forEach((a: any, i: number) => {
        const t = a?.target;
        const where = `assignments[${i}].target`;
        if (typeof t !== "object" || t === null) throw badRequest(`${where} is required`);
        const type = t["@odata.type"];
        if (![GROUP, EXCLUDE, ALL_DEVICES, ALL_USERS].includes(type)) throw badRequest(`${where}: unsupported target @odata.type '${type}'`);
        let key: string;
        if (type === GROUP || type === EXCLUDE) {
            if (!isGuid(t.groupId)) throw badRequest(`${where}.groupId must be a group object id (GUID)`);
            key = t.groupId.toLowerCase();
        } else {
            key = type === ALL_DEVICES ? ALL_DEVICES_ID : ALL_USERS_ID;
        }
        const filterType = t.deviceAndAppManagementAssignmentFilterType ?? "none";
        if (!["none", "include", "exclude"].includes(filterType)) throw badRequest(`${where}.deviceAndAppManagementAssignmentFilterType must be none, include or exclude`);
        const filterId = t.deviceAndAppManagementAssignmentFilterId ?? null;
        if (filterType !== "none" && !isGuid(filterId)) throw badRequest(`${where}.deviceAndAppManagementAssignmentFilterId is required with filter type '${filterType}'`);
        if (type === EXCLUDE && filterType !== "none") throw badRequest(`${where}: exclusion targets cannot carry an assignment filter`);
        const target: any = { "@odata.type": type, deviceAndAppManagementAssignmentFilterId: filterType === "none" ? null : filterId, deviceAndAppManagementAssignmentFilterType: filterType };
        if (type === GROUP || type === EXCLUDE) target.groupId = t.groupId;
        out.set(key, { id: `${ownerId}_${key}`, ...extra(a), target });
    });
    return [...out.values()];
}
