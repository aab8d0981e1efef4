// v1.0 directory objects the product reads: groups, users, servicePrincipals (name -> id
// resolution, the storage account app) and the organization.
import { badId, notFound } from "../errors";
import { isGuid } from "../ids";
import type { QueryOptionsSpec } from "../odata";
import { anyOf, type GraphRoute, type RouteContext } from "../router";
import { entityResponse, listResponse, mustGet } from "./common";

// docs/sources.md, Graph §5: "Group.Read.All (or GroupMember.Read.All)"; "User.Read.All"; the storage app
// lookup needs "Application.Read.All". Organization.Read.All for the tenant record.
const GROUP_READ = anyOf("Group.Read.All", "GroupMember.Read.All");
const USER_READ = anyOf("User.Read.All");
const SP_READ = anyOf("Application.Read.All");
const ORG_READ = anyOf("Organization.Read.All");

const dir = { defaultTop: 100, maxTop: 999, select: true, countNeedsConsistency: true } as const;

const GROUPS: QueryOptionsSpec = {
    ...dir, resource: "Group",
    filter: {
        id: ["eq", "in"], displayName: ["eq", "ne", "startswith", "in"], mailNickname: ["eq", "startswith"],
        securityEnabled: ["eq"], onPremisesSecurityIdentifier: ["eq", "in"], securityIdentifier: ["eq", "in"],
    },
    orderby: ["displayName"],
};
const USERS: QueryOptionsSpec = {
    ...dir, resource: "User",
    filter: {
        id: ["eq", "in"], displayName: ["eq", "ne", "startswith", "in"], userPrincipalName: ["eq", "startswith", "in"],
        mail: ["eq", "startswith"], accountEnabled: ["eq"],
    },
    orderby: ["displayName", "userPrincipalName"],
};
const SPS: QueryOptionsSpec = {
    ...dir, resource: "ServicePrincipal",
    filter: { id: ["eq", "in"], appId: ["eq", "in"], displayName: ["eq", "ne", "startswith", "in"], servicePrincipalType: ["eq"] },
    orderby: ["displayName"],
};

// GET /groups/{id}/transitiveMembers/microsoft.graph.user: the v1.0 CSDL's group navigation
// `transitiveMembers` (Collection(graph.directoryObject), DerivedTypeConstraint listing
// microsoft.graph.user, so the cast segment is valid), with $select and $top up to 999 like the other
// directory collections; $count needs ConsistencyLevel: eventual (its ReadRestrictions CustomHeaders).
// $filter on it is an advanced query the product does not send: refused (an assumption, docs/lab.md).
const TRANSITIVE_USERS: QueryOptionsSpec = { ...dir, resource: "User" };

/** Every user reached from the group through nested groups, each once, in membership order. */
function transitiveUsers(ctx: RouteContext, groupId: string): any[] {
    const users: any[] = [];
    const seen = new Set<string>();
    const visit = (id: string) => {
        const entry = ctx.state.get("groupMembers", id);
        for (const memberId of (entry?.members ?? []) as string[]) {
            const key = memberId.toLowerCase();
            if (seen.has(key)) continue; // a member reached twice, or a cycle of nested groups
            seen.add(key);
            const user = ctx.state.get("users", memberId);
            if (user) users.push(user);
            else if (ctx.state.get("groups", memberId)) visit(memberId);
        }
    };
    visit(groupId);
    return users;
}

// The CSDL's user type has onPremisesSecurityIdentifier (Edm.String, nullable): a cloud-only user
// selected for it answers null, not without the property.
const withUserDefaults = (u: any) => ({ onPremisesSecurityIdentifier: null, onPremisesSyncEnabled: null, ...u });

function userByIdOrUpn(ctx: RouteContext, key: string): any {
    if (key.includes("@")) {
        const u = ctx.state.users.find((x) => String(x.userPrincipalName).toLowerCase() === key.toLowerCase());
        if (!u) throw notFound(`Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
        return u;
    }
    if (!isGuid(key)) throw badId(key);
    return mustGet(ctx, "users", key);
}

export const directoryRoutes: GraphRoute[] = [
    { method: "GET", version: "v1.0", path: "/groups", permissions: GROUP_READ, flavor: "directory",
        handler: (ctx) => listResponse(ctx, "v1.0", "groups", ctx.state.groups, GROUPS) },
    { method: "GET", version: "v1.0", path: "/groups/{id}", permissions: GROUP_READ, flavor: "directory",
        handler: (ctx) => entityResponse(ctx, "v1.0", "groups", mustGet(ctx, "groups", ctx.params.id), 200, GROUPS) },
    { method: "GET", version: "v1.0", path: "/groups/{id}/transitiveMembers/microsoft.graph.user", permissions: GROUP_READ, flavor: "directory",
        handler: (ctx) => listResponse(ctx, "v1.0", "users", transitiveUsers(ctx, mustGet(ctx, "groups", ctx.params.id).id), TRANSITIVE_USERS, withUserDefaults) },
    { method: "GET", version: "v1.0", path: "/users", permissions: USER_READ, flavor: "directory",
        handler: (ctx) => listResponse(ctx, "v1.0", "users", ctx.state.users, USERS) },
    { method: "GET", version: "v1.0", path: "/users/{id}", permissions: USER_READ, flavor: "directory",
        handler: (ctx) => entityResponse(ctx, "v1.0", "users", userByIdOrUpn(ctx, ctx.params.id), 200, USERS) },
    { method: "GET", version: "v1.0", path: "/servicePrincipals", permissions: SP_READ, flavor: "directory",
        handler: (ctx) => listResponse(ctx, "v1.0", "servicePrincipals", ctx.state.servicePrincipals, SPS) },
    { method: "GET", version: "v1.0", path: "/servicePrincipals/{id}", permissions: SP_READ, flavor: "directory",
        handler: (ctx) => entityResponse(ctx, "v1.0", "servicePrincipals", mustGet(ctx, "servicePrincipals", ctx.params.id), 200, SPS) },
    { method: "GET", version: "v1.0", path: "/organization", permissions: ORG_READ, flavor: "directory",
        handler: (ctx) => listResponse(ctx, "v1.0", "organization", ctx.state.organization, { ...dir, resource: "Organization" }) },
    { method: "GET", version: "v1.0", path: "/organization/{id}", permissions: ORG_READ, flavor: "directory",
        handler: (ctx) => entityResponse(ctx, "v1.0", "organization", mustGet(ctx, "organization", ctx.params.id)) },
];
