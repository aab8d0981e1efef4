// Conditional Access beside @pulumi/azuread in a real tenant (cannot run in the lab).
// The policy belongs to whoever declares the azuread.ConditionalAccessPolicy; the Kerberos rollout
// only adds its own exclusions with ConditionalAccessExclusion. `ignoreChanges` on the three
// exclude lists keeps the policy's owner from removing them on its next `pulumi up`.
// Type-check: npm run build && npx tsc --noEmit -p examples/real-tenant
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { ConditionalAccessExclusion } from "pulumi-entra-kerberos/bin/provider/resources/conditional-access-exclusion";

const config = new pulumi.Config();

// ---- the stack that owns the policy (e.g. the identity team's) ----
export const requireMfa = new azuread.ConditionalAccessPolicy("require-mfa", {
    displayName: "Require MFA for all users",
    state: "enabled",
    conditions: {
        clientAppTypes: ["all"],
        applications: { includedApplications: ["All"] },
        users: { includedUsers: ["All"] },
    },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
}, {
    // Entries other stacks add (ConditionalAccessExclusion) are theirs: without this, this resource's
    // next update would write these lists back to what its program says. Run this stack with
    // `refresh: always` (Pulumi.yaml options) so an update of other fields sends the live lists.
    ignoreChanges: [
        "conditions.applications.excludedApplications",
        "conditions.users.excludedGroups",
        "conditions.users.excludedUsers",
    ],
});

// ---- the Kerberos rollout's stack: only its own exclusions, by name ----
const graph = {
    tenantId: config.require("tenantId"),
    credential: { type: "githubOidc" as const, clientId: config.require("clientId") },
};

// Entra Kerberos does not support MFA: the storage account's app must be outside MFA policies
// (System error 1327 otherwise), and the break-glass group stays out of every policy.
export const storageExclusion = new ConditionalAccessExclusion("require-mfa-storage", {
    graph,
    policy: "Require MFA for all users",
    excludeApplications: ["[Storage Account] contosofiles.file.core.windows.net"],
    excludeGroups: ["Break Glass Admins"],
});

export const ownedApplicationIds = storageExclusion.ownedApplicationIds;
