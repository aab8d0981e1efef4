// Types of the lab Kerberos publisher: the cloud side of Set/Get/Remove-AzureADKerberosServer for
// the local lab. Microsoft's cloud API for this is private (docs/sources.md, Kerberos §3.2), so the lab
// keeps its own KerberosDomain records and writes the audit events Entra would write.

/** The cloud's KerberosDomain object, one per AD domain (docs/sources.md, Kerberos §3.1). */
export interface KerberosDomainRecord {
    /** the cloud object's id (target of the audit events) */
    objectId: string;
    /** KerberosDomainDnsName: CloudDomainDnsName in Get */
    domainDnsName: string;
    /** msDS-SecondaryKrbTgtNumber: CloudId in Get */
    branchId: number;
    /** krbtgt_<N>: CloudDisplayName */
    displayName: string;
    /** originating USN of the key change: CloudKeyVersion */
    keyVersion: number;
    /** originating time of the key change, ISO: CloudKeyUpdatedOn */
    keyUpdatedOn: string;
    /** DC the key was set on */
    keyUpdatedFrom?: string;
    /** last rotation requested through rotateServerKey (the 24 h rule counts these, not creation) */
    lastRotatedOn?: string;
    createdOn: string;
    updatedOn: string;
}

// One definition of the property table and credential shapes, shared with the provider's port.
import type { DomainCredential, KerberosServerTable } from "../../provider/publisher/port";
export type { DomainCredential, KerberosServerTable };

export interface SetRequest {
    domain: string;
    domainCredential: DomainCredential;
    rotateServerKey?: boolean;
    force?: boolean;
}

export interface DomainRequest {
    domain: string;
    domainCredential: DomainCredential;
}

/** What one `set` did: nothing, created/completed AD objects, (re)published the record, rotated the key. */
export interface SetResult {
    createdObjects: string[];
    rotated: boolean;
    published: "added" | "updated" | "none";
    server: KerberosServerTable;
    /** LDAP requests this call made (bind included) */
    ldapRoundTrips: number;
}

export interface RemoveResult {
    deletedObjects: string[];
    recordDeleted: boolean;
    ldapRoundTrips: number;
}

/** Who asked, as Entra's audit log shows it (the cloud credential's identity). */
export type AuditActor =
    | { app: { appId: string; displayName?: string; servicePrincipalId?: string } }
    | { user: { id?: string; userPrincipalName: string; displayName?: string } };

/** A directoryAudit in Microsoft Graph's shape (GET /auditLogs/directoryAudits). */
export interface DirectoryAuditEvent {
    id: string;
    category: "KerberosDomain";
    correlationId: string;
    result: "success";
    resultReason: string;
    activityDisplayName: "Add kerberos domain" | "Update kerberos domain" | "Delete kerberos domain";
    activityDateTime: string;
    loggedByService: "Core Directory";
    operationType: "Add" | "Update" | "Delete";
    initiatedBy: { user: Record<string, unknown> | null; app: Record<string, unknown> | null };
    targetResources: {
        id: string;
        displayName: string;
        type: string;
        userPrincipalName: null;
        groupType: null;
        modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[];
    }[];
    additionalDetails: { key: string; value: string }[];
}

/** Where audit events go: the Graph emulator's directoryAudits (or a test's recorder). */
export interface AuditSink {
    recordDirectoryAudit(event: DirectoryAuditEvent): void | Promise<void>;
}

/**
 * Checks the bearer token of a publisher request: GraphEmulator.verifyAccessToken fits. Returns the
 * token's claims; undefined (or a throw) means the token is not valid.
 */
export interface TokenVerifier {
    verifyAccessToken(authorizationHeader: string | undefined): unknown | Promise<unknown>;
}
