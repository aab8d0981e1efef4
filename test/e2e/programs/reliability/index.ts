// The reliability suite's program (test/reliability): any mix of the package's four resources, each
// from a structured config key, so one program serves every fault and concurrency scenario. Imports
// the package by name as a user's program would (compiled code: rebuild after changes).
import * as pulumi from "@pulumi/pulumi";
import {
    AzureADKerberosServer, CloudTrustPolicy, HostToRealmMapping,
    type AzureADKerberosServerArgs, type CloudTrustPolicyArgs, type HostToRealmMappingArgs,
} from "pulumi-entra-kerberos";
// not exported from the package root yet (its issue is still open): by compiled path, as its own e2e program does
import { ConditionalAccessExclusion, type ConditionalAccessExclusionArgs } from "pulumi-entra-kerberos/bin/provider/resources/conditional-access-exclusion";

const config = new pulumi.Config();
const list = <T>(key: string): T[] => config.getObject<T[]>(key) ?? [];

export const servers: Record<string, unknown> = {};
for (const s of list<{ name: string; args: AzureADKerberosServerArgs }>("servers")) {
    const r = new AzureADKerberosServer(s.name, s.args);
    servers[s.name] = { keyVersion: r.keyVersion, cloudKeyVersion: r.cloudKeyVersion, branchId: r.branchId, inSync: r.inSync, driftReasons: r.driftReasons };
}

export const policies: Record<string, unknown> = {};
for (const p of list<{ name: string; args: CloudTrustPolicyArgs }>("cloudTrustPolicies")) {
    policies[p.name] = new CloudTrustPolicy(p.name, p.args).policyId;
}
for (const m of list<{ name: string; args: HostToRealmMappingArgs }>("hostToRealmMappings")) {
    policies[m.name] = new HostToRealmMapping(m.name, m.args).policyId;
}

export const exclusions: Record<string, unknown> = {};
for (const e of list<{ name: string; args: ConditionalAccessExclusionArgs }>("exclusions")) {
    const r = new ConditionalAccessExclusion(e.name, e.args);
    exclusions[e.name] = { policyId: r.policyId, groups: r.ownedGroupIds, apps: r.ownedApplicationIds, users: r.ownedUserIds };
}
