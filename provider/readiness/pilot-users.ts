// The users of a pilot group, from Graph, a page at a time: GET /groups/{id}/transitiveMembers/
// microsoft.graph.user (the v1.0 CSDL's group navigation transitiveMembers, cast to user: nested
// groups' users included, the groups and devices left out), only the properties the rules need
// ($select) and the largest page the directory serves ($top=999), so 10,000 users cost 11 requests
// and one page of memory. Paging, throttling and retries are the resources' own (provider/graph).
import { graphPages, type GraphClient } from "../graph";

/** A pilot group's user as Graph returns it with PILOT_USER_SELECT. */
export interface PilotUser {
    id: string;
    userPrincipalName?: string;
    displayName?: string;
    accountEnabled?: boolean | null;
    /** the on-premises SID synchronised by Entra Connect; null for a cloud-only user */
    onPremisesSecurityIdentifier?: string | null;
}

export const PILOT_USER_SELECT = "id,userPrincipalName,displayName,accountEnabled,onPremisesSecurityIdentifier";
/** the directory's largest page (https://learn.microsoft.com/graph/paging: directory objects page at most 999) */
export const DIRECTORY_MAX_TOP = 999;

export function pilotUserPages(gc: GraphClient, groupId: string, groupName: string): AsyncGenerator<PilotUser[]> {
    return graphPages<PilotUser>(gc, {
        version: "v1.0", path: `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user`,
        query: { $select: PILOT_USER_SELECT, $top: DIRECTORY_MAX_TOP },
        description: `readiness: read the users of pilot group "${groupName}"`,
    });
}
