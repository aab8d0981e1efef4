// Reads the on-premises half of an Azure AD Kerberos server (docs/sources.md, Kerberos §1, §2.2):
// the service connection point, the AzureADKerberos "RODC" computer, the krbtgt_AzureAD account
// and the key's replication stamp, and checks that they point at each other.
//
// Round trips for a complete, consistent object set: ONE subtree search of the domain NC (an OR of
// exact matches) that returns the SCP, the computer, the krbtgt linked from the computer (with
// replPropertyMetaData), the domain head (which stands in for the rootDSE: domain-head.ts), the
// domain's DC computer objects and, when asked, its critical system groups (the well-known groups
// the allow/deny lists are checked against, so that check needs no search of its own: groups.ts), and BESIDE it
// the domain's DSAs for the key's originating DC (dc-names.ts). With the bind: 3 round trips, 2 of
// them in parallel, and none at all for the DSAs when this process already knows them. Extra
// searches happen only when the objects disagree or were moved, to report exactly what the SCP
// points at, and when the domain head cannot vouch for the DC (then the rootDSE decides).
import { AndFilter, EqualityFilter, ExtensibleFilter, OrFilter } from "ldapts";
import { ProviderError } from "../core/errors";
import { DirectorySession, DirEntry, isLdapResult } from "./connection";
import { dcHostNameByInvocationId, originatingDcName, prefetchDomainDsas } from "./dc-names";
import { HEAD_ATTRS, namingContextsFromHead } from "./domain-head";
import { dnEquals, escapeDnValue } from "./escape";
import { offerGroupCandidates } from "./groups";
import { claimFilter, parseClaims, type ListClaim } from "./list-claims";
import { passwordMetadata } from "./replmeta";
import { sidToString } from "./sid";

// the exact lookup moved to dc-names.ts with the per-process cache; re-exported for existing callers
export { dcHostNameByInvocationId };

/** cn of the SCP under CN=AzureAD,CN=System (fixed by Microsoft's module). */
export const KERBEROS_SCP_CN = "900274c4-b7d2-43c8-90ee-00a9f650e335";
export const KERBEROS_COMPUTER_CN = "AzureADKerberos";
export const KERBEROS_COMPUTER_SAM = "AzureADKerberos$";
export const KRBTGT_CN = "krbtgt_AzureAD";

/** userAccountControl of an RODC computer: WORKSTATION_TRUST | TRUSTED_TO_AUTH_FOR_DELEGATION | PARTIAL_SECRETS. */
export const RODC_UAC = 0x05001000;
export const UAC_ACCOUNTDISABLE = 0x2;
export const UAC_PARTIAL_SECRETS_ACCOUNT = 0x04000000;
/** userAccountControl of a writable DC's computer object */
export const UAC_SERVER_TRUST_ACCOUNT = 0x2000;
/** LDAP_MATCHING_RULE_BIT_AND */
const BIT_AND = "1.2.840.113556.1.4.803";

export interface KerberosServerDns {
    domain: string;
    container: string;
    scp: string;
    computer: string;
    krbtgt: string;
}

/** AD's domain NC name is the DC= form of the domain's DNS name. */
export function domainDnOf(domainDnsName: string): string {
    const labels = domainDnsName.trim().replace(/\.$/, "").split(".");
    if (labels.some((l) => l === "")) throw new ProviderError("DomainInvalid", `domain ${JSON.stringify(domainDnsName)} is not a DNS name`, { input: "domain" });
    return labels.map((l) => `DC=${escapeDnValue(l)}`).join(",");
}

export function kerberosServerDns(domainDn: string): KerberosServerDns {
    const container = `CN=AzureAD,CN=System,${domainDn}`;
    return {
        domain: domainDn,
        container,
        scp: `CN=${KERBEROS_SCP_CN},${container}`,
        computer: `CN=${KERBEROS_COMPUTER_CN},OU=Domain Controllers,${domainDn}`,
        krbtgt: `CN=${KRBTGT_CN},CN=Users,${domainDn}`,
    };
}

/** The SCP's keywords value: a JSON string (PingCastle parses `keywords[0]` the same way). */
export interface ScpKeywords {
    Id?: string;
    UserAccountSid?: string;
    ComputerAccountSid?: string;
}

