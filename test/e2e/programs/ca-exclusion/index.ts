// Imports the package by name, as a user's program would (compiled code: rebuild after changes).
// One ConditionalAccessExclusion per entry of the structured config key `exclusions`.
import * as pulumi from "@pulumi/pulumi";
import { ConditionalAccessExclusion } from "pulumi-entra-kerberos/bin/provider/resources/conditional-access-exclusion";
import { labGraphFromConfig } from "../lab-graph";

interface ExclusionSpec {
    name: string;
    policy: string;
    excludeApplications?: string[];
    excludeGroups?: string[];
    excludeUsers?: string[];
}

const config = new pulumi.Config();
const graph = labGraphFromConfig(config);

const exclusions = config.requireObject<ExclusionSpec[]>("exclusions").map((s) => new ConditionalAccessExclusion(s.name, {
    graph,
    policy: s.policy,
    excludeApplications: s.excludeApplications,
    excludeGroups: s.excludeGroups,
    excludeUsers: s.excludeUsers,
}));

export const owned = exclusions.map((e) => pulumi.output({
    policyId: e.policyId, policyDisplayName: e.policyDisplayName,
    applications: e.ownedApplicationIds, groups: e.ownedGroupIds, users: e.ownedUserIds,
}));
