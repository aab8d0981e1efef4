// v1.0 auditLogs/directoryAudits: newest first by default, $filter on category, activity and
// activityDateTime ranges, $orderby=activityDateTime asc|desc, $top and paging (AuditLog.Read.All).
import { notFound } from "../errors";
import type { QueryOptionsSpec } from "../odata";
import { anyOf, type GraphRoute } from "../router";
import { entityResponse, listResponse } from "./common";

const SPEC: QueryOptionsSpec = {
    resource: "directoryAudit", defaultTop: 100, maxTop: 999, select: true,
    filter: {
        category: ["eq"], activityDisplayName: ["eq", "startswith"], activityDateTime: ["ge", "le", "gt", "lt"],
        loggedByService: ["eq"], result: ["eq"], correlationId: ["eq"], id: ["eq"],
        "initiatedBy/user/userPrincipalName": ["eq", "startswith"], "initiatedBy/app/appId": ["eq"],
    },
    orderby: ["activityDateTime"],
    defaultOrder: { prop: "activityDateTime", desc: true },
};

export const auditLogRoutes: GraphRoute[] = [
    { method: "GET", version: "v1.0", path: "/auditLogs/directoryAudits", permissions: anyOf("AuditLog.Read.All"), flavor: "directory",
        handler: (ctx) => listResponse(ctx, "v1.0", "auditLogs/directoryAudits", ctx.state.directoryAudits, SPEC) },
    { method: "GET", version: "v1.0", path: "/auditLogs/directoryAudits/{id}", permissions: anyOf("AuditLog.Read.All"), flavor: "directory",
        handler: (ctx) => {
            const a = ctx.state.get("directoryAudits", ctx.params.id);
            if (!a) throw notFound(`Resource '${ctx.params.id}' does not exist.`);
            return entityResponse(ctx, "v1.0", "auditLogs/directoryAudits", a);
        } },
];
