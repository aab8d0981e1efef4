// The AzureADKerberosServer reconciler: read → observed state; plan → named changes; apply.
// It holds a publisher port and an LDAP connection and never knows which publisher adapter it has.
// Every step converges when re-run (Set-AzureADKerberosServer adopts what exists, the PRP writes
// are computed from a fresh read), so a failed or timed-out operation is repaired by the next
// `pulumi up`. Several stacks may declare one domain: each claims its list entries in AD
// (ad/list-claims.ts), and the server is removed only by the last one to let go.
import { EqualityFilter } from "ldapts";
import { withDirectory, type ResolvedDirectoryConnection } from "../ad/connection";
import { dnEquals } from "../ad/escape";
import { kerberosServerDns, domainDnOf, readKerberosServer } from "../ad/kerberos-objects";
import { readClaims, removeClaimsContainerIfEmpty } from "../ad/list-claims";
import { applyPrpLists, releasePrpClaim, type DesiredPrp } from "../ad/prp";
import { ProviderError } from "../core/errors";
import { createPublisher, type PublisherHandle } from "../publisher/factory";
import type { KerberosServerTable } from "../publisher/port";
import { resolveDirectory, secretResolver, type OperationContext } from "./context";
import { driftReasons } from "./drift";
import { listOwnerOf, normalizeDomain, type AzureADKerberosServerInputs, type AzureADKerberosServerOutputs } from "./model";
import { sharedAuditLog } from "./audit-log";
import { auditSource, observe, type KnownCloud, type ObserveOptions, type Observed, type PriorCloud } from "./observe";
import { toOutputs } from "./outputs";
import { planChanges, publishes, type PlannedChange } from "./plan";
import { reasonText } from "./reasons";
import { decideRotation } from "./rotation";

/** What the state knows that the directory does not. */
export interface PriorState {
    /** false on create */
    existing: boolean;
    /** keyRotation.trigger as last applied */
    previousTrigger?: string;
    /** when this resource last rotated the key */
    lastRotatedOn?: string | null;
    /** the owner its list claim was written under, when that has changed (a renamed stack or resource) */
    previousOwner?: string;
    /** the cloud values the state holds (a deferred sign-in reads them when the audit log has no event) */
    cloud?: PriorCloud;
}

export interface ConvergeResult {
    outputs: AzureADKerberosServerOutputs;
    /** what was done (empty when nothing needed doing) */
    applied: PlannedChange[];
}

interface Connections {
    dir: ResolvedDirectoryConnection;
    publisher: PublisherHandle;
}

function connect(inputs: AzureADKerberosServerInputs, ctx: OperationContext): Connections {
    const dir = resolveDirectory(inputs.directory, ctx);
    const publisher = createPublisher(inputs.publisher, { directory: dir, graph: inputs.graph, resolveSecret: secretResolver(ctx), timeoutMs: ctx.callTimeoutMs, env: ctx.env });
    return { dir, publisher };
}

function verdict(inputs: AzureADKerberosServerInputs, o: Observed, ctx: OperationContext, lastRotatedOn: string | null): AzureADKerberosServerOutputs {
    const reasons = driftReasons(o.observation, { maxAgeDays: inputs.keyRotation?.maxAgeDays }, ctx.now());
    return toOutputs(o.observation, reasons, lastRotatedOn);
}

/**
 * How a read and the start of a write learn the cloud record. Microsoft's module signs in as a
 * privileged admin for every call, so with the PowerShell publisher the cloud key version comes from
 * the audit log (app-only) and the module runs only around writes: a refresh falls back to the
 * state's last values, a write to Get-AzureADKerberosServer. The lab publisher signs in with the
 * app's own token, so it is asked directly.
 */
function cloudRead(inputs: AzureADKerberosServerInputs, fallback: NonNullable<ObserveOptions["fallback"]>): Pick<ObserveOptions, "cloud" | "fallback"> {
    if (inputs.publisher?.type !== "powershell") return { cloud: "module" };
    // without a sign-in there is no module to fall back to: the state's values, or nothing known
    if (inputs.publisher.signIn?.mode === "deferred") return { cloud: "withoutModule", fallback: fallback.kind === "state" ? fallback : { kind: "state", prior: {} } };
    const hasPrior = fallback.kind === "state" && (fallback.prior.cloudId != null || fallback.prior.cloudKeyVersion != null);
    return { cloud: "withoutModule", fallback: fallback.kind === "state" && !hasPrior ? { kind: "module" } : fallback };
}

/** refresh: the observed server and the verdict. Never writes. */
export async function readServer(inputs: AzureADKerberosServerInputs, prior: Pick<PriorState, "lastRotatedOn"> & PriorCloud, ctx: OperationContext): Promise<AzureADKerberosServerOutputs> {
    const c = connect(inputs, ctx);
    const o = await observe(inputs, c.dir, c.publisher, ctx, { strict: false, ...cloudRead(inputs, { kind: "state", prior }) });
    return verdict(inputs, o, ctx, prior.lastRotatedOn ?? null);
}

