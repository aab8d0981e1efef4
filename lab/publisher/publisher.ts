// The lab Kerberos publisher: what Set/Get/Remove-AzureADKerberosServer do, for the lab's Samba
// DCs (docs/sources.md, Kerberos §1, §2.3, §3, §6). The on-prem half goes through the product's own LDAP
// port (provider/ad), with the caller's domain credential like the module's -DomainCredential;
// the cloud half is a KerberosDomain record store plus the audit events Entra would write.
import { randomUUID } from "node:crypto";
import { ProviderError } from "../../provider/core/errors";
import {
    DirectorySession, isLdapResult, newRoundTrips, ResolvedDirectoryConnection, totalRoundTrips, withDirectory,
} from "../../provider/ad/connection";
import { ResolvedGroup, resolveWellKnownGroups } from "../../provider/ad/groups";
import { describeProblems, KerberosServerState, readKerberosServer } from "../../provider/ad/kerberos-objects";
import { DEFAULT_ALLOWED_GROUPS, DEFAULT_DENIED_GROUPS, sidToString } from "../../provider/ad/sid";
import { LabForest } from "../layout";
import { deleteIfExists, ensureComputer, ensureKrbtgt, recreateScp, setRandomPassword } from "./ad-writes";
import { kerberosDomainAuditEvent } from "./audit";
import { Faults } from "./faults";
import { RecordStore } from "./store";
import {
    AuditActor, AuditSink, DomainRequest, KerberosDomainRecord, KerberosServerTable, RemoveResult, SetRequest, SetResult,
} from "./types";

export const ROTATION_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface LabKerberosPublisherOptions {
    /** the lab forests (one domain each); requests name a domain, the publisher finds its DC */
    forests: LabForest[];
    /** the lab CA, to verify the DCs' LDAPS certificates */
    caPem: string;
    /** JSON file for the KerberosDomain records (under the lab dir) */
    storePath: string;
    auditSink: AuditSink;
    /** the SCP keywords' Id (its meaning is not public; the lab uses the tenant id) */
    tenantId?: string;
    /** clock, for tests of the 24 h rotation rule */
    now?: () => Date;
    /** LDAP connect/operation timeout */
    timeoutMs?: number;
}

function badRequest(message: string, input: string): ProviderError {
    return new ProviderError("BadRequest", message, { input });
}

function validateCredential(req: DomainRequest): void {
    if (!req || typeof req !== "object") throw badRequest("the request body must be a JSON object", "body");
    if (typeof req.domain !== "string" || !req.domain.trim()) throw badRequest("domain is required (the AD domain's DNS name)", "domain");
    const c = req.domainCredential;
    if (!c || typeof c !== "object" || typeof c.username !== "string" || !c.username || typeof c.password !== "string" || !c.password) {
        throw badRequest("domainCredential {username, password} is required (like the module's -DomainCredential)", "domainCredential");
    }
}

/** Rewrites LDAP failures into the module's own messages where docs/sources.md, Kerberos §4.2 has one. */
function asModuleError(e: unknown, stage: "connect" | "create"): unknown {
    if (!(e instanceof ProviderError)) return e;
    const keep = { input: e.input, resource: e.resource, serviceCode: e.serviceCode, retryable: e.retryable, cause: e };
    if (e.serviceCode === "strongerAuthRequired") {
        return new ProviderError("DomainStrongAuthRequired", `Failed to connect to domain: Strong authentication is required (${e.message})`, keep);
    }
    if (e.message.startsWith("Failed to")) return e; // already in the module's words
    if (stage === "create" && (e.code === "DirectoryAccessDenied" || e.serviceCode === "insufficientAccessRights")) {
        return new ProviderError("DirectoryAccessDenied", `Failed to create Azure AD Kerberos Server: Error sending directory request: The user has insufficient access rights (${e.message})`, keep);
    }
    return e;
}

