// Observation → the resource's outputs (docs/resources/): Get-AzureADKerberosServer's properties, the audit
// log's key version and the verdict. Deterministic for an unchanged server, so a refresh right
// after an update changes nothing and `preview --refresh --expect-no-changes` passes.
import type { Observation } from "./drift";
import type { AzureADKerberosServerOutputs } from "./model";

/** Times as ISO 8601 UTC whatever the source printed (the module's table, the lab's record). */
function iso(v: string | Date | null | undefined): string | null {
    if (v === null || v === undefined || v === "") return null;
    const d = v instanceof Date ? v : new Date(v);
    return Number.isFinite(d.getTime()) ? d.toISOString() : String(v);
}

export function toOutputs(obs: Observation, driftReasons: string[], lastRotatedOn: string | null): AzureADKerberosServerOutputs {
    const k = obs.ad.krbtgt;
    return {
        branchId: k?.branchId ?? null,
        domainDnsName: obs.domain,
        computerAccount: obs.ad.computer?.dn ?? null,
        userAccount: k?.dn ?? null,
        keyVersion: k?.key?.keyVersion ?? null,
        keyUpdatedOn: iso(k?.key?.keyUpdatedOn),
        keyUpdatedFrom: k?.key?.keyUpdatedFrom ?? null,
        cloudId: obs.cloud.CloudId ?? null,
        cloudDomainDnsName: obs.cloud.CloudDomainDnsName ?? null,
        cloudKeyVersion: obs.cloud.CloudKeyVersion ?? null,
        cloudKeyUpdatedOn: iso(obs.cloud.CloudKeyUpdatedOn),
        auditKeyVersion: obs.audit?.keyVersion ?? null,
        cloudKeySource: obs.cloudSource ?? "module",
        lastRotatedOn,
        inSync: driftReasons.length === 0,
        driftReasons,
    };
}
