// Reads the real state of one domain's Kerberos server: AD over LDAP (objects, key metadata, the
// two PRP lists against the desired ones), the publisher's cloud record (Get-AzureADKerberosServer)
// and, with `graph`, the newest KerberosDomain audit event. The LDAP session and the publisher call
// run in parallel; the audit query needs the branch id from AD, so it follows the LDAP read.
import { withDirectory, type ResolvedDirectoryConnection } from "../ad/connection";
import { readKerberosServer, type KerberosServerState } from "../ad/kerberos-objects";
import {
    assertNoPrivilegedAllowed, compareList, needsSidComparison, readPrpMembers, resolveDesiredPrp, type DesiredPrp,
} from "../ad/prp";
import { ProviderError } from "../core/errors";
import { createGraphClient } from "../graph/client";
import type { PublisherHandle } from "../publisher/factory";
import type { KerberosServerTable } from "../publisher/port";
import { readAuditObservation } from "./audit";
import { secretResolver, type OperationContext } from "./context";
import type { AuditObservation, Observation } from "./drift";
import { normalizeDomain, type AzureADKerberosServerInputs } from "./model";

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
        const ad: KerberosServerState = await readKerberosServer(s, domain);
        let desired: DesiredPrp | undefined;
        let prpError: string | undefined;
        try {
            desired = await resolveDesiredPrp(s, inputs, domain);
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
            prp = { allow: compareList(members.allowed, desired.allow), deny: compareList(members.denied, desired.deny) };
        }
        return { ad, prp, prpError, desired };
    }, { purpose: `read Kerberos server of ${domain}` });
}

async function observeAudit(inputs: AzureADKerberosServerInputs, branchId: number | undefined, ctx: OperationContext): Promise<AuditObservation | null | undefined> {
    if (!inputs.graph) return undefined;
    if (branchId === undefined) return null; // no krbtgt account: nothing to look up
    const gc = createGraphClient(inputs.graph, secretResolver(ctx), { env: ctx.env }); // Graph's own retry policy and per-attempt timeout
    try {
        return await readAuditObservation(gc, normalizeDomain(inputs.domain), branchId);
    } finally {
        await gc.close();
    }
}

export async function observe(inputs: AzureADKerberosServerInputs, dir: ResolvedDirectoryConnection, publisher: PublisherHandle,
    ctx: OperationContext, opts: ObserveOptions): Promise<Observed> {
    const domain = normalizeDomain(inputs.domain);
    const adSide = observeDirectory(inputs, dir, opts).then(async (d) => ({ ...d, audit: await observeAudit(inputs, d.ad.krbtgt?.branchId, ctx) }));
    const cloudSide: Promise<KerberosServerTable> = publisher.port.get({ domain, domainCredential: publisher.domainCredential });
    // settle both before reporting, so a failure on one side never leaves the other running unobserved
    const [a, c] = await Promise.allSettled([adSide, cloudSide]);
    if (a.status === "rejected") throw a.reason;
    if (c.status === "rejected") throw c.reason;
    const { desired, ...rest } = a.value;
    return { observation: { domain, ...rest, cloud: c.value }, desired };
}
