// Drift rules: what is observed (AD over LDAP, the publisher's cloud record, the Entra audit log)
// against what is declared, as one typed reason per difference (reasons.ts renders the sentence).
// An empty list means in sync. Pure: the reconciler gathers the observation, this decides.
import type { KerberosServerState } from "../ad/kerberos-objects";
import { isListInSync, type ListDifference } from "../ad/prp";
import type { KerberosServerTable } from "../publisher/port";
import { normalizeDomain } from "./model";
import { reasonText, type DriftReason } from "./reasons";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The newest KerberosDomain audit event for this domain's branch, as far as the key is concerned. */
export interface AuditObservation {
    /** OriginatingUsn in KerberosDomainDescription; null when the event carries none (e.g. a delete) */
    keyVersion: number | null;
    /** OriginatingTime of that key (when Entra's record says the key changed); null when not stated */
    keyUpdatedOn?: string | null;
    activity: string;
    at: string;
    deleted: boolean;
}

export interface Observation {
    domain: string;
    ad: KerberosServerState;
    /**
     * differences of the two PRP lists (entries other owners claim are neither missing nor extra),
     * and whether this owner's claim in AD names its groups; undefined when the computer is missing
     */
    prp?: { allow: ListDifference; deny: ListDifference; claim: { owner: string; dn: string; current: boolean } };
    /** why the lists could not be compared (a group input that no longer resolves) */
    prpError?: string;
    /** Get-AzureADKerberosServer's table: from the publisher, or rebuilt from the source cloudSource names */
    cloud: KerberosServerTable;
    /** where `cloud` came from (observe.ts); "module" when left out */
    cloudSource?: CloudKeySource;
    /** undefined without `graph`; null when the log has no event for this branch */
    audit?: AuditObservation | null;
}

/**
 * Where an observation's cloud record came from:
 *   - "module": the publisher's Get-AzureADKerberosServer (or Set's read-back), a privileged sign-in;
 *   - "auditLog": this branch's newest KerberosDomain audit event (app-only Graph, AuditLog.Read.All);
 *   - "state": the values the last module read left in the state (no event within the log's retention);
 *   - "none": not looked up, since AD holds no Kerberos server whose branch could be looked up.
 */
export type CloudKeySource = "module" | "auditLog" | "state" | "none";

export interface DriftPolicy {
    maxAgeDays?: number;
}

/** Whole days between the key's last change and now. */
export function keyAgeDays(keyUpdatedOn: string | Date | null | undefined, now: Date): number | undefined {
    if (!keyUpdatedOn) return undefined;
    const t = new Date(keyUpdatedOn).getTime();
    if (!Number.isFinite(t)) return undefined;
    return Math.floor((now.getTime() - t) / DAY_MS);
}

/** "key is 200 days old (maxAgeDays 180)", or undefined when the key is young enough (or no limit). */
export function keyAgeReason(keyUpdatedOn: string | Date | null | undefined, maxAgeDays: number | undefined, now: Date): Extract<DriftReason, { kind: "keyAge" }> | undefined {
    if (maxAgeDays === undefined) return undefined;
    const t = keyUpdatedOn ? new Date(keyUpdatedOn).getTime() : NaN;
    if (!Number.isFinite(t) || now.getTime() - t <= maxAgeDays * DAY_MS) return undefined;
    return { kind: "keyAge", days: keyAgeDays(keyUpdatedOn, now), maxAgeDays };
}

/** "key version on-prem 1586495 ≠ cloud 1585708", when both are known and differ. */
export function keyVersionReason(onPrem: number | null | undefined, cloud: number | null | undefined): Extract<DriftReason, { kind: "keyVersion" }> | undefined {
    if (onPrem == null || cloud == null || onPrem === cloud) return undefined;
    return { kind: "keyVersion", onPrem, cloud };
}

