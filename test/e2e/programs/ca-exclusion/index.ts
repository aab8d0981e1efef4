// Imports the package by name, as a user's program would (compiled code: rebuild after changes).
// One ConditionalAccessExclusion per entry of the structured config key `exclusions`.
import * as pulumi from "@pulumi/pulumi";
import { ConditionalAccessExclusion } from "pulumi-entra-kerberos/bin/provider/resources/conditional-access-exclusion";

interface ExclusionSpec {
    name: string;
    policy: string;
    excludeApplications?: string[];
    excludeGroups?: string[];
    excludeUsers?: string[];
}

const config = new pulumi.Config();
const graph = {
    tenantId: config.require("tenantId"),
    credential: { type: "clientSecret" as const, clientId: config.require("clientId"), clientSecret: { env: config.require("clientSecretEnv") } },
    graphEndpoint: config.require("graphEndpoint"),
    authorityHost: config.require("graphEndpoint"),
    caCertificate: config.require("caCertificate"),
};

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
