// The audit events Entra writes for a KerberosDomain (docs/sources.md, Kerberos §3.1): service
// "Core Directory", category KerberosDomain, target krbtgt_<N>, action client DirectorySync,
// with the modified properties the module's calls produce. EncryptedKerberosDomainKey is left out:
// the lab holds no key material (the key cannot be read over LDAP, §2.1).
import { randomUUID } from "node:crypto";
import { AuditActor, DirectoryAuditEvent, KerberosDomainRecord } from "./types";

export type AuditKind = "Add" | "Update" | "Delete";

const DESCRIPTION = "An Active Directory Domain Controller object .";

/** KerberosDomainDescription as Entra shows it: a JSON array with one entry per key. */
export function kerberosDomainDescription(r: KerberosDomainRecord): string {
    return JSON.stringify([{ Version: 0, BranchId: r.branchId, OriginatingUsn: r.keyVersion, OriginatingTime: isoSeconds(r.keyUpdatedOn) }]);
}

/** Entra prints times without fractions (2021-04-23T10:26:55Z). */
function isoSeconds(iso: string): string {
    return new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function properties(r: KerberosDomainRecord): Record<string, string> {
    return {
        DisplayName: JSON.stringify([r.displayName]),
        Description: JSON.stringify([DESCRIPTION]),
        KerberosDomainDnsName: JSON.stringify([r.domainDnsName]),
        KerberosDomainDescription: kerberosDomainDescription(r),
    };
}

function initiatedBy(actor: AuditActor | undefined): DirectoryAuditEvent["initiatedBy"] {
    if (actor && "user" in actor) {
        return { user: { id: actor.user.id ?? null, displayName: actor.user.displayName ?? null, userPrincipalName: actor.user.userPrincipalName, ipAddress: null }, app: null };
    }
    if (actor && "app" in actor) {
        return { user: null, app: { appId: actor.app.appId, displayName: actor.app.displayName ?? null, servicePrincipalId: actor.app.servicePrincipalId ?? null, servicePrincipalName: null } };
    }
    return { user: null, app: null };
}

/**
 * One audit event. `before` is the record as it was (Update/Delete), `after` as it is now (Add/Update);
 * only properties whose value changed are listed, as Entra does.
 */
export function kerberosDomainAuditEvent(kind: AuditKind, before: KerberosDomainRecord | undefined, after: KerberosDomainRecord | undefined,
    actor: AuditActor | undefined, at: Date): DirectoryAuditEvent {
    const subject = after ?? before;
    if (!subject) throw new Error("an audit event needs a record");
    const oldP = before ? properties(before) : {};
    const newP = after ? properties(after) : {};
    const names = [...new Set([...Object.keys(oldP), ...Object.keys(newP)])];
    const modifiedProperties = names
        .filter((n) => kind !== "Update" || oldP[n] !== newP[n])
        .map((n) => ({ displayName: n, oldValue: oldP[n] ?? null, newValue: newP[n] ?? null }));
    return {
        id: `Directory_${randomUUID()}`,
        category: "KerberosDomain",
        correlationId: randomUUID(),
        result: "success",
        resultReason: "",
        activityDisplayName: `${kind} kerberos domain` as DirectoryAuditEvent["activityDisplayName"],
        activityDateTime: at.toISOString(),
        loggedByService: "Core Directory",
        operationType: kind,
        initiatedBy: initiatedBy(actor),
        targetResources: [{
            id: subject.objectId, displayName: subject.displayName, type: "Other", userPrincipalName: null, groupType: null, modifiedProperties,
        }],
        additionalDetails: [{ key: "Action Client Name", value: "DirectorySync" }],
    };
}
