// pulumi-entra-kerberos: the package's public surface (docs/resources/) and nothing else.
export { AzureADKerberosServer, type AzureADKerberosServerArgs } from "./resources/azure-ad-kerberos-server";
export type { DirectoryConnection, GraphConnection, KerberosPublisher, SecretRef } from "./kerberos/model";
export { CloudKerberosTrust, type CloudKerberosTrustArgs, type DomainStatus, type TrustDomainArgs, type TrustForestArgs } from "./components/cloud-kerberos-trust";
export { parseCloudKerberosTrustConfig, cloudKerberosTrustConfigErrors, cloudKerberosTrustSchema } from "./components/cloud-kerberos-trust-config";
export { CloudTrustPolicy, type CloudTrustPolicyArgs } from "./resources/cloud-trust-policy";
export { HostToRealmMapping, type HostToRealmMappingArgs } from "./resources/host-to-realm-mapping";
export type { AssignmentsInput } from "./intune/assignments";
export type { RealmMapping } from "./intune/host-to-realm";
export type { CloudTrustScope } from "./intune/cloud-trust-settings";
export { ConditionalAccessExclusion, type ConditionalAccessExclusionArgs } from "./resources/conditional-access-exclusion";
export { Fido2SecurityKeyMethod, type Fido2SecurityKeyMethodArgs } from "./resources/fido2-security-key-method";
// Types the public arguments and outputs above refer to (so the API reference can show them).
export type { AzureADKerberosServerOutputs, KeyRotation, EntraCloud, ModuleDomainCredential, OperationTimeouts, PowerShellHost, PublisherShell, PublisherSignIn } from "./kerberos/model";
export type { WaveGate, WaveGateDomain } from "./resources/wave-gate";
export type { Delivery } from "./intune/model";
export type { DeepInput } from "./resources/deep-input";
export type { EnforcementType, MethodState } from "./fido2/model";
export type { GraphCredentialConfig } from "./graph/types";
export type { SchemaError } from "./components/json-schema";
export type { CloudKerberosTrustSpec } from "./components/cloud-kerberos-trust-types";
