// HostToRealmMapping: Kerberos host-to-realm mappings for Windows clients (docs/resources/), delivered by the
// settings catalog when the tenant has a HostToRealm definition, else as a custom OMA-URI profile.
// The implementation is host-to-realm-mapping-impl.ts, the reconciler provider/intune/host-to-realm-mapping.ts.
import * as pulumi from "@pulumi/pulumi";
import { DYNAMIC_MODULE, lazyProvider, packageModule } from "../core/dynamic";
import type { GraphConnection } from "../graph/types";
import type { AssignmentsInput } from "../intune/assignments";
import type { RealmMapping } from "../intune/host-to-realm";
import { HOST_TO_REALM_OUTPUT_KEYS as OUTPUT_KEYS, type Delivery } from "../intune/model";
import type { DeepInput } from "./deep-input";

export interface HostToRealmMappingArgs {
    graph: DeepInput<GraphConnection>;
    /** the profile's name in Intune */
    displayName: pulumi.Input<string>;
    /** e.g. [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }] */
    mappings: DeepInput<RealmMapping[]>;
    /** groups by exact display name or object id; unset leaves the profile's assignments alone */
    assignments?: DeepInput<AssignmentsInput>;
    /** take over an existing profile of the same name that pulumi-entra-kerberos did not create */
    adoptExisting?: pulumi.Input<boolean>;
}

export const hostToRealmMappingProvider = lazyProvider(packageModule("bin/provider/resources/host-to-realm-mapping-impl"), "hostToRealmMappingProvider");

export class HostToRealmMapping extends pulumi.dynamic.Resource {
    declare readonly displayName: pulumi.Output<string>;
    /** canonical (realms and hosts sorted, hosts lower case); as read back when delivered by the settings catalog */
    declare readonly mappings: pulumi.Output<RealmMapping[]>;
    /** the configuration policy's or device configuration's id */
    declare readonly policyId: pulumi.Output<string>;
    declare readonly deliveredAs: pulumi.Output<Delivery>;
    /** sha256 of the payload, as stored in the profile's description */
    declare readonly contentHash: pulumi.Output<string | undefined>;
    declare readonly lastModifiedDateTime: pulumi.Output<string>;
    /** custom OMA-URI: the secret reference of the value written last (Intune renews it on every write) */
    declare readonly valueReference: pulumi.Output<string | undefined>;
    declare readonly assignments: pulumi.Output<AssignmentsInput | undefined>;
    declare readonly includeGroupIds: pulumi.Output<string[] | undefined>;
    declare readonly excludeGroupIds: pulumi.Output<string[] | undefined>;
    declare readonly resolvedGroups: pulumi.Output<Record<string, string> | undefined>;
    /** differences found by the last refresh that the other outputs cannot show; absent when none */
    declare readonly drift: pulumi.Output<string[] | undefined>;

    constructor(name: string, args: HostToRealmMappingArgs, opts?: pulumi.CustomResourceOptions) {
        const outputs: Record<string, undefined> = {};
        for (const k of OUTPUT_KEYS) outputs[k] = undefined; // registered as outputs
        super(hostToRealmMappingProvider, name, { ...outputs, ...args }, opts, DYNAMIC_MODULE, "HostToRealmMapping");
    }
}
