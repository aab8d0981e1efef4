// The type tokens of pulumi-entra-kerberos's dynamic resources (docs/resources/):
// pulumi-nodejs:dynamic/entra-kerberos:<ClassName>. The pack matches on these strings, so it needs
// no import of the package itself.
export const KERBEROS_SERVER = "pulumi-nodejs:dynamic/entra-kerberos:AzureADKerberosServer";
export const CA_EXCLUSION = "pulumi-nodejs:dynamic/entra-kerberos:ConditionalAccessExclusion";

/** A value Pulumi does not know yet during a preview is absent or marked unknown; rules skip those. */
export function known<T>(v: T | undefined | null): v is T {
    return v !== undefined && v !== null;
}