function table(domain: string, st: KerberosServerState | undefined, r: KerberosDomainRecord | undefined): KerberosServerTable {
    const k = st?.krbtgt;
    return {
        Id: k?.branchId ?? null,
        UserAccount: k?.dn ?? null,
        ComputerAccount: st?.computer?.dn ?? null,
        DisplayName: k?.sAMAccountName ?? null,
        DomainDnsName: domain,
        KeyVersion: k?.key?.keyVersion ?? null,
        KeyUpdatedOn: k?.key?.keyUpdatedOn.toISOString() ?? null,
        KeyUpdatedFrom: k?.key?.keyUpdatedFrom ?? null,
        CloudDisplayName: r?.displayName ?? null,
        CloudDomainDnsName: r?.domainDnsName ?? null,
        CloudId: r?.branchId ?? null,
        CloudKeyVersion: r?.keyVersion ?? null,
        CloudKeyUpdatedOn: r?.keyUpdatedOn ?? null,
    };
}

/** True if the record no longer describes the on-prem key (what Get shows as KeyVersion ≠ CloudKeyVersion). */
function stale(r: KerberosDomainRecord, want: KerberosDomainRecord): boolean {
    return r.branchId !== want.branchId || r.displayName !== want.displayName || r.keyVersion !== want.keyVersion
        || r.keyUpdatedOn !== want.keyUpdatedOn || r.domainDnsName !== want.domainDnsName;
}

export class LabKerberosPublisher {
    readonly faults = new Faults();
    private readonly store: RecordStore;
    private readonly forests: LabForest[];
    private readonly queues = new Map<string, Promise<unknown>>();
    private readonly now: () => Date;

    constructor(private readonly options: LabKerberosPublisherOptions) {
        this.store = new RecordStore(options.storePath);
        this.forests = options.forests;
        this.now = options.now ?? (() => new Date());
    }

    /** The stored cloud record of a domain (tests, lab status). */
    record(domain: string): KerberosDomainRecord | undefined {
        return this.store.get(domain);
    }

    records(): KerberosDomainRecord[] {
        return this.store.list();
    }

    private forest(domain: string): LabForest {
        const d = domain.trim().toLowerCase().replace(/\.$/, "");
        const f = this.forests.find((x) => x.domain.toLowerCase() === d);
        if (!f) {
            throw new ProviderError("UnknownDomain", `Failed to connect to domain: ${domain} is not a domain of this lab (known: ${this.forests.map((x) => x.domain).join(", ") || "none"})`, { input: "domain" });
        }
        return f;
    }

    private connection(f: LabForest, req: DomainRequest): ResolvedDirectoryConnection {
        return {
            urls: [f.ldapsUrl], username: req.domainCredential.username, password: req.domainCredential.password,
            caCertificate: this.options.caPem, tlsServerName: f.dcHostName, timeoutMs: this.options.timeoutMs,
        };
    }

    /**
     * What every cmdlet does first: check the credential's shape, find the forest, then run alone for
     * its domain after any injected delay.
     */
    private operation<T>(req: DomainRequest, fn: (f: LabForest, domain: string) => Promise<T>): Promise<T> {
        validateCredential(req);
        const f = this.forest(req.domain);
        const domain = f.domain.toLowerCase();
        return this.serial(domain, async () => {
            await this.faults.delay(domain);
            return fn(f, domain);
        });
    }

    /** One operation per domain at a time: two concurrent sets must not both create objects. */
    private serial<T>(domain: string, fn: () => Promise<T>): Promise<T> {
        const prev = this.queues.get(domain) ?? Promise.resolve();
        const next = prev.catch(() => undefined).then(fn);
        this.queues.set(domain, next);
        const cleanup = () => { if (this.queues.get(domain) === next) this.queues.delete(domain); };
        next.then(cleanup, cleanup);
        return next;
    }

    private async audit(kind: "Add" | "Update" | "Delete", before: KerberosDomainRecord | undefined, after: KerberosDomainRecord | undefined, actor?: AuditActor): Promise<void> {
        await this.options.auditSink.recordDirectoryAudit(kerberosDomainAuditEvent(kind, before, after, actor, this.now()));
    }

