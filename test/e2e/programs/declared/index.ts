// Declares exactly the resources listed in config, importing the package by name as a user's
// program would: `servers` -> AzureADKerberosServer, `exclusions` -> ConditionalAccessExclusion.
// The policy pack tests use it to put one offending input in front of the real CLI at a time.
import * as pulumi from "@pulumi/pulumi";
import { AzureADKerberosServer, ConditionalAccessExclusion, type AzureADKerberosServerArgs, type ConditionalAccessExclusionArgs } from "pulumi-entra-kerberos";

const config = new pulumi.Config();
for (const s of config.getObject<{ name: string; args: AzureADKerberosServerArgs }[]>("servers") ?? []) {
    new AzureADKerberosServer(s.name, s.args);
}
for (const e of config.getObject<{ name: string; args: ConditionalAccessExclusionArgs }[]>("exclusions") ?? []) {
    new ConditionalAccessExclusion(e.name, e.args);
}
