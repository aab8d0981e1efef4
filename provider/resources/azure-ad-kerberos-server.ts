// AzureADKerberosServer: one Azure AD (Entra) Kerberos server per AD domain, what
// Set/Get/Remove-AzureADKerberosServer do by hand, as a Pulumi resource (docs/resources/). The provider
// object holds only a module path (core/dynamic.ts); the implementation is -impl.ts.
import * as pulumi from "@pulumi/pulumi";
import { DYNAMIC_MODULE, lazyProvider, packageModule } from "../core/dynamic";
import type {
    AzureADKerberosServerInputs, DirectoryConnection, GraphConnection, KerberosPublisher, KeyRotation, OperationTimeouts,
} from "../kerberos/model";
import { DRIFT_INPUT, OUTPUT_KEYS, OWNER_INPUT } from "../kerberos/model";
import type { DeepInput } from "./deep-input";

// One definition of "plain value or output at every level", shared by the resources' Args types.
export type { DeepInput } from "./deep-input";

export interface AzureADKerberosServerArgs {
    /** DNS name of the AD domain; changing it replaces the resource */
    domain: pulumi.Input<string>;
    directory: DeepInput<DirectoryConnection>;
    /** who creates, rotates, publishes and removes the key material */
    publisher: DeepInput<KerberosPublisher>;
    /** cross-checks the cloud key version against the Entra audit log; required with the lab publisher */
    graph?: DeepInput<GraphConnection>;
    /** msDS-RevealOnDemandGroup: names, DNs or SIDs; default ["Domain Users"] */
    allowedGroups?: pulumi.Input<pulumi.Input<string>[]>;
    /** added to the nine built-in denied groups, which always stay */
    deniedGroups?: pulumi.Input<pulumi.Input<string>[]>;
    /** default false: without it a privileged group in allowedGroups is refused */
    allowPrivilegedGroups?: pulumi.Input<boolean>;
    /** rotate when older than maxAgeDays, whenever trigger changes; force ignores the 24-hour rule */
    keyRotation?: DeepInput<KeyRotation>;
    /** per-operation limits in seconds (defaults: create 300, read 120, update 300, delete 180) */
    timeouts?: DeepInput<OperationTimeouts>;
}

export const azureADKerberosServerProvider = lazyProvider(
    packageModule("bin/provider/resources/azure-ad-kerberos-server-impl"), "azureADKerberosServerProvider");

export class AzureADKerberosServer extends pulumi.dynamic.Resource {
    declare readonly domain: pulumi.Output<string>;
    /** msDS-SecondaryKrbTgtNumber: Get-AzureADKerberosServer's Id */
    declare readonly branchId: pulumi.Output<number | null>;
    declare readonly domainDnsName: pulumi.Output<string>;
    declare readonly computerAccount: pulumi.Output<string | null>;
    declare readonly userAccount: pulumi.Output<string | null>;
    /** originating USN of the krbtgt_AzureAD key change */
    declare readonly keyVersion: pulumi.Output<number | null>;
    declare readonly keyUpdatedOn: pulumi.Output<string | null>;
    declare readonly keyUpdatedFrom: pulumi.Output<string | null>;
    declare readonly cloudId: pulumi.Output<number | null>;
    declare readonly cloudDomainDnsName: pulumi.Output<string | null>;
    declare readonly cloudKeyVersion: pulumi.Output<number | null>;
    declare readonly cloudKeyUpdatedOn: pulumi.Output<string | null>;
    /** OriginatingUsn of the newest KerberosDomain audit event (with `graph`) */
    declare readonly auditKeyVersion: pulumi.Output<number | null>;
    declare readonly cloudKeySource: pulumi.Output<"module" | "auditLog" | "state" | "none">;
    /** when this resource last rotated the key */
    declare readonly lastRotatedOn: pulumi.Output<string | null>;
    declare readonly inSync: pulumi.Output<boolean>;
    /** one sentence per difference found by the last create, update or refresh */
    declare readonly driftReasons: pulumi.Output<string[]>;

    constructor(name: string, args: AzureADKerberosServerArgs, opts?: pulumi.CustomResourceOptions) {
        const outputs: Record<string, undefined> = {};
        for (const k of OUTPUT_KEYS) outputs[k] = undefined; // registered as outputs
        const props: Record<string, unknown> = {
            ...outputs,
            ...(args as AzureADKerberosServerInputs | object),
            // The desired verdict, as a hidden input: refresh reports the observed reasons under this
            // name, so a drifted server previews as `driftReasons: ["…"] => []`.
            [DRIFT_INPUT]: [],
            // Who declares this server: its allow/deny entries are claimed in AD under this name, so
            // another stack declaring the same domain keeps them (ad/list-claims.ts).
            [OWNER_INPUT]: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
        };
        super(azureADKerberosServerProvider, name, props, opts, DYNAMIC_MODULE, "AzureADKerberosServer");
    }
}