export function scpKeywordsJson(k: Required<ScpKeywords>): string {
    return JSON.stringify({ Id: k.Id, UserAccountSid: k.UserAccountSid, ComputerAccountSid: k.ComputerAccountSid });
}

/** The first keywords value that is a JSON object with at least one of the known fields. */
export function parseScpKeywords(values: string[]): ScpKeywords | undefined {
    for (const v of values) {
        try {
            const o = JSON.parse(v) as unknown;
            if (o && typeof o === "object" && !Array.isArray(o)) {
                const r = o as Record<string, unknown>;
                const pick = (k: string) => (typeof r[k] === "string" ? (r[k] as string) : undefined);
                const out: ScpKeywords = { Id: pick("Id"), UserAccountSid: pick("UserAccountSid"), ComputerAccountSid: pick("ComputerAccountSid") };
                if (out.Id || out.UserAccountSid || out.ComputerAccountSid) return out;
            }
        } catch { /* other keywords are plain words */ }
    }
    return undefined;
}

export interface ScpState {
    dn: string;
    keywords?: ScpKeywords;
    description?: string;
}

export interface ComputerState {
    dn: string;
    sid: string;
    sAMAccountName?: string;
    userAccountControl?: number;
    krbTgtLink?: string;
    /** msDS-RevealOnDemandGroup (allow list), DNs; a linked attribute, so unordered */
    allowedGroups: string[];
    /** msDS-NeverRevealGroup (deny list), DNs; unordered */
    deniedGroups: string[];
    description?: string;
}

export interface KeyMetadata {
    /** originating USN of the unicodePwd change: Get-AzureADKerberosServer's KeyVersion */
    keyVersion: number;
    /** originating time of that change (1 s resolution): KeyUpdatedOn */
    keyUpdatedOn: Date;
    /** DNS name of the DC where the key was last set: KeyUpdatedFrom (undefined if that DC is gone) */
    keyUpdatedFrom?: string;
    originatingInvocationId: string;
    /** dwVersion of the unicodePwd stamp (equals msDS-KeyVersionNumber, the kvno) */
    keyVersionNumber: number;
}

export interface KrbtgtState {
    dn: string;
    sid: string;
    sAMAccountName?: string;
    /** msDS-SecondaryKrbTgtNumber: the branch id / Id / CloudId */
    branchId?: number;
    userAccountControl?: number;
    /** msDS-KrbTgtLinkBl */
    linkedFrom: string[];
    key?: KeyMetadata;
}

export interface KerberosServerState {
    domainDnsName: string;
    dns: KerberosServerDns;
    /** the DC that answered (URL) */
    dc: string;
    /** the DNS name that DC reports for itself; only when the read needed the rootDSE (see domain-head.ts) */
    dcHostName?: string;
    scp?: ScpState;
    computer?: ComputerState;
    krbtgt?: KrbtgtState;
    /** true if none of the three objects exists */
    absent: boolean;
    /** true if all three exist and agree */
    complete: boolean;
    /** the pieces that are missing while others exist (none when `absent`) */
    missing: string[];
    /** disagreements between the pieces that exist, one sentence each */
    problems: string[];
    /** who declared which allow/deny list entries (list-claims.ts); read in the same search */
    claims: ListClaim[];
    /** what this account may not read (also in `problems`): the state cannot be judged, so nothing is written */
    unreadable?: string[];
}

const SCP_ATTRS = ["keywords", "description"];
const COMPUTER_ATTRS = ["sAMAccountName", "userAccountControl", "msDS-KrbTgtLink", "msDS-RevealOnDemandGroup", "msDS-NeverRevealGroup", "description"];
const KRBTGT_ATTRS = ["msDS-SecondaryKrbTgtNumber", "msDS-KrbTgtLinkBl", "replPropertyMetaData"];
const COMMON_ATTRS = ["objectClass", "objectSid", "sAMAccountName", "userAccountControl"];
/** of the domain's DC computer objects: which server object (configuration NC) is which host */
const DC_ATTRS = ["dNSHostName", "serverReferenceBL"];
const BINARY_ATTRS = ["objectSid", "replPropertyMetaData"];
const ALL_ATTRS = [...new Set([...COMMON_ATTRS, ...SCP_ATTRS, ...COMPUTER_ATTRS, ...KRBTGT_ATTRS, ...HEAD_ATTRS, ...DC_ATTRS])];

