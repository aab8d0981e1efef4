// A rollout across three AD forests: corp first (wave 1, the pilot), then fabrikam and contoso
// together (wave 2), which start only once every domain of wave 1 exists and is in sync. Once wave 1
// is in sync, the Intune profile turns on cloud Kerberos trust for the pilot devices, Windows clients
// learn that Azure Files hosts belong to the Entra realm, and the storage account's app is excluded
// from the MFA policy (Kerberos tickets for Azure Files cannot satisfy MFA) next to the break-glass
// group. Runs against the local lab: the config key `lab` holds the lab's connections.
import * as pulumi from "@pulumi/pulumi";
import { CloudKerberosTrust, parseCloudKerberosTrustConfig } from "pulumi-entra-kerberos";

const config = new pulumi.Config();
// checked against the package's schema; its one top-level caCertificate is given to every connection
const lab = parseCloudKerberosTrustConfig(config.requireObject("lab"), "lab");
const domainsOf = (forest: string) => lab.forests.find((f) => f.name === forest)!.domains;
const prefix = config.get("namePrefix") ?? "";

const trust = new CloudKerberosTrust("rollout", {
    graph: lab.graph,
    forests: [
        { name: "corp", wave: 1, domains: domainsOf("corp") },
        { name: "fabrikam", wave: 2, domains: domainsOf("fabrikam") },
        { name: "contoso", wave: 2, domains: domainsOf("contoso") },
    ],
    keyRotation: { maxAgeDays: 180 },
    cloudTrustPolicy: {
        displayName: `${prefix}WHfB cloud Kerberos trust`,
        description: "Windows Hello for Business cloud Kerberos trust for the pilot devices",
        cloudKerberosTicketRetrieval: true,
        assignments: { includeGroups: ["WHfB Pilot"], excludeGroups: ["Break Glass Admins"] },
    },
    hostToRealm: {
        displayName: `${prefix}Kerberos host-to-realm (Azure Files)`,
        mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }],
        assignments: { includeGroups: ["WHfB Pilot"] },
    },
    conditionalAccessExclusions: [{
        name: "mfa",
        policy: "Require MFA for all users",
        excludeApplications: ["[Storage Account] labstorage.file.core.windows.net"],
        excludeGroups: ["Break Glass Admins"],
    }],
});

export const statusTable = trust.statusTable;
export const domains = trust.domains;
export const allInSync = trust.allInSync;
export const cloudTrustPolicyId = trust.cloudTrustPolicy!.policyId;