/**
 * create and update: observe (group inputs resolve, no privileged group in the allow list), decide
 * rotation, publish, fix the lists, read back. Fails when the result is not in sync, naming why.
 */
export async function converge(inputs: AzureADKerberosServerInputs, prior: PriorState, ctx: OperationContext): Promise<ConvergeResult> {
    const domain = normalizeDomain(inputs.domain);
    const c = connect(inputs, ctx);
    const before = await observe(inputs, c.dir, c.publisher, ctx, { strict: true, ...cloudRead(inputs, c.publisher.deferred ? { kind: "state", prior: prior.cloud ?? {} } : { kind: "module" }) });
    const unreadable = before.observation.ad.unreadable ?? [];
    if (unreadable.length) {
        // what looks missing may only be hidden: publishing would try to recreate a server that exists
        throw new ProviderError("DirectoryAccessDenied", `cannot judge the Kerberos server of ${domain}: ${unreadable.join("; ")}. Nothing was changed`,
            { input: "directory.username", resource: before.observation.ad.dns.krbtgt });
    }
    const k = before.observation.ad.krbtgt?.key;
    const rotation = decideRotation({
        keyVersion: k?.keyVersion, cloudKeyVersion: before.observation.cloud.CloudKeyVersion, keyUpdatedOn: k?.keyUpdatedOn,
        keyRotation: inputs.keyRotation, previousTrigger: prior.previousTrigger, existing: prior.existing,
        lastRotatedOn: prior.lastRotatedOn, now: ctx.now(),
    });
    if (rotation.blockedUntil) {
        throw new ProviderError("RotationTooSoon",
            `the key of ${domain} needs rotating (${rotation.reasons.map(reasonText).join("; ")}), but it was last changed at ${rotation.blockedBy!.at} (${rotation.blockedBy!.source}), less than 24 hours ago. ` +
            `Microsoft's module rotates at most once per 24 hours because Entra activates a new key only after 24 hours. ` +
            `Run again after ${rotation.blockedUntil}, or set keyRotation.force: true to rotate now`, { input: "keyRotation.force" });
    }
    // Deferred: no adoption run on create. Publishing is for what is actually missing or stale, so
    // the `up` after the admin's manual run finds everything in place and completes
    const plan = planChanges(before.observation, rotation, prior.existing || c.publisher.deferred);
    if (c.publisher.deferred && publishes(plan)) {
        // everything else first (the lists, when the computer exists), then hand the publish over
        if (before.observation.ad.computer && plan.some((p) => p.kind === "allowList" || p.kind === "denyList" || p.kind === "listClaim")) {
            await applyPrp(domain, c.dir, before.desired!, listOwnerOf(inputs), prior.previousOwner);
        }
        await c.publisher.port.set({ domain, domainCredential: c.publisher.domainCredential, rotateServerKey: rotation.rotate, force: rotation.rotate && rotation.force });
    }
    let lastRotatedOn = prior.lastRotatedOn ?? null;
    // the cloud record the verification below uses: Set's own read-back (same session, no second
    // sign-in) after a publish, else what was just observed
    let cloud: KnownCloud = { table: before.observation.cloud, source: before.observation.cloudSource ?? "module" };

    if (publishes(plan)) {
        try {
            cloud = { table: await publish(domain, c.publisher, rotation.rotate, rotation.force), source: "module" };
        } finally {
            // the publish wrote (or may have written) an audit event: shared pages are out of date
            const audit = auditSource(inputs, ctx);
            if (audit) sharedAuditLog.invalidate(audit);
        }
        if (rotation.rotate) lastRotatedOn = ctx.now().toISOString();
    }
    if (plan.some((p) => p.kind === "allowList" || p.kind === "denyList" || p.kind === "listClaim")) {
        await applyPrp(domain, c.dir, before.desired!, listOwnerOf(inputs), prior.previousOwner);
    }

    const after = await observe(inputs, c.dir, c.publisher, ctx, { strict: false, cloud });
    const outputs = verdict(inputs, after, ctx, lastRotatedOn);
    if (!outputs.inSync) {
        throw new ProviderError("KerberosServerNotInSync",
            `the Kerberos server of ${domain} is not in sync after ${plan.map((p) => p.kind).join(", ") || "checking"}: ${outputs.driftReasons.join("; ")}. ` +
            "Nothing was rolled back; run `pulumi up` again to retry (every step converges)", { resource: domain });
    }
    return { outputs, applied: plan };
}

