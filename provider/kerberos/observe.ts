// Reads the real state of one domain's Kerberos server: AD over LDAP (objects, key metadata, the
// two PRP lists against the desired ones), the publisher's cloud record (Get-AzureADKerberosServer)
// and, with `graph`, the newest KerberosDomain audit event. All three start at once: the LDAP
// session, the publisher call and the tenant's audit log, which is one query shared by every
// domain of the process (audit-log.ts); finding this domain's branch in it needs the branch id
// from AD, so that part follows the LDAP read.
import { withDirectory, type ResolvedDirectoryConnection } from "../ad/connection";
import { domainDnOf, readKerberosServer, type KerberosServerState } from "../ad/kerberos-objects";
import { claimDn, claimMatches } from "../ad/list-claims";
import {
    assertNoPrivilegedAllowed, compareList, needsSidComparison, ownClaim, readPrpMembers, resolveDesiredPrp, type DesiredPrp,
} from "../ad/prp";
import { ProviderError } from "../core/errors";
import type { PublisherHandle } from "../publisher/factory";
import type { KerberosServerTable } from "../publisher/port";
import { observeFromPages, sharedAuditLog, type AuditLogSource } from "./audit-log";
import { secretResolver, type OperationContext } from "./context";
import type { AuditObservation, CloudKeySource, Observation } from "./drift";
import { listOwnerOf, normalizeDomain, type AzureADKerberosServerInputs } from "./model";

export interface ObserveOptions {
    /**
     * create/update: group inputs that do not resolve are errors (not drift), and a privileged
     * group in the allow list, directly or nested, is refused unless allowPrivilegedGroups.
     */
    strict: boolean;
    /**
     * Where the cloud record comes from:
     *   - "module": the publisher's Get-AzureADKerberosServer (a privileged cloud sign-in);
     *   - "withoutModule": the audit log when it has an event for the branch (app-only Graph),
     *     else `fallback`;
     *   - a known table: what the module's Set just read back in its own session (no second sign-in).
     * Default "module".
     */
    cloud?: "module" | "withoutModule" | KnownCloud;
    /** with "withoutModule", when the log has no event: the state's last values, or the module */
    fallback?: { kind: "state"; prior: PriorCloud } | { kind: "module" };
}

export interface KnownCloud { table: KerberosServerTable; source: CloudKeySource }

/** The cloud outputs a state entry holds from the last observation. */
export interface PriorCloud {
    cloudId?: number | null;
    cloudDomainDnsName?: string | null;
    cloudKeyVersion?: number | null;
    cloudKeyUpdatedOn?: string | null;
}

export interface Observed {
    observation: Observation;
    /** the desired PRP lists, when they resolved */
    desired?: DesiredPrp;
}

const GROUP_ERRORS = new Set(["GroupNotFound", "GroupAmbiguous"]);

async function observeDirectory(inputs: AzureADKerberosServerInputs, dir: ResolvedDirectoryConnection, opts: ObserveOptions)
    : Promise<Pick<Observation, "ad" | "prp" | "prpError"> & { desired?: DesiredPrp }> {
    const domain = normalizeDomain(inputs.domain);
    return withDirectory(dir, async (s) => {
        // the well-known groups come with the same search: resolving the desired lists below needs no search of its own
        const ad: KerberosServerState = await readKerberosServer(s, domain, { withWellKnownGroups: true });
        const owner = listOwnerOf(inputs);
        let desired: DesiredPrp | undefined;
        let prpError: string | undefined;
        try {
            desired = await resolveDesiredPrp(s, inputs, domain, ad.claims.filter((c) => c.owner !== owner));
        } catch (e) {
            if (opts.strict || !(e instanceof ProviderError && GROUP_ERRORS.has(e.code))) throw e;
            prpError = e.message; // refresh still reports everything else
        }
        if (desired && opts.strict && inputs.allowPrivilegedGroups !== true) await assertNoPrivilegedAllowed(s, desired);
        let prp: Observation["prp"];
        if (desired && ad.computer) {
            const members = needsSidComparison(desired)
                ? await readPrpMembers(s, ad.computer.dn)
                : { allowed: ad.computer.allowedGroups, denied: ad.computer.deniedGroups };
            const { claimedByOthers } = desired;
            const own = ownClaim(desired);
            prp = {
                allow: compareList(members.allowed, desired.allow, claimedByOthers.allow), deny: compareList(members.denied, desired.deny, claimedByOthers.deny),
                claim: { owner, dn: claimDn(domainDnOf(domain), owner), current: claimMatches(ad.claims.find((c) => c.owner === owner), own.allow, own.deny) },
            };
        }
        return { ad, prp, prpError, desired };
    }, { purpose: `read Kerberos server of ${domain}` });
}

/** Where this resource reads the audit log from, when it has `graph`. */
export function auditSource(inputs: AzureADKerberosServerInputs, ctx: OperationContext): AuditLogSource | undefined {
    // Graph's own retry policy and per-attempt timeout, as any Graph call
    return inputs.graph ? { graph: inputs.graph, resolveSecret: secretResolver(ctx), env: ctx.env } : undefined;
}

/**
 * This branch's newest event from the shared pages. When it disagrees with the publisher, the
 * shared pages may predate someone's change: read pages taken after this read began, and report
 * what they say (so sharing never invents drift).
 */