function hasClass(e: DirEntry, cls: string): boolean {
    return e.strings("objectClass").some((c) => c.toLowerCase() === cls.toLowerCase());
}

function sidOf(e: DirEntry): string {
    const b = e.buffer("objectSid");
    if (!b) throw new ProviderError("DirectoryNotAd", `${e.dn} has no objectSid`);
    return sidToString(b);
}

function toScp(e: DirEntry): ScpState {
    return { dn: e.dn, keywords: parseScpKeywords(e.strings("keywords")), description: e.string("description") };
}

function toComputer(e: DirEntry): ComputerState {
    return {
        dn: e.dn, sid: sidOf(e), sAMAccountName: e.string("sAMAccountName"), userAccountControl: e.number("userAccountControl"),
        krbTgtLink: e.string("msDS-KrbTgtLink"), allowedGroups: e.strings("msDS-RevealOnDemandGroup"),
        deniedGroups: e.strings("msDS-NeverRevealGroup"), description: e.string("description"),
    };
}

function toKrbtgt(e: DirEntry): { state: KrbtgtState; meta?: Buffer } {
    return {
        state: {
            dn: e.dn, sid: sidOf(e), sAMAccountName: e.string("sAMAccountName"), branchId: e.number("msDS-SecondaryKrbTgtNumber"),
            userAccountControl: e.number("userAccountControl"), linkedFrom: e.strings("msDS-KrbTgtLinkBl"),
        },
        meta: e.buffer("replPropertyMetaData"),
    };
}

/** One base search by `<SID=…>` (AD resolves the extended DN form), for the unusual paths. */
async function findBySid(session: DirectorySession, sid: string): Promise<DirEntry | undefined> {
    try {
        const [e] = await session.search(`<SID=${sid}>`, { scope: "base", filter: "(objectClass=*)", attributes: ALL_ATTRS, explicitBufferAttributes: BINARY_ATTRS });
        return e;
    } catch (err) {
        if ((err as ProviderError).code === "DirectoryNoSuchObject") return undefined;
        throw err;
    }
}

async function findByDn(session: DirectorySession, dn: string): Promise<DirEntry | undefined> {
    try {
        const [e] = await session.search(dn, { scope: "base", filter: "(objectClass=*)", attributes: ALL_ATTRS, explicitBufferAttributes: BINARY_ATTRS });
        return e;
    } catch (err) {
        if ((err as ProviderError).code === "DirectoryNoSuchObject") return undefined;
        throw err;
    }
}

/** Throws DirectoryWrongDomain unless this DC's rootDSE names the domain; returns the DC's own host name. */
async function assertServesDomain(session: DirectorySession, domainDn: string, domainDnsName: string): Promise<string | undefined> {
    const rootDse = await session.rootDse();
    if (!dnEquals(rootDse.defaultNamingContext, domainDn)) {
        throw new ProviderError("DirectoryWrongDomain",
            `${session.url} is a DC of ${rootDse.defaultNamingContext}, not of ${domainDnsName} (${domainDn}): check directory.urls for domain ${domainDnsName}`,
            { input: "directory.urls", resource: session.url });
    }
    return rootDse.dnsHostName;
}

export interface ReadKerberosServerOptions {
    /**
     * Also read the domain's critical system groups in the same search (the well-known groups the
     * allow/deny lists are checked against), so resolving them later in this session costs nothing.
     */
    withWellKnownGroups?: boolean;
}

/** The domain's writable DC computer objects: computers with SERVER_TRUST_ACCOUNT in userAccountControl. */
export function dcComputerFilter(): AndFilter {
    return new AndFilter({ filters: [
        new EqualityFilter({ attribute: "objectClass", value: "computer" }),
        new ExtensibleFilter({ matchType: "userAccountControl", rule: BIT_AND, value: String(UAC_SERVER_TRUST_ACCOUNT) }),
    ] });
}