/** Set-AzureADKerberosServer through the port, with its errors made actionable. */
async function publish(domain: string, p: PublisherHandle, rotateServerKey: boolean, force: boolean): Promise<KerberosServerTable> {
    try {
        return await p.port.set({ domain, domainCredential: p.domainCredential, rotateServerKey, force: rotateServerKey && force });
    } catch (e) {
        if (!(e instanceof ProviderError)) throw e;
        if (e.code === "RotationTooSoon") {
            throw new ProviderError("RotationTooSoon", `${e.message}. Set keyRotation.force: true to rotate anyway`, { input: "keyRotation.force", cause: e });
        }
        throw new ProviderError(e.code,
            `publishing the Kerberos server of ${domain} through the ${p.description} failed: ${e.message}. ` +
            "Whatever it already wrote in Active Directory is kept and adopted by the next `pulumi up`, which converges without duplicates",
            { input: e.input, resource: e.resource, httpStatus: e.httpStatus, serviceCode: e.serviceCode, retryable: e.retryable, cause: e });
    }
}

/** Writes this owner's claim and the list entries that differ (publishing may have just created the computer). */
async function applyPrp(domain: string, dir: ResolvedDirectoryConnection, desired: DesiredPrp, owner: string, previousOwner?: string): Promise<string[]> {
    return withDirectory(dir, async (s) => {
        const ad = await readKerberosServer(s, domain);
        if (!ad.computer) {
            throw new ProviderError("KerberosServerIncomplete", `the Kerberos server computer account of ${domain} (${ad.dns.computer}) does not exist after publishing; cannot set its allow/deny lists`, { resource: ad.dns.computer });
        }
        return applyPrpLists(s, ad.computer.dn, domainDnOf(domain), desired, owner, previousOwner);
    }, { purpose: `set allow/deny lists of ${domain}` });
}

/**
 * delete: Remove-AzureADKerberosServer through the port, then check over LDAP that the computer, the
 * krbtgt account and the SCP are gone, and with the publisher that the cloud record is.
 */
export async function removeServer(inputs: AzureADKerberosServerInputs, ctx: OperationContext): Promise<void> {
    const domain = normalizeDomain(inputs.domain);
    const c = connect(inputs, ctx);
    const dns = kerberosServerDns(domainDnOf(domain));
    // Another stack that still declares this domain keeps the server (and its own list entries).
    const owner = listOwnerOf(inputs);
    if (c.publisher.deferred) {
        // the last owner's removal is handed to the admin: stop before letting go of anything, so
        // the resource stays whole until the commands have run (the next destroy then converges)
        const claims = await withDirectory(c.dir, (s) => readClaims(s, dns.domain), { purpose: `read the allow/deny list claims of ${domain}` });
        if (!claims.some((cl) => cl.owner !== owner)) {
            await c.publisher.port.remove({ domain, domainCredential: c.publisher.domainCredential }); // PublishDeferred, with the commands
        }
    }
    const others = await withDirectory(c.dir, (s) => releasePrpClaim(s, dns.computer, dns.domain, owner),
        { purpose: `release the allow/deny list claim of ${domain}` });
    if (others.length) return; // theirs now; only the list entries no one else claims were removed

    try {
        await c.publisher.port.remove({ domain, domainCredential: c.publisher.domainCredential });
    } finally {
        const audit = auditSource(inputs, ctx); // a Delete event: shared pages are out of date
        if (audit) sharedAuditLog.invalidate(audit);
    }
    const left = await withDirectory(c.dir, async (s) => {
        const st = await readKerberosServer(s, domain);
        const found = [st.scp?.dn, st.computer?.dn, st.krbtgt?.dn].filter((x): x is string => !!x);
        // an unlinked krbtgt_AzureAD (left by a failed create) is not found through the computer
        const [orphan] = await s.search(dns.domain, { scope: "sub", filter: new EqualityFilter({ attribute: "distinguishedName", value: dns.krbtgt }), attributes: ["1.1"] });
        if (orphan && !found.some((f) => dnEquals(f, orphan.dn))) found.push(orphan.dn);
        await removeClaimsContainerIfEmpty(s, dns.domain);
        return found;
    }, { purpose: `verify removal of the Kerberos server of ${domain}` });
    const cloud = await c.publisher.port.get({ domain, domainCredential: c.publisher.domainCredential });
    const cloudLeft = cloud.CloudId != null || cloud.CloudKeyVersion != null;
    if (left.length || cloudLeft) {
        throw new ProviderError("KerberosServerNotRemoved",
            `Remove-AzureADKerberosServer for ${domain} reported success, but ${[...left, ...(cloudLeft ? [`the cloud record (CloudId ${cloud.CloudId})`] : [])].join(", ")} still exist. ` +
            "Run `pulumi destroy` again; if it persists, remove them by hand", { resource: domain });
    }
}