async function observeAudit(src: AuditLogSource | undefined, domain: string, branchId: number | undefined, cloud: KerberosServerTable,
    startedAt: number, strict: boolean): Promise<AuditObservation | null | undefined> {
    if (!src) return undefined;
    if (branchId === undefined) {
        // No krbtgt account yet, so no event to look for. Before a create writes anything, still
        // make sure the log can be read: a missing AuditLog.Read.All or a bad credential must stop
        // it here, not after the AD objects and the cloud record exist.
        if (strict) await sharedAuditLog.pages(src).page(0);
        return null;
    }
    const seen = await observeFromPages(sharedAuditLog.pages(src), domain, branchId);
    if (seen?.keyVersion == null || seen.keyVersion === cloud.CloudKeyVersion) return seen;
    return observeFromPages(sharedAuditLog.pagesSince(src, startedAt), domain, branchId);
}

export async function observe(inputs: AzureADKerberosServerInputs, dir: ResolvedDirectoryConnection, publisher: PublisherHandle,
    ctx: OperationContext, opts: ObserveOptions): Promise<Observed> {
    const startedAt = Date.now();
    const domain = normalizeDomain(inputs.domain);
    const audit = auditSource(inputs, ctx);
    // the tenant's first page is read while LDAP and the publisher work (shared: one request per tenant)
    if (audit) sharedAuditLog.pages(audit).page(0).catch(() => undefined);
    const adSide = observeDirectory(inputs, dir, opts);
    const mode = opts.cloud ?? "module";
    if (mode !== "module") {
        const { desired, ...rest } = await adSide;
        const branchId = rest.ad.krbtgt?.branchId;
        if (typeof mode === "object") {
            const auditObservation = await observeAudit(audit, domain, branchId, mode.table, startedAt, opts.strict);
            return { observation: { domain, ...rest, audit: auditObservation, cloud: mode.table, cloudSource: mode.source }, desired };
        }
        const fromLog = await cloudWithoutModule(audit, domain, branchId, opts);
        if (fromLog) return { observation: { domain, ...rest, audit: fromLog.audit, cloud: fromLog.table, cloudSource: fromLog.source }, desired };
        // no event for the branch within the log's retention, and the caller wants the module then
        const cloud = await publisher.port.get({ domain, domainCredential: publisher.domainCredential });
        const auditObservation = await observeAudit(audit, domain, branchId, cloud, startedAt, opts.strict);
        return { observation: { domain, ...rest, audit: auditObservation, cloud, cloudSource: "module" }, desired };
    }
    const cloudSide: Promise<KerberosServerTable> = publisher.port.get({ domain, domainCredential: publisher.domainCredential });
    // settle both before reporting, so a failure on one side never leaves the other running unobserved
    const [a, c] = await Promise.allSettled([adSide, cloudSide]);
    if (a.status === "rejected") throw a.reason;
    if (c.status === "rejected") throw c.reason;
    const { desired, ...rest } = a.value;
    const auditObservation = await observeAudit(audit, domain, rest.ad.krbtgt?.branchId, c.value, startedAt, opts.strict);
    return { observation: { domain, ...rest, audit: auditObservation, cloud: c.value, cloudSource: "module" }, desired };
}

/** Get-AzureADKerberosServer's table with every field null but the domain: no cloud record. */
export function emptyCloudTable(domain: string): KerberosServerTable {
    return {
        Id: null, UserAccount: null, ComputerAccount: null, DisplayName: null, DomainDnsName: domain, KeyVersion: null, KeyUpdatedOn: null,
        KeyUpdatedFrom: null, CloudDisplayName: null, CloudDomainDnsName: null, CloudId: null, CloudKeyVersion: null, CloudKeyUpdatedOn: null,
    };
}

/**
 * The cloud record without the module: this branch's newest KerberosDomain audit event states
 * the key Entra holds (OriginatingUsn and OriginatingTime of KerberosDomainDescription, the same
 * values Get-AzureADKerberosServer shows as CloudKeyVersion and CloudKeyUpdatedOn: docs/sources.md,
 * Kerberos §2.2, §3.1); a Delete event means no record. Undefined when the caller's fallback is the module.
 */
async function cloudWithoutModule(src: AuditLogSource | undefined, domain: string, branchId: number | undefined, opts: ObserveOptions)
    : Promise<{ table: KerberosServerTable; source: CloudKeySource; audit: AuditObservation | null | undefined } | undefined> {
    if (branchId === undefined) {
        // no krbtgt_AzureAD in AD: no branch to look up, and a publish (create) follows anyway
        if (src && opts.strict) await sharedAuditLog.pages(src).page(0);
        return { table: emptyCloudTable(domain), source: "none", audit: src ? null : undefined };
    }
    const seen = src ? await observeFromPages(sharedAuditLog.pages(src), domain, branchId) : undefined;
    if (seen?.deleted) return { table: emptyCloudTable(domain), source: "auditLog", audit: seen };
    if (seen && seen.keyVersion != null) {
        const table = { ...emptyCloudTable(domain), Id: branchId, CloudId: branchId, CloudDomainDnsName: domain,
            CloudKeyVersion: seen.keyVersion, CloudKeyUpdatedOn: seen.keyUpdatedOn ?? null };
        return { table, source: "auditLog", audit: seen };
    }
    const fallback = opts.fallback ?? { kind: "module" };
    if (fallback.kind === "module") return undefined;
    const p = fallback.prior;
    const table = { ...emptyCloudTable(domain), Id: p.cloudId ?? null, CloudId: p.cloudId ?? null, CloudDomainDnsName: p.cloudDomainDnsName ?? null,
        CloudKeyVersion: p.cloudKeyVersion ?? null, CloudKeyUpdatedOn: p.cloudKeyUpdatedOn ?? null };
    return { table, source: "state", audit: src ? (seen ?? null) : undefined };
}
