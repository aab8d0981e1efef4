// pulumi-entra-kerberos: the package's public surface (API.md) and nothing else.
export { AzureADKerberosServer, type AzureADKerberosServerArgs } from "./resources/azure-ad-kerberos-server";
export type { DirectoryConnection, GraphConnection, KerberosPublisher, SecretRef } from "./kerberos/model";
