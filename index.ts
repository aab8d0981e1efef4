// The root program (the main job): `pulumi up --stack <name>` builds one CloudKerberosTrust rollout
// from the stack's structured config `cloudKerberosTrust` (API.md; `npm run lab -- up` writes it for
// the lab). The config is checked against the package's JSON schema first: a bad value stops the
// program before any resource is registered, with every problem named by its config path.
import * as pulumi from "@pulumi/pulumi";
import { CloudKerberosTrust, parseCloudKerberosTrustConfig } from "./provider";
import { CONFIG_KEY } from "./provider/components/cloud-kerberos-trust-config";

function loadSpec() {
    try {
        return parseCloudKerberosTrustConfig(new pulumi.Config().requireObject(CONFIG_KEY));
    } catch (e) {
        // RunError: the engine prints the message alone, without a stack trace
        throw new pulumi.RunError(e instanceof Error ? e.message : String(e));
    }
}

const trust = new CloudKerberosTrust("cloud-kerberos-trust", loadSpec());

/** one row per domain: Get-AzureADKerberosServer's properties plus inSync and driftReasons */
export const domains = trust.domains;
export const statusTable = trust.statusTable;
export const allInSync = trust.allInSync;
/** one row per tenant resource: the Intune profiles, the Conditional Access exclusions, the FIDO2 method */
export const tenantTable = trust.tenantTable;
/** the Intune cloud trust profile's id, when the config declares one */
export const cloudTrustPolicyId = trust.cloudTrustPolicy?.policyId;
