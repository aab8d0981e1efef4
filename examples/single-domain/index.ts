// One AD domain: the Azure AD Kerberos server of corp, with a key that rotates at least every 180
// days, Domain Users allowed, one extra denied group. Runs against the local lab: the config key `lab`
// holds the lab's connections (the shape `npm run lab -- up` writes as `cloudKerberosTrust`, see README).
import * as pulumi from "@pulumi/pulumi";
import { AzureADKerberosServer, type DirectoryConnection, type GraphConnection, type KerberosPublisher } from "pulumi-entra-kerberos";

interface LabSites {
    graph: GraphConnection;
    forests: { name: string; domains: { domain: string; directory: DirectoryConnection; publisher: KerberosPublisher }[] }[];
}

const lab = new pulumi.Config().requireObject<LabSites>("lab");
const corp = lab.forests.find((f) => f.name === "corp")!.domains[0];

const server = new AzureADKerberosServer("corp", {
    domain: corp.domain,
    directory: corp.directory,          // the bind password is a reference ({ env: ... }), never a value
    publisher: corp.publisher,
    graph: lab.graph,                   // cross-checks the published key version in the Entra audit log
    allowedGroups: ["Domain Users"],
    deniedGroups: ["Domain Guests"],
    keyRotation: { maxAgeDays: 180 },
});

export const domain = server.domainDnsName;
export const keyVersion = server.keyVersion;
export const cloudKeyVersion = server.cloudKeyVersion;
export const inSync = server.inSync;
export const driftReasons = server.driftReasons;
