// CloudTrustPolicy: the Intune settings catalog profile for Windows Hello for Business cloud Kerberos
// trust (docs/resources/). The provider object holds only a module path (core/dynamic.ts); the
// implementation is cloud-trust-policy-impl.ts, the reconciler provider/intune/cloud-trust-policy.ts.
import * as pulumi from "@pulumi/pulumi";
import { DYNAMIC_MODULE, lazyProvider, packageModule } from "../core/dynamic";
import type { GraphConnection } from "../graph/types";
import type { AssignmentsInput } from "../intune/assignments";
import type { CloudTrustScope } from "../intune/cloud-trust-settings";
import { CLOUD_TRUST_OUTPUT_KEYS as OUTPUT_KEYS } from "../intune/model";
import type { DeepInput } from "./deep-input";

export interface CloudTrustPolicyArgs {
    graph: DeepInput<GraphConnection>;
    /** the profile's name in Intune */
    displayName: pulumi.Input<string>;
    description?: pulumi.Input<string>;
    /** "device" (default): device settings; "user": the user WHfB setting only; "both" */
    scope?: pulumi.Input<CloudTrustScope>;
    /** Use Windows Hello For Business; default true */
    useWindowsHelloForBusiness?: pulumi.Input<boolean>;
    /** Use Cloud Trust For On Prem Auth (device only); default true */
    useCloudTrustForOnPremAuth?: pulumi.Input<boolean>;
    /** Use Security Key For Signin (device only); unset leaves it out of the profile */
    useSecurityKeyForSignIn?: pulumi.Input<boolean>;
    /** Kerberos/CloudKerberosTicketRetrievalEnabled (device only); unset leaves it out of the profile */
    cloudKerberosTicketRetrieval?: pulumi.Input<boolean>;
    /** groups by exact display name or object id; unset leaves the profile's assignments alone */
    assignments?: DeepInput<AssignmentsInput>;
    /**
     * Take over an existing profile of the same name that pulumi-entra-kerberos did not create
     * (its settings and assignments are replaced). Without it such a profile is refused by name.
     */
    adoptExisting?: pulumi.Input<boolean>;
}

export const cloudTrustPolicyProvider = lazyProvider(packageModule("bin/provider/resources/cloud-trust-policy-impl"), "cloudTrustPolicyProvider");

export class CloudTrustPolicy extends pulumi.dynamic.Resource {
    declare readonly displayName: pulumi.Output<string>;
    declare readonly description: pulumi.Output<string | undefined>;
    declare readonly scope: pulumi.Output<CloudTrustScope>;
    /** the configuration policy's id */
    declare readonly policyId: pulumi.Output<string>;
    declare readonly settingCount: pulumi.Output<number>;
    declare readonly lastModifiedDateTime: pulumi.Output<string>;
    /** the profile's settings as one line per value, as last read from Intune */
    declare readonly settings: pulumi.Output<string[]>;
    /** the assignments as last read from Intune, in the program's terms */
    declare readonly assignments: pulumi.Output<AssignmentsInput | undefined>;
    /** object ids the include/exclude entries resolved to at the last create or update */
    declare readonly includeGroupIds: pulumi.Output<string[] | undefined>;
    declare readonly excludeGroupIds: pulumi.Output<string[] | undefined>;
    declare readonly resolvedGroups: pulumi.Output<Record<string, string> | undefined>;
    /** differences the other outputs cannot show, found by the last refresh; absent when none */
    declare readonly drift: pulumi.Output<string[] | undefined>;

    constructor(name: string, args: CloudTrustPolicyArgs, opts?: pulumi.CustomResourceOptions) {
        const outputs: Record<string, undefined> = {};
        for (const k of OUTPUT_KEYS) outputs[k] = undefined; // registered as outputs
        super(cloudTrustPolicyProvider, name, { ...outputs, ...args }, opts, DYNAMIC_MODULE, "CloudTrustPolicy");
    }
}
