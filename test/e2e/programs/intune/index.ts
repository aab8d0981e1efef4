// Imports the package by name, as a user's program would (compiled code: rebuild after changes).
import * as pulumi from "@pulumi/pulumi";
import { CloudTrustPolicy } from "pulumi-entra-kerberos/bin/provider/resources/cloud-trust-policy";
import { HostToRealmMapping } from "pulumi-entra-kerberos/bin/provider/resources/host-to-realm-mapping";
import { labGraphFromConfig } from "../lab-graph";

const config = new pulumi.Config();
const graph = labGraphFromConfig(config);

const trust = new CloudTrustPolicy("cloud-trust", {
    graph,
    displayName: config.require("cloudTrustName"),
    description: "Windows Hello for Business cloud Kerberos trust (e2e)",
    cloudKerberosTicketRetrieval: true,
    assignments: { includeGroups: ["WHfB Pilot"], excludeGroups: ["Break Glass Admins"] },
});

const realms = new HostToRealmMapping("host-to-realm", {
    graph,
    displayName: config.require("hostToRealmName"),
    mappings: [
        { realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] },
        { realm: "CORP.LAB.TEST", hosts: ["labstorage.file.core.windows.net"] },
    ],
    assignments: { includeGroups: ["WHfB Pilot"] },
});

export const cloudTrustPolicyId = trust.policyId;
export const cloudTrustSettingCount = trust.settingCount;
export const cloudTrustIncludeGroupIds = trust.includeGroupIds;
export const hostToRealmPolicyId = realms.policyId;
export const hostToRealmDeliveredAs = realms.deliveredAs;
