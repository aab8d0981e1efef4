// ConditionalAccessExclusion: this stack's exclusions on a Conditional Access policy that someone
// else owns (another team, the portal, an @pulumi/azuread ConditionalAccessPolicy). It adds and
// keeps only its own entries and removes only what it added (docs/resources/conditional-access-exclusion.md).
// The provider object holds only a module path (core/dynamic.ts); the implementation is -impl.ts.
import * as pulumi from "@pulumi/pulumi";
import { DYNAMIC_MODULE, lazyProvider, packageModule } from "../core/dynamic";
import type { GraphConnection } from "../graph/types";
import { OUTPUT_KEYS } from "../conditional-access/model";
import type { DeepInput } from "./deep-input";

export interface ConditionalAccessExclusionArgs {
    graph: DeepInput<GraphConnection>;
    /** the policy's id, or its exact display name (an unknown or ambiguous name is an error listing the candidates) */
    policy: pulumi.Input<string>;
    /** appIds, or service principal display names such as "[Storage Account] acct.file.core.windows.net"; also Office365, MicrosoftAdminPortals */
    excludeApplications?: pulumi.Input<pulumi.Input<string>[]>;
    /** group object ids or display names */
    excludeGroups?: pulumi.Input<pulumi.Input<string>[]>;
    /** user object ids, user principal names or display names; also GuestsOrExternalUsers */
    excludeUsers?: pulumi.Input<pulumi.Input<string>[]>;
}

export const conditionalAccessExclusionProvider = lazyProvider(
    packageModule("bin/provider/resources/conditional-access-exclusion-impl"), "conditionalAccessExclusionImpl");

export class ConditionalAccessExclusion extends pulumi.dynamic.Resource {
    declare readonly policyId: pulumi.Output<string>;
    declare readonly policyDisplayName: pulumi.Output<string>;
    /** resolved appIds of excludeApplications, in the same order */
    declare readonly applicationIds: pulumi.Output<string[]>;
    /** resolved object ids of excludeGroups, in the same order */
    declare readonly groupIds: pulumi.Output<string[]>;
    /** resolved object ids of excludeUsers, in the same order */
    declare readonly userIds: pulumi.Output<string[]>;
    /** the entries this resource added to the policy, and the only ones its delete removes */
    declare readonly ownedApplicationIds: pulumi.Output<string[]>;
    declare readonly ownedGroupIds: pulumi.Output<string[]>;
    declare readonly ownedUserIds: pulumi.Output<string[]>;

    constructor(name: string, args: ConditionalAccessExclusionArgs, opts?: pulumi.CustomResourceOptions) {
        const outputs = Object.fromEntries(OUTPUT_KEYS.map((k) => [k, undefined]));
        super(conditionalAccessExclusionProvider, name, { ...outputs, ...args }, opts, DYNAMIC_MODULE, "ConditionalAccessExclusion");
    }
}