    /** Creates whatever is missing of the three objects, reusing what exists. Returns the DNs it created. */
    private async converge(s: DirectorySession, st: KerberosServerState): Promise<string[]> {
        const created: string[] = [];
        const dns = st.dns;
        try {
            // 1. krbtgt_AzureAD: the linked/SCP-named one if it is whole, else the one at its DN, else a new one
            let krbtgt = st.krbtgt?.branchId ? { dn: st.krbtgt.dn, sid: st.krbtgt.sid } : undefined;
            if (!krbtgt) {
                const r = await ensureKrbtgt(s, dns);
                if (r.created) created.push(r.account.dn);
                krbtgt = r.account;
            }
            // 2. the computer, linked to it (default PRP lists only when it is created)
            let allowed: ResolvedGroup[] = [];
            let denied: ResolvedGroup[] = [];
            if (!st.computer) { // one search for all ten groups
                const all = await resolveWellKnownGroups(s, [...DEFAULT_ALLOWED_GROUPS, ...DEFAULT_DENIED_GROUPS], st.domainDnsName);
                allowed = all.slice(0, DEFAULT_ALLOWED_GROUPS.length);
                denied = all.slice(DEFAULT_ALLOWED_GROUPS.length);
            }
            // the DC's own name is only for the module's error message when a new computer's password fails;
            // the read no longer fetches the rootDSE for it, so ask only when a computer is created
            const dcName = st.computer ? s.url : (st.dcHostName ?? (await s.rootDse()).dnsHostName ?? s.url);
            const c = await ensureComputer(s, dns, st.computer, krbtgt.dn, allowed, denied, dcName);
            let computerSid = st.computer?.sid;
            if (c.created) {
                created.push(c.dn);
                const [e] = await s.search(c.dn, { scope: "base", filter: "(objectClass=computer)", attributes: ["objectSid"], explicitBufferAttributes: ["objectSid"] });
                computerSid = sidToString(e.buffer("objectSid")!);
            }
            // 3. the SCP, re-created when it is missing or names other accounts
            const kw = st.scp?.keywords;
            if (!st.scp || !kw?.Id || kw.UserAccountSid !== krbtgt.sid || kw.ComputerAccountSid !== computerSid) {
                await recreateScp(s, dns, { Id: kw?.Id ?? this.options.tenantId ?? randomUUID(), UserAccountSid: krbtgt.sid, ComputerAccountSid: computerSid! });
                created.push(dns.scp);
            }
        } catch (e) {
            throw asModuleError(e, "create");
        }
        return created;
    }

    private desiredRecord(domain: string, st: KerberosServerState, prev: KerberosDomainRecord | undefined, rotated: boolean): KerberosDomainRecord {
        const k = st.krbtgt!;
        const key = k.key!;
        const now = this.now().toISOString();
        return {
            objectId: prev?.objectId ?? randomUUID(),
            domainDnsName: domain,
            branchId: k.branchId!,
            displayName: k.sAMAccountName ?? `krbtgt_${k.branchId}`,
            keyVersion: key.keyVersion,
            keyUpdatedOn: key.keyUpdatedOn.toISOString(),
            keyUpdatedFrom: key.keyUpdatedFrom,
            lastRotatedOn: rotated ? now : prev?.lastRotatedOn,
            createdOn: prev?.createdOn ?? now,
            updatedOn: now,
        };
    }

