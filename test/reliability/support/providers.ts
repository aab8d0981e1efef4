// The resources' providers as Pulumi's dynamic-provider host receives them (serialized in a
// plain node process, as pulumi.dynamic.Resource does), for tests that drive the host directly.
import { serializeProviderInNode } from "../../support/serialize";

export type Resource = "AzureADKerberosServer" | "CloudTrustPolicy" | "HostToRealmMapping" | "ConditionalAccessExclusion" | "Fido2SecurityKeyMethod";

const MODULES: Record<Resource, [string, string]> = {
    AzureADKerberosServer: ["bin/provider/resources/azure-ad-kerberos-server.js", "azureADKerberosServerProvider"],
    CloudTrustPolicy: ["bin/provider/resources/cloud-trust-policy.js", "cloudTrustPolicyProvider"],
    HostToRealmMapping: ["bin/provider/resources/host-to-realm-mapping.js", "hostToRealmMappingProvider"],
    ConditionalAccessExclusion: ["bin/provider/resources/conditional-access-exclusion.js", "conditionalAccessExclusionProvider"],
    Fido2SecurityKeyMethod: ["bin/provider/resources/fido2-security-key-method.js", "fido2SecurityKeyMethodProvider"],
};

let serialized: Record<Resource, string> | undefined;

/** The serialized provider text of a resource (serialized once per test file). */
export function providerText(r: Resource): string {
    serialized ??= Object.fromEntries(Object.entries(MODULES).map(([k, [m, e]]) => [k, serializeProviderInNode(m, e).text])) as Record<Resource, string>;
    return serialized[r];
}

/** A resource's URN in the reliability tests' stack. */
export function resourceUrn(r: Resource, name: string): string {
    return `urn:pulumi:reliability::entra-kerberos::pulumi-nodejs:dynamic/entra-kerberos:${r}::${name}`;
}

/** Inputs as the engine sends them: plain JSON, with the serialized provider. */
export function withProvider(r: Resource, inputs: Record<string, any>): Record<string, any> {
    return { __provider: providerText(r), ...JSON.parse(JSON.stringify(inputs)) };
}
