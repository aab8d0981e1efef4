// One domain of the readiness report: its DCs and functional levels, its Kerberos server (the
// resource's own reader, readKerberosServer), its SID (to place pilot users) and its denied groups
// with their members. One LDAPS session, searches only.
import { withDirectory, type ResolvedDirectoryConnection } from "../ad/connection";
import { domainSid } from "../ad/groups";
import { describeProblems, readKerberosServer, type KerberosServerState } from "../ad/kerberos-objects";
import { dcFindings, type DcCapability } from "./dc-builds";
import { readDeniedGroups, type DeniedGroup } from "./denied-groups";
import { functionalLevelName, readDomainFacts } from "./domain-facts";
import { finding, type Finding } from "./findings";

export interface DomainReport {
    forest: string;
    domain: string;
    /** the DC that answered */
    readFrom?: string;
    domainFunctionalLevel?: string;
    forestFunctionalLevel?: string;
    domainControllers: { hostName: string; operatingSystem?: string; operatingSystemVersion?: string; capability: DcCapability }[];
    kerberosServer?: KerberosServerSummary;
}

export interface KerberosServerSummary {
    exists: boolean;
    complete: boolean;
    keyVersion?: number;
    keyVersionNumber?: number;
    keyUpdatedOn?: string;
    keyAgeDays?: number;
    problems: string[];
    /** the service connection point, and the Id of its JSON keywords: the tenant the objects were made for */
    scpDn?: string;
    scpId?: string;
}

/** What the report keeps of a domain for the user checks. */
export interface DomainContext {
    domain: string;
    baseDn: string;
    sid: string;
    directory: ResolvedDirectoryConnection;
    deniedGroups: DeniedGroup[];
}

export interface DomainInput {
    forest: string;
    domain: string;
    directory: ResolvedDirectoryConnection;
    deniedGroups: readonly string[];
    maxKeyAgeDays?: number;
}

const DAY_MS = 86_400_000;

export function summarizeKerberosServer(st: KerberosServerState, now: Date): KerberosServerSummary {
    const key = st.krbtgt?.key;
    return {
        exists: !st.absent, complete: st.complete, keyVersion: key?.keyVersion, keyVersionNumber: key?.keyVersionNumber,
        keyUpdatedOn: key?.keyUpdatedOn.toISOString(),
        keyAgeDays: key ? Math.floor((now.getTime() - key.keyUpdatedOn.getTime()) / DAY_MS) : undefined,
        problems: describeProblems(st),
        scpDn: st.scp?.dn, scpId: st.scp?.keywords?.Id,
    };
}

export function kerberosServerFindings(domain: string, summary: KerberosServerSummary, maxKeyAgeDays: number | undefined): Finding[] {
    if (!summary.exists) return [finding("kerberos-server-absent", domain, { domain })];
    const out: Finding[] = [];
    if (!summary.complete) out.push(finding("kerberos-server-inconsistent", domain, { domain, facts: { problems: summary.problems } }));
    if (maxKeyAgeDays !== undefined && summary.keyAgeDays !== undefined && summary.keyAgeDays > maxKeyAgeDays) {
        out.push(finding("kerberos-key-old", domain, { domain, facts: { keyAgeDays: summary.keyAgeDays, maxAgeDays: maxKeyAgeDays } }));
    }
    return out;
}

export async function reportDomain(input: DomainInput, now: Date): Promise<{ report: DomainReport; context: DomainContext; findings: Finding[] }> {
    return withDirectory(input.directory, async (session) => {
        // the Kerberos server first: its search also yields the naming contexts the others use
        const server = await readKerberosServer(session, input.domain);
        const [facts, sid, deniedGroups] = await Promise.all([
            readDomainFacts(session, input.domain), domainSid(session), readDeniedGroups(session, server, input.deniedGroups),
        ]);
        const dcs = dcFindings(facts.dcs, input.domain);
        const kerberosServer = summarizeKerberosServer(server, now);
        const report: DomainReport = {
            forest: input.forest, domain: input.domain, readFrom: session.url,
            domainFunctionalLevel: functionalLevelName(facts.domainFunctionalLevel),
            forestFunctionalLevel: functionalLevelName(facts.forestFunctionalLevel),
            domainControllers: facts.dcs.map((dc, i) => ({ ...dc, capability: dcs.assessments[i].capability })),
            kerberosServer,
        };
        return {
            report,
            context: { domain: input.domain, baseDn: server.dns.domain, sid, directory: input.directory, deniedGroups },
            findings: [...dcs.findings, ...kerberosServerFindings(input.domain, kerberosServer, input.maxKeyAgeDays)],
        };
    }, { purpose: `readiness report of ${input.domain}` });
}
