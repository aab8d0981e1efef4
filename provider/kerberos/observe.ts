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
import type { AuditObservation, Observation } from "./drift";
import { listOwnerOf, normalizeDomain, type AzureADKerberosServerInputs } from "./model";

export interface ObserveOptions {
    /**
     * create/update: group inputs that do not resolve are errors (not drift), and a privileged
     * group in the allow list, directly or nested, is refused unless allowPrivilegedGroups.
     */
    strict: boolean;
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
    const cloudSide: Promise<KerberosServerTable> = publisher.port.get({ domain, domainCredential: publisher.domainCredential });
    // settle both before reporting, so a failure on one side never leaves the other running unobserved
    const [a, c] = await Promise.allSettled([adSide, cloudSide]);
    if (a.status === "rejected") throw a.reason;
    if (c.status === "rejected") throw c.reason;
    const { desired, ...rest } = a.value;
    const auditObservation = await observeAudit(audit, domain, rest.ad.krbtgt?.branchId, c.value, startedAt, opts.strict);
    return { observation: { domain, ...rest, audit: auditObservation, cloud: c.value }, desired };
}
