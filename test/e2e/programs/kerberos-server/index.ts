// One AzureADKerberosServer per configured lab domain, importing the package by name as a user's
// program would. Everything comes from the structured config key `servers` (set by the e2e test).
import * as pulumi from "@pulumi/pulumi";
import { AzureADKerberosServer } from "pulumi-entra-kerberos";
import type { AzureADKerberosServerArgs } from "pulumi-entra-kerberos";

interface ServerConfig {
    name: string;
    args: AzureADKerberosServerArgs;
}

const config = new pulumi.Config();
const servers = config.requireObject<ServerConfig[]>("servers");

export const results: Record<string, Record<string, pulumi.Output<unknown>>> = {};
for (const s of servers) {
    const r = new AzureADKerberosServer(s.name, s.args);
    results[s.name] = {
        domainDnsName: r.domainDnsName, branchId: r.branchId, computerAccount: r.computerAccount, userAccount: r.userAccount,
        keyVersion: r.keyVersion, keyUpdatedOn: r.keyUpdatedOn, keyUpdatedFrom: r.keyUpdatedFrom, cloudId: r.cloudId,
        cloudDomainDnsName: r.cloudDomainDnsName, cloudKeyVersion: r.cloudKeyVersion, cloudKeyUpdatedOn: r.cloudKeyUpdatedOn,
        auditKeyVersion: r.auditKeyVersion, cloudKeySource: r.cloudKeySource, inSync: r.inSync, driftReasons: r.driftReasons,
    };
}
