// CloudKerberosTrust's arguments (docs/resources/) and its per-domain status row. Forest names, waves and
// domain names are plain values: they decide the children's names and the rollout order, which must
// be known when the program runs. Everything else may be an output of another resource.
import type { AssignmentsInput } from "../intune/assignments";
import type * as pulumi from "@pulumi/pulumi";
import type { AzureADKerberosServerOutputs, DirectoryConnection, GraphConnection, KerberosPublisher, KeyRotation, OperationTimeouts } from "../kerberos/model";
import type { CloudTrustPolicyArgs } from "../resources/cloud-trust-policy";
import type { ConditionalAccessExclusionArgs } from "../resources/conditional-access-exclusion";
import type { DeepInput } from "../resources/deep-input";
import type { Fido2SecurityKeyMethodArgs } from "../resources/fido2-security-key-method";
import type { HostToRealmMappingArgs } from "../resources/host-to-realm-mapping";

export interface TrustDomainArgs {
    /** DNS name of the AD domain */
    domain: string;
    directory: DeepInput<DirectoryConnection>;
    publisher: DeepInput<KerberosPublisher>;
    allowedGroups?: pulumi.Input<pulumi.Input<string>[]>;
    deniedGroups?: pulumi.Input<pulumi.Input<string>[]>;
    allowPrivilegedGroups?: pulumi.Input<boolean>;
    /** this domain's own rotation settings, instead of the rollout's */
    keyRotation?: DeepInput<KeyRotation>;
    timeouts?: DeepInput<OperationTimeouts>;
}

export interface TrustForestArgs {
    /** short name; children are named `<forest>/<domain>` */
    name: string;
    /** default 1; every domain of a lower wave is created and in sync before this forest starts */
    wave?: number;
    domains: TrustDomainArgs[];
}

export interface CloudKerberosTrustArgs {
    graph: DeepInput<GraphConnection>;
    forests: TrustForestArgs[];
    /** for every domain that does not set its own */
    keyRotation?: DeepInput<KeyRotation>;
    cloudTrustPolicy?: Omit<CloudTrustPolicyArgs, "graph">;
    hostToRealm?: Omit<HostToRealmMappingArgs, "graph">;
    fido2SecurityKeyMethod?: Omit<Fido2SecurityKeyMethodArgs, "graph">;
    /** `name` names the child (default: the policy), for two exclusions on one policy */
    conditionalAccessExclusions?: (Omit<ConditionalAccessExclusionArgs, "graph"> & { name?: string })[];
    /**
     * Gate each wave on the readiness report too (docs/readiness.md): wave N+1 starts only when the
     * report of wave N's domains has no blocking finding. Default false.
     */
    readinessGate?: boolean;
}

/** The same, as plain data: what the stack config `cloudKerberosTrust` holds. */
export interface CloudKerberosTrustSpec {
    /** trusted by every connection below that names no CA certificate of its own */
    caCertificate?: string;
    graph: GraphConnection;
    forests: {
        name: string;
        wave?: number;
        domains: {
            domain: string; directory: DirectoryConnection; publisher: KerberosPublisher; allowedGroups?: string[]; deniedGroups?: string[];
            allowPrivilegedGroups?: boolean; keyRotation?: KeyRotation; timeouts?: OperationTimeouts;
        }[];
    }[];
    keyRotation?: KeyRotation;
    cloudTrustPolicy?: {
        displayName: string; description?: string; scope?: "device" | "user" | "both"; useWindowsHelloForBusiness?: boolean;
        useCloudTrustForOnPremAuth?: boolean; useSecurityKeyForSignIn?: boolean; cloudKerberosTicketRetrieval?: boolean;
        assignments?: Assignments; adoptExisting?: boolean;
    };
    hostToRealm?: { displayName: string; mappings: { realm: string; hosts: string[] }[]; assignments?: Assignments; adoptExisting?: boolean };
    fido2SecurityKeyMethod?: {
        includeGroups?: string[]; state?: "enabled" | "disabled"; isSelfServiceRegistrationAllowed?: boolean; isAttestationEnforced?: boolean;
        keyRestrictions?: { isEnforced: boolean; enforcementType: "allow" | "block"; aaGuids: string[] };
    };
    conditionalAccessExclusions?: { name?: string; policy: string; excludeApplications?: string[]; excludeGroups?: string[]; excludeUsers?: string[] }[];
    readinessGate?: boolean;
}

/** The Intune children's `assignments`: the same shape as the resources' own input. */
type Assignments = AssignmentsInput;

/** One row of the status table: Get-AzureADKerberosServer's properties plus the verdict. */
export type DomainStatus = { forest: string; wave: number; domain: string }
    & Omit<AzureADKerberosServerOutputs, "auditKeyVersion" | "cloudKeySource" | "lastRotatedOn">;

/** One row of the tenant table: a tenant resource of the rollout, the object it manages, its part of it. */
export interface TenantResourceStatus {
    kind: "CloudTrustPolicy" | "HostToRealmMapping" | "ConditionalAccessExclusion" | "Fido2SecurityKeyMethod";
    /** the child's name */
    name: string;
    /** the Intune profile's id, the Conditional Access policy's name, or the FIDO2 method */
    object: string;
    /** what of the object this rollout declares and owns */
    owned: string;
    /** the Intune resources' drift as their last refresh saw it; [] for the others, which repair what they own */
    drift: string[];
}
