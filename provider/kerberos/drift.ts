// Drift rules: what is observed (AD over LDAP, the publisher's cloud record, the Entra audit log)
// against what is declared, as one human sentence per difference. An empty list means in sync.
// Pure: the reconciler gathers the observation, this decides.
import type { KerberosServerState } from "../ad/kerberos-objects";
import { describeListDrift, type ListDifference } from "../ad/prp";
import type { KerberosServerTable } from "../publisher/port";
import { normalizeDomain } from "./model";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The newest KerberosDomain audit event for this domain's branch, as far as the key is concerned. */
export interface AuditObservation {
    /** OriginatingUsn in KerberosDomainDescription; null when the event carries none (e.g. a delete) */
    keyVersion: number | null;
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
    /** Get-AzureADKerberosServer's table from the publisher */
    cloud: KerberosServerTable;
    /** undefined without `graph`; null when the log has no event for this branch */
    audit?: AuditObservation | null;
}

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
export function keyAgeReason(keyUpdatedOn: string | Date | null | undefined, maxAgeDays: number | undefined, now: Date): string | undefined {
    if (maxAgeDays === undefined) return undefined;
    const t = keyUpdatedOn ? new Date(keyUpdatedOn).getTime() : NaN;
    if (!Number.isFinite(t) || now.getTime() - t <= maxAgeDays * DAY_MS) return undefined;
    return `key is ${keyAgeDays(keyUpdatedOn, now)} days old (maxAgeDays ${maxAgeDays})`;
}

/** "key version on-prem 1586495 ≠ cloud 1585708", when both are known and differ. */
export function keyVersionReason(onPrem: number | null | undefined, cloud: number | null | undefined): string | undefined {
    if (onPrem == null || cloud == null || onPrem === cloud) return undefined;
    return `key version on-prem ${onPrem} ≠ cloud ${cloud}`;
}

export function adReasons(ad: KerberosServerState): string[] {
    if (ad.absent) return [`Kerberos server objects of ${ad.domainDnsName} are missing (service connection point, computer account, krbtgt account)`];
    const out: string[] = [];
    if (!ad.scp) out.push(`service connection point ${ad.dns.scp} missing`);
    if (!ad.computer) out.push(`computer account ${ad.dns.computer} missing`);
    if (!ad.krbtgt) out.push(`krbtgt account ${ad.dns.krbtgt} missing`);
    // readKerberosServer summarizes missing pieces as "missing: …"; they are named above with their DNs
    out.push(...ad.problems.filter((p) => !p.startsWith("missing: ")));
    return out;
}

export function cloudReasons(obs: Observation): string[] {
    const { cloud, ad } = obs;
    const hasRecord = cloud.CloudId != null || cloud.CloudKeyVersion != null || cloud.CloudDomainDnsName != null;
    if (!hasRecord) return [`cloud record (KerberosDomain) for ${obs.domain} missing`];
    const out: string[] = [];
    if (cloud.CloudDomainDnsName != null && normalizeDomain(cloud.CloudDomainDnsName) !== normalizeDomain(obs.domain)) {
        out.push(`cloud domain name ${cloud.CloudDomainDnsName} ≠ ${obs.domain}`);
    }
    const branch = ad.krbtgt?.branchId;
    if (branch != null && cloud.CloudId != null && branch !== cloud.CloudId) out.push(`branch id on-prem ${branch} ≠ cloud ${cloud.CloudId}`);
    const kv = keyVersionReason(ad.krbtgt?.key?.keyVersion, cloud.CloudKeyVersion);
    if (kv) out.push(kv);
    return out;
}

export function auditReasons(obs: Observation): string[] {
    const a = obs.audit;
    if (!a) return []; // no graph, or no event (the log keeps 30 days; silence proves nothing)
    const onPrem = obs.ad.krbtgt?.key?.keyVersion;
    if (a.deleted) return [`Entra audit log: the Kerberos domain was deleted at ${a.at} (${a.activity})`];
    // Only news when the log disagrees with the publisher's record: a stale record that the log
    // confirms is already reported as "key version on-prem X ≠ cloud Y".
    if (a.keyVersion == null || a.keyVersion === obs.cloud.CloudKeyVersion) return [];
    if (onPrem != null && a.keyVersion !== onPrem) {
        return [`key version on-prem ${onPrem} ≠ Entra audit log ${a.keyVersion} (${a.activity} at ${a.at}; the publisher reports cloud ${obs.cloud.CloudKeyVersion ?? "none"})`];
    }
    return [];
}

export function prpReasons(obs: Observation): string[] {
    if (obs.prpError) return [`allow/deny lists not checked: ${obs.prpError}`];
    if (!obs.prp) return [];
    const { claim } = obs.prp;
    return [
        describeListDrift("allow list", obs.prp.allow), describeListDrift("deny list", obs.prp.deny),
        claim.current ? undefined : `allow/deny list claim of ${claim.owner} missing or out of date (${claim.dn})`,
    ].filter((x): x is string => !!x);
}

/** Every difference between the observed server and the declared one. */
export function driftReasons(obs: Observation, policy: DriftPolicy, now: Date): string[] {
    const reasons = [...adReasons(obs.ad), ...cloudReasons(obs), ...auditReasons(obs)];
    const age = keyAgeReason(obs.ad.krbtgt?.key?.keyUpdatedOn, policy.maxAgeDays, now);
    if (age) reasons.push(age);
    reasons.push(...prpReasons(obs));
    return reasons;
}
