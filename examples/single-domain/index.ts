// One AD domain: the Azure AD Kerberos server of corp, with a key that rotates at least every 180
// days, Domain Users allowed, one extra denied group. Runs against the local lab: the config key `lab`
// holds the lab's connections (the shape `npm run lab -- up` writes as `cloudKerberosTrust`, see README).
import * as pulumi from "@pulumi/pulumi";
import { AzureADKerberosServer, parseCloudKerberosTrustConfig } from "pulumi-entra-kerberos";

// checked against the package's schema; its one top-level caCertificate is given to every connection
const lab = parseCloudKerberosTrustConfig(new pulumi.Config().requireObject("lab"), "lab");
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
