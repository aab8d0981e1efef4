// The settings of the Windows Hello for Business cloud Kerberos trust profile. Every id and option is
// one a real tenant's catalog has (the 33 real definitions of docs/sources.md, "The artefacts the
// emulator is held to", checked by test/contract/artefacts/). `{tenantid}`
// stays literal in every id: Intune substitutes the tenant when it builds the CSP node.
import { choice, groupCollection, type SettingInstance } from "./settings-catalog";

export type CloudTrustScope = "device" | "user" | "both";
export const SCOPES: readonly CloudTrustScope[] = ["device", "user", "both"];

export interface CloudTrustSettingsInput {
    scope: CloudTrustScope;
    useWindowsHelloForBusiness: boolean;
    useCloudTrustForOnPremAuth: boolean;
    useSecurityKeyForSignIn?: boolean;
    cloudKerberosTicketRetrieval?: boolean;
}

export const DEVICE_WHFB = "device_vendor_msft_passportforwork_{tenantid}";
export const USER_WHFB = "user_vendor_msft_passportforwork_{tenantid}";
export const DEVICE = {
    usePassportForWork: `${DEVICE_WHFB}_policies_usepassportforwork`,
    useCloudTrustForOnPremAuth: `${DEVICE_WHFB}_policies_usecloudtrustforonpremauth`,
    useCertificateForOnPremAuth: `${DEVICE_WHFB}_policies_usecertificateforonpremauth`,
} as const;
/**
 * Top level, not in the {TenantId} group: the CSP node is ./Device/Vendor/MSFT/PassportForWork/
 * SecurityKey/UseSecurityKeyForSignin (Integer; 0 disabled, 1 enabled), so the options are _0 / _1.
 */
export const SECURITY_KEY_FOR_SIGN_IN = "device_vendor_msft_passportforwork_securitykey_usesecuritykeyforsignin";
/**
 * The id versions before issue 15 sent, as a child of the device group. The real catalog has no
 * such definition, so a real tenant would refuse it; policies the lab holds under it are found on
 * refresh and rewritten.
 */
export const LEGACY_SECURITY_KEY_FOR_SIGN_IN = `${DEVICE_WHFB}_policies_usesecuritykeyforsignin`;
export const USER_USE_PASSPORT_FOR_WORK = `${USER_WHFB}_policies_usepassportforwork`;
/** Top level (not in the PassportForWork group); integer options _0 / _1. */
export const CLOUD_KERBEROS_TICKET_RETRIEVAL = "device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled";

const bool = (v: boolean) => (v ? "true" : "false");
const integer = (v: boolean) => (v ? "1" : "0");

/** Device-only inputs: there is no user variant of these settings. */
export const DEVICE_ONLY_INPUTS = ["useCloudTrustForOnPremAuth", "useSecurityKeyForSignIn", "cloudKerberosTicketRetrieval"] as const;

export function cloudTrustSettings(i: CloudTrustSettingsInput): SettingInstance[] {
    const out: SettingInstance[] = [];
    if (i.scope === "device" || i.scope === "both") {
        const children = [
            choice(DEVICE.usePassportForWork, bool(i.useWindowsHelloForBusiness)),
            choice(DEVICE.useCloudTrustForOnPremAuth, bool(i.useCloudTrustForOnPremAuth)),
            // Kept off explicitly: certificate trust takes precedence over cloud Kerberos trust when enabled.
            choice(DEVICE.useCertificateForOnPremAuth, "false"),
        ];
        out.push(groupCollection(DEVICE_WHFB, [children]));
        if (i.useSecurityKeyForSignIn !== undefined) out.push(choice(SECURITY_KEY_FOR_SIGN_IN, integer(i.useSecurityKeyForSignIn)));
        if (i.cloudKerberosTicketRetrieval !== undefined) out.push(choice(CLOUD_KERBEROS_TICKET_RETRIEVAL, integer(i.cloudKerberosTicketRetrieval)));
    }
    if (i.scope === "user" || i.scope === "both") {
        out.push(groupCollection(USER_WHFB, [[choice(USER_USE_PASSPORT_FOR_WORK, bool(i.useWindowsHelloForBusiness))]]));
    }
    return out;
}