export function adReasons(ad: KerberosServerState): DriftReason[] {
    if (ad.absent) return [{ kind: "objectsMissing", domain: ad.domainDnsName }];
    const out: DriftReason[] = [];
    if (!ad.scp) out.push({ kind: "objectMissing", object: "service connection point", dn: ad.dns.scp });
    if (!ad.computer) out.push({ kind: "objectMissing", object: "computer account", dn: ad.dns.computer });
    if (!ad.krbtgt) out.push({ kind: "objectMissing", object: "krbtgt account", dn: ad.dns.krbtgt });
    // the missing pieces are named above with their DNs; these are the objects that do not fit together
    out.push(...ad.problems.map((problem): DriftReason => ({ kind: "objectsInconsistent", problem })));
    return out;
}

export function cloudReasons(obs: Observation): DriftReason[] {
    const { cloud, ad } = obs;
    if (obs.cloudSource === "none") return []; // nothing known about the cloud; AD's missing objects are named already
    const hasRecord = cloud.CloudId != null || cloud.CloudKeyVersion != null || cloud.CloudDomainDnsName != null;
    if (!hasRecord) return [{ kind: "cloudRecordMissing", domain: obs.domain }];
    const out: DriftReason[] = [];
    if (cloud.CloudDomainDnsName != null && normalizeDomain(cloud.CloudDomainDnsName) !== normalizeDomain(obs.domain)) {
        out.push({ kind: "cloudDomainName", cloud: cloud.CloudDomainDnsName, domain: obs.domain });
    }
    const branch = ad.krbtgt?.branchId;
    if (branch != null && cloud.CloudId != null && branch !== cloud.CloudId) out.push({ kind: "branchId", onPrem: branch, cloud: cloud.CloudId });
    const kv = keyVersionReason(ad.krbtgt?.key?.keyVersion, cloud.CloudKeyVersion);
    if (kv) out.push(kv);
    return out;
}

export function auditReasons(obs: Observation): DriftReason[] {
    const a = obs.audit;
    if (!a) return []; // no graph, or no event (the log keeps 30 days; silence proves nothing)
    const onPrem = obs.ad.krbtgt?.key?.keyVersion;
    if (a.deleted) return [{ kind: "auditDeleted", at: a.at, activity: a.activity }];
    // Only news when the log disagrees with the publisher's record: a stale record that the log
    // confirms is already reported as a key version mismatch.
    if (a.keyVersion == null || a.keyVersion === obs.cloud.CloudKeyVersion) return [];
    if (onPrem != null && a.keyVersion !== onPrem) {
        return [{ kind: "auditKeyVersion", onPrem, audit: a.keyVersion, activity: a.activity, at: a.at, cloud: obs.cloud.CloudKeyVersion ?? null }];
    }
    return [];
}

export function prpReasons(obs: Observation): DriftReason[] {
    if (obs.prpError) return [{ kind: "listsNotChecked", error: obs.prpError }];
    if (!obs.prp) return [];
    const { allow, deny, claim } = obs.prp;
    const out: DriftReason[] = [];
    if (!isListInSync(allow)) out.push({ kind: "listDrift", list: "allow list", missing: allow.missing, extra: allow.extra });
    if (!isListInSync(deny)) out.push({ kind: "listDrift", list: "deny list", missing: deny.missing, extra: deny.extra });
    if (!claim.current) out.push({ kind: "listClaim", owner: claim.owner, dn: claim.dn });
    return out;
}

/** Every difference between the observed server and the declared one. */
export function driftVerdict(obs: Observation, policy: DriftPolicy, now: Date): DriftReason[] {
    const reasons = [...adReasons(obs.ad), ...cloudReasons(obs), ...auditReasons(obs)];
    const age = keyAgeReason(obs.ad.krbtgt?.key?.keyUpdatedOn, policy.maxAgeDays, now);
    if (age) reasons.push(age);
    reasons.push(...prpReasons(obs));
    return reasons;
}

/** The verdict as the `driftReasons` output shows it: one sentence per difference. */
export function driftReasons(obs: Observation, policy: DriftPolicy, now: Date): string[] {
    return driftVerdict(obs, policy, now).map(reasonText);
}
