// Why an AzureADKerberosServer drifts, rotates or changes: typed reasons, decided by the drift,
// rotation and diff rules and rendered to text only here. Nothing decides by reading a reason's text
// (test/unit/core/no-text-logic.test.ts), so rewording a message cannot change what the provider does.

/** One difference between the observed server and the declared one. */
export type DriftReason =
    /** none of the three AD objects exists */
    | { kind: "objectsMissing"; domain: string }
    /** one of them is gone */
    | { kind: "objectMissing"; object: "service connection point" | "computer account" | "krbtgt account"; dn: string }
    /** the AD adapter's finding on objects that do not point at each other (its own sentence) */
    | { kind: "objectsInconsistent"; problem: string }
    | { kind: "cloudRecordMissing"; domain: string }
    | { kind: "cloudDomainName"; cloud: string; domain: string }
    | { kind: "branchId"; onPrem: number; cloud: number }
    | { kind: "keyVersion"; onPrem: number; cloud: number }
    | { kind: "auditDeleted"; at: string; activity: string }
    | { kind: "auditKeyVersion"; onPrem: number; audit: number; activity: string; at: string; cloud: number | null }
    | { kind: "keyAge"; days: number | undefined; maxAgeDays: number }
    | { kind: "listDrift"; list: "allow list" | "deny list"; missing: string[]; extra: string[] }
    | { kind: "listClaim"; owner: string; dn: string }
    /** a group input no longer resolves, so the lists could not be compared (the lookup's message) */
    | { kind: "listsNotChecked"; error: string };

/** `keyRotation.trigger` differs from the one of the last update. */
export interface TriggerChanged { kind: "triggerChanged"; from: unknown; to: unknown }

/** Why the key is rotated. */
export type RotationReason = Extract<DriftReason, { kind: "keyVersion" | "keyAge" }> | TriggerChanged;

/** Why `diff` plans an update. */
export type ChangeReason =
    /** a line of the verdict the last read stored in the state (kept as stored, never parsed) */
    | { kind: "recordedDrift"; text: string }
    | Extract<DriftReason, { kind: "keyAge" }>
    | TriggerChanged
    /** `domain` names the same domain in another spelling */
    | { kind: "domainSpelling" }
    | { kind: "inputChanged"; key: string };

export type Reason = DriftReason | RotationReason | ChangeReason;

/** The human sentence of a reason: what `driftReasons`, errors and logs show. */
export function reasonText(r: Reason): string {
    switch (r.kind) {
        case "objectsMissing": return `Kerberos server objects of ${r.domain} are missing (service connection point, computer account, krbtgt account)`;
        case "objectMissing": return `${r.object} ${r.dn} missing`;
        case "objectsInconsistent": return r.problem;
        case "cloudRecordMissing": return `cloud record (KerberosDomain) for ${r.domain} missing`;
        case "cloudDomainName": return `cloud domain name ${r.cloud} ≠ ${r.domain}`;
        case "branchId": return `branch id on-prem ${r.onPrem} ≠ cloud ${r.cloud}`;
        case "keyVersion": return `key version on-prem ${r.onPrem} ≠ cloud ${r.cloud}`;
        case "auditDeleted": return `Entra audit log: the Kerberos domain was deleted at ${r.at} (${r.activity})`;
        case "auditKeyVersion": return `key version on-prem ${r.onPrem} ≠ Entra audit log ${r.audit} (${r.activity} at ${r.at}; the publisher reports cloud ${r.cloud ?? "none"})`;
        case "keyAge": return `key is ${r.days} days old (maxAgeDays ${r.maxAgeDays})`;
        case "listDrift": return `${r.list}: ${[...r.missing.map((dn) => `${dn} missing`), ...r.extra.map((dn) => `${dn} not desired`)].join("; ")}`;
        case "listClaim": return `allow/deny list claim of ${r.owner} missing or out of date (${r.dn})`;
        case "listsNotChecked": return `allow/deny lists not checked: ${r.error}`;
        case "triggerChanged": return `keyRotation.trigger changed from ${JSON.stringify(r.from ?? null)} to ${JSON.stringify(r.to)}`;
        case "recordedDrift": return r.text;
        case "domainSpelling": return "input domain changed (same domain, other spelling)";
        case "inputChanged": return `input ${r.key} changed`;
    }
}