/** The one search: the three objects, the domain head, the domain's DCs (and its critical system groups). */
function snapshotFilter(domainDn: string, dns: KerberosServerDns, withGroups: boolean) {
    return new OrFilter({ filters: [
        new EqualityFilter({ attribute: "distinguishedName", value: dns.scp }),
        new EqualityFilter({ attribute: "distinguishedName", value: dns.computer }),
        new EqualityFilter({ attribute: "msDS-KrbTgtLinkBl", value: dns.computer }),
        new EqualityFilter({ attribute: "distinguishedName", value: domainDn }),
        dcComputerFilter(),
        claimFilter(),
        ...(withGroups ? [new AndFilter({ filters: [
            new EqualityFilter({ attribute: "objectClass", value: "group" }),
            new EqualityFilter({ attribute: "isCriticalSystemObject", value: "TRUE" }),
        ] })] : []),
    ] });
}

/** Reads and cross-checks the Kerberos server objects of one domain. Never writes. */
export async function readKerberosServer(session: DirectorySession, domainDnsName: string, options: ReadKerberosServerOptions = {}): Promise<KerberosServerState> {
    const domainDn = domainDnOf(domainDnsName);
    const dns = kerberosServerDns(domainDn);
    const prefetch = prefetchDomainDsas(session, domainDn); // beside the search below (dc-names.ts)
    let entries: DirEntry[];
    let dcHostName: string | undefined;
    try {
        entries = await session.search(domainDn, { scope: "sub", filter: snapshotFilter(domainDn, dns, options.withWellKnownGroups === true), attributes: ALL_ATTRS, explicitBufferAttributes: BINARY_ATTRS });
    } catch (e) {
        await prefetch.dsas;
        // a DC of another domain does not hold this NC: say which domain it serves
        if (isLdapResult(e, "noSuchObject") || isLdapResult(e, "referral")) await assertServesDomain(session, domainDn, domainDnsName);
        throw e;
    }
    const head = entries.find((e) => e.isDn(domainDn));
    const contexts = namingContextsFromHead(head, domainDn);
    if (contexts) {
        // memos are set once: a session that already read the rootDSE keeps its values
        void session.memo("namingContexts", async () => contexts);
        if (head?.has("objectSid")) void session.memo("domainSid", async () => sidOf(head));
    } else {
        dcHostName = await assertServesDomain(session, domainDn, domainDnsName);
    }
    if (options.withWellKnownGroups) offerGroupCandidates(session, entries);
    const dcComputers = entries.filter((e) => hasClass(e, "computer") && !e.isDn(dns.computer) && ((e.number("userAccountControl") ?? 0) & UAC_SERVER_TRUST_ACCOUNT) !== 0);

    const problems: string[] = [];
    const scpEntry = entries.find((e) => e.isDn(dns.scp));
    let computerEntry = entries.find((e) => e.isDn(dns.computer));
    // the account the computer links (DC computers and groups came along in the same search)
    let krbtgtEntry = entries.find((e) => !e.isDn(dns.computer) && hasClass(e, "user") && e.strings("msDS-KrbTgtLinkBl").some((bl) => dnEquals(bl, dns.computer)));

    const scp = scpEntry ? toScp(scpEntry) : undefined;
    if (scpEntry && !scp?.keywords) problems.push(`the SCP ${dns.scp} has no JSON keywords {Id, UserAccountSid, ComputerAccountSid}`);

    // The SCP names the accounts by SID; that is how Microsoft's module finds them (§1.1 step 7).
    const wantComputerSid = scp?.keywords?.ComputerAccountSid;
    if (wantComputerSid && (!computerEntry || sidOf(computerEntry) !== wantComputerSid)) {
        const bySid = await findBySid(session, wantComputerSid);
        if (!bySid) problems.push(`the SCP's ComputerAccountSid ${wantComputerSid} does not exist`);
        else if (!computerEntry) { problems.push(`the Kerberos server computer is at ${bySid.dn}, not at ${dns.computer}`); computerEntry = bySid; }
        else problems.push(`the SCP's ComputerAccountSid ${wantComputerSid} is ${bySid.dn}, not ${computerEntry.dn}`);
    }
    const computer = computerEntry ? toComputer(computerEntry) : undefined;

    if (computer && !krbtgtEntry && computer.krbTgtLink) {
        krbtgtEntry = await findByDn(session, computer.krbTgtLink); // the computer was found elsewhere
        if (!krbtgtEntry) problems.push(`msDS-KrbTgtLink of ${computer.dn} points at ${computer.krbTgtLink}, which does not exist`);
    }
    const wantUserSid = scp?.keywords?.UserAccountSid;
    if (wantUserSid && (!krbtgtEntry || sidOf(krbtgtEntry) !== wantUserSid)) {
        const bySid = await findBySid(session, wantUserSid);
        if (!bySid) problems.push(`the SCP's UserAccountSid ${wantUserSid} does not exist`);
        else if (!krbtgtEntry) {
            problems.push(computer ? `${bySid.dn} (the SCP's UserAccountSid) is not linked from ${computer.dn}` : `found ${bySid.dn} through the SCP only`);
            krbtgtEntry = bySid;
        } else problems.push(`the SCP's UserAccountSid ${wantUserSid} is ${bySid.dn}, but ${computer?.dn ?? "the computer"} links ${krbtgtEntry.dn}`);
    }

    let krbtgt: KrbtgtState | undefined;
    const unreadable: string[] = [];
    if (krbtgtEntry) {
        const { state, meta } = toKrbtgt(krbtgtEntry);
        krbtgt = state;
        if (!meta) {
            // Every object has replPropertyMetaData: absent means this account may not read it, and
            // then an absent msDS-SecondaryKrbTgtNumber proves nothing either (both need the same
            // read right where Pre-Windows 2000 Compatible Access no longer grants it).
            unreadable.push(`the key metadata of ${state.dn} is not readable with this account: grant it Read Property on ` +
                "msDS-SecondaryKrbTgtNumber and replPropertyMetaData of that object (or keep Authenticated Users in Pre-Windows 2000 Compatible Access)");
        } else if (!state.branchId) {
            // Microsoft's module's own wording for this case (docs/sources.md, Kerberos §4.2)
            problems.push("Azure AD Kerberos Server object in Active Directory is missing required properties. Property: UserAccount.SecondaryKrbTgtNumber Value:0");
        }
        const pwd = meta ? passwordMetadata(meta) : undefined;
        if (meta && !pwd) problems.push(`${state.dn} has no password (no unicodePwd replication stamp)`);
        if (pwd) {
            const { configurationNamingContext } = await session.namingContexts();
            const from = await originatingDcName(session, {
                domainDn, configNc: configurationNamingContext, invocationId: pwd.originatingInvocationId, dcComputers, prefetch,
            });
            if (!from) problems.push(`the DC that last set the key (invocationId ${pwd.originatingInvocationId}) is no longer in the configuration`);
            krbtgt.key = {
                keyVersion: pwd.originatingUsn, keyUpdatedOn: pwd.changeTime, keyUpdatedFrom: from,
                originatingInvocationId: pwd.originatingInvocationId, keyVersionNumber: pwd.version,
            };
        }
    }

    if (computer && krbtgt && !(computer.krbTgtLink && dnEquals(computer.krbTgtLink, krbtgt.dn))) {
        problems.push(`msDS-KrbTgtLink of ${computer.dn} is ${computer.krbTgtLink ?? "empty"}, not ${krbtgt.dn}`);
    }
    const parts: [string, unknown][] = [["service connection point", scp], ["computer", computer], ["krbtgt account", krbtgt]];
    const missing = parts.filter(([, v]) => !v).map(([k]) => k);
    const absent = missing.length === parts.length;
    await prefetch.dsas; // settled before the caller can close the connection under it (never rejects)
    return {
        domainDnsName, dns, dc: session.url, dcHostName,
        scp, computer, krbtgt, absent, complete: missing.length === 0 && problems.length === 0 && unreadable.length === 0,
        missing: absent ? [] : missing, problems: [...problems, ...unreadable], unreadable,
        claims: parseClaims(entries, domainDn),
    };
}

/** Missing pieces and disagreements as one list of sentences ("missing: computer", then the rest). */
export function describeProblems(st: Pick<KerberosServerState, "missing" | "problems">): string[] {
    return [...(st.missing.length ? [`missing: ${st.missing.join(", ")}`] : []), ...st.problems];
}
