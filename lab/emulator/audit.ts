// Directory audit events (v1.0 auditLogs/directoryAudits), shaped like Entra's. The lab Kerberos
// publisher records KerberosDomain events through GraphEmulator.recordDirectoryAudit, ideally built
// with kerberosDomainAudit() so they match docs/sources.md, Kerberos §3.1: service "Core Directory",
// category KerberosDomain, activities "Add/Update/Delete kerberos domain", target krbtgt_<N>,
// modifiedProperties KerberosDomainDnsName and KerberosDomainDescription
// ([{"Version":0,"BranchId":N,"OriginatingUsn":<key version>,"OriginatingTime":"<ISO>"}]),
// "Action Client Name" DirectorySync, initiated by the admin who ran the cmdlet.
import { newGuid, nowIso } from "./ids";

export interface AuditInput {
    activityDisplayName: string;
    category: string;
    targetResources: any[];
    additionalDetails?: any[];
    initiatedBy?: any;
    result?: string;
    /** defaults to now; tests set it to exercise date filters */
    activityDateTime?: string;
    correlationId?: string;
    loggedByService?: string;
    /** kept when the caller already built a complete event (the lab publisher does) */
    id?: string;
    operationType?: string;
    resultReason?: string;
}

const OPERATION: Record<string, string> = { add: "Add", update: "Update", delete: "Delete", restore: "Restore" };

/** Completes an audit record the way Entra returns it. */
export function buildDirectoryAudit(e: AuditInput): any {
    if (typeof e.activityDisplayName !== "string" || e.activityDisplayName === "") throw new Error("audit: activityDisplayName is required");
    if (typeof e.category !== "string" || e.category === "") throw new Error("audit: category is required");
    if (!Array.isArray(e.targetResources)) throw new Error("audit: targetResources must be an array");
    const verb = e.activityDisplayName.split(" ")[0].toLowerCase();
    return {
        id: e.id ?? `Directory_${newGuid().toUpperCase()}_${Math.random().toString(36).slice(2, 7).toUpperCase()}_${Date.now() % 1e9}`,
        category: e.category,
        correlationId: e.correlationId ?? newGuid(),
        result: e.result ?? "success",
        resultReason: e.resultReason ?? "",
        activityDisplayName: e.activityDisplayName,
        activityDateTime: e.activityDateTime ?? nowIso(),
        loggedByService: e.loggedByService ?? "Core Directory",
        operationType: e.operationType ?? OPERATION[verb] ?? "Other",
        initiatedBy: e.initiatedBy ?? { app: null, user: null },
        targetResources: e.targetResources.map((t) => ({
            id: t.id ?? newGuid(),
            displayName: t.displayName ?? null,
            type: t.type ?? "Other",
            userPrincipalName: t.userPrincipalName ?? null,
            groupType: t.groupType ?? null,
            modifiedProperties: t.modifiedProperties ?? [],
        })),
        additionalDetails: e.additionalDetails ?? [],
    };
}

export interface KerberosDomainEvent {
    activity: "Add" | "Update" | "Delete" | "Restore";
    /** N in krbtgt_<N>: the RODC number / BranchId of the krbtgt_AzureAD account */
    branchId: number;
    domainDnsName: string;
    /** KeyVersion (originating USN of the key change) and when it happened */
    keyVersion: number;
    keyUpdatedOn: string;
    /** previous values, for Update events */
    previous?: { keyVersion: number; keyUpdatedOn: string };
    /** the admin who ran Set-AzureADKerberosServer */
    initiatedBy?: { userPrincipalName: string; id?: string; displayName?: string; ipAddress?: string };
    /** the KerberosDomain object id (stable per domain) */
    objectId?: string;
    activityDateTime?: string;
}

const json = (v: unknown) => JSON.stringify(v);

function description(branchId: number, usn: number, time: string) {
    return [{ Version: 0, BranchId: branchId, OriginatingUsn: usn, OriginatingTime: time }];
}

/** Builds the input for recordDirectoryAudit for one KerberosDomain change. */
export function kerberosDomainAudit(ev: KerberosDomainEvent): AuditInput {
    const isAdd = ev.activity === "Add", isDelete = ev.activity === "Delete";
    const cur = description(ev.branchId, ev.keyVersion, ev.keyUpdatedOn);
    const old = ev.previous ? description(ev.branchId, ev.previous.keyVersion, ev.previous.keyUpdatedOn) : null;
    // Entra renders each value as a JSON array in a string; Delete events carry the old values only
    const modifiedProperties = [
        { displayName: "KerberosDomainDnsName", oldValue: isAdd ? "[]" : json([ev.domainDnsName]), newValue: isDelete ? "[]" : json([ev.domainDnsName]) },
        { displayName: "KerberosDomainDescription", oldValue: isAdd ? "[]" : json(old ?? cur), newValue: isDelete ? "[]" : json(cur) },
        { displayName: "Included Updated Properties", oldValue: null, newValue: json("KerberosDomainDnsName, KerberosDomainDescription, EncryptedKerberosDomainKey") },
    ];
    const u = ev.initiatedBy;
    return {
        activityDisplayName: `${ev.activity} kerberos domain`,
        category: "KerberosDomain",
        activityDateTime: ev.activityDateTime,
        loggedByService: "Core Directory",
        result: "success",
        targetResources: [{ id: ev.objectId ?? newGuid(), displayName: `krbtgt_${ev.branchId}`, type: "Other", modifiedProperties }],
        initiatedBy: u
            ? { app: null, user: { id: u.id ?? null, displayName: u.displayName ?? null, userPrincipalName: u.userPrincipalName, ipAddress: u.ipAddress ?? "127.0.0.1", userType: null, homeTenantId: null, homeTenantName: null } }
            : { app: null, user: null },
        additionalDetails: [{ key: "Action Client Name", value: "DirectorySync" }],
    };
}