    /**
     * Set-AzureADKerberosServer: creates the objects if they are missing, publishes the record if it
     * is missing or stale, rotates the key when asked. Run twice, the second run changes nothing.
     */
    async set(req: SetRequest, actor?: AuditActor): Promise<SetResult> {
        return this.operation(req, async (f, domain) => {
            const rt = newRoundTrips();
            const result = await withDirectory(this.connection(f, req), async (s) => {
                let st = await readKerberosServer(s, domain);
                const prev = this.store.get(domain);
                // The module's rule: one rotation per 24 h unless -Force. Checked before any write.
                if (req.rotateServerKey && !req.force && prev?.lastRotatedOn) {
                    const last = new Date(prev.lastRotatedOn);
                    if (this.now().getTime() - last.getTime() < ROTATION_INTERVAL_MS) {
                        throw new ProviderError("RotationTooSoon",
                            `Failed to rotate the Azure AD Kerberos Server key for ${domain}: it was last rotated at ${last.toISOString()}, less than 24 hours ago. ` +
                            "Allow time for the new key to replicate, or use -Force to rotate anyway", { input: "rotateServerKey" });
                    }
                }
                let createdObjects: string[] = [];
                if (!st.complete) {
                    createdObjects = await this.converge(s, st);
                    await this.faults.delay(domain, "afterAdObjects");
                    st = await readKerberosServer(s, domain);
                    if (!st.complete) {
                        throw new ProviderError("KerberosServerIncomplete", `Azure AD Kerberos Server objects of ${domain} are inconsistent: ${describeProblems(st).join("; ")}`, { resource: s.url });
                    }
                }
                let rotated = false;
                if (req.rotateServerKey) {
                    await setRandomPassword(s, st.krbtgt!.dn);
                    rotated = true;
                    await this.faults.delay(domain, "afterRotation");
                    st = await readKerberosServer(s, domain);
                    this.faults.check(domain, "afterRotation");
                }
                const want = this.desiredRecord(domain, st, prev, rotated);
                let published: SetResult["published"] = "none";
                if (!prev || rotated || stale(prev, want)) {
                    this.faults.check(domain, "afterAdObjects");
                    this.store.put(want);
                    published = prev ? "updated" : "added";
                    await this.audit(prev ? "Update" : "Add", prev, want, actor);
                }
                return { createdObjects, rotated, published, server: table(domain, st, this.store.get(domain)) };
            }, { roundTrips: rt, purpose: `Set-AzureADKerberosServer ${domain}` }).catch((e) => { throw asModuleError(e, "connect"); });
            return { ...result, ldapRoundTrips: totalRoundTrips(rt) };
        });
    }

    /** Get-AzureADKerberosServer: on-prem values over LDAP, Cloud* values from the record. */
    async get(req: DomainRequest): Promise<KerberosServerTable> {
        return this.operation(req, async (f, domain) => {
            const st = await withDirectory(this.connection(f, req), (s) => readKerberosServer(s, domain), { purpose: `Get-AzureADKerberosServer ${domain}` })
                .catch((e) => { throw asModuleError(e, "connect"); });
            return table(domain, st, this.store.get(domain));
        });
    }

    /** Remove-AzureADKerberosServer: the computer, the krbtgt account, the SCP container, the record. */
    async remove(req: DomainRequest, actor?: AuditActor): Promise<RemoveResult> {
        return this.operation(req, async (f, domain) => {
            const rt = newRoundTrips();
            const deletedObjects = await withDirectory(this.connection(f, req), async (s) => {
                const st = await readKerberosServer(s, domain);
                const deleted: string[] = [];
                const targets: [string, boolean][] = [];
                if (st.computer) targets.push([st.computer.dn, false]);
                if (st.krbtgt) targets.push([st.krbtgt.dn, false]);
                // a krbtgt left behind by a failed set is not linked from anything: delete it by its DN
                if (!st.krbtgt || st.krbtgt.dn.toLowerCase() !== st.dns.krbtgt.toLowerCase()) targets.push([st.dns.krbtgt, false]);
                targets.push([st.dns.container, true]);
                for (const [dn, tree] of targets) {
                    try {
                        if (await deleteIfExists(s, dn, tree)) deleted.push(dn);
                    } catch (e) {
                        if (!isLdapResult(e, "noSuchObject")) throw e;
                    }
                }
                return deleted;
            }, { roundTrips: rt, purpose: `Remove-AzureADKerberosServer ${domain}` }).catch((e) => { throw asModuleError(e, "connect"); });
            const prev = this.store.get(domain);
            if (prev) {
                this.store.delete(domain);
                await this.audit("Delete", prev, undefined, actor);
            }
            return { deletedObjects, recordDeleted: !!prev, ldapRoundTrips: totalRoundTrips(rt) };
        });
    }
}
