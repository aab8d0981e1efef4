// The program the workflow deploys: one CloudKerberosTrust built from the stack config
// `cloudKerberosTrust` (the same as this package's root program). A bad config stops here, before
// any resource is registered, with each problem named by its path (e.g.
// cloudKerberosTrust.forests[1].domains[0].domain).
import * as pulumi from "@pulumi/pulumi";
import { CloudKerberosTrust, parseCloudKerberosTrustConfig } from "pulumi-entra-kerberos";

const trust = new CloudKerberosTrust("cloud-kerberos-trust", parseCloudKerberosTrustConfig(new pulumi.Config().requireObject("cloudKerberosTrust")));

export const statusTable = trust.statusTable;
export const domains = trust.domains;
export const allInSync = trust.allInSync;
