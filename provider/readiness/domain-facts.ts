// What the readiness report reads of one domain besides its Kerberos server: the DC computer objects
// with their operating system, and the domain's and forest's functional levels (msDS-Behavior-Version
// of the domain head and of CN=Partitions, MS-ADTS 6.1.4.2 and 6.1.4.3). Two searches, in parallel,
// both read-only.
import { EqualityFilter, OrFilter } from "ldapts";
import type { DirectorySession } from "../ad/connection";
import { dcComputerFilter, domainDnOf } from "../ad/kerberos-objects";
import type { DcFacts } from "./dc-builds";

export interface DomainFacts {
    dcs: DcFacts[];
    domainFunctionalLevel?: number;
    forestFunctionalLevel?: number;
}

/** msDS-Behavior-Version values (MS-ADTS 6.1.4.4) by the Windows Server release that introduced them. */
export const FUNCTIONAL_LEVELS: Readonly<Record<number, string>> = {
    0: "Windows 2000", 1: "Windows Server 2003 interim", 2: "Windows Server 2003", 3: "Windows Server 2008",
    4: "Windows Server 2008 R2", 5: "Windows Server 2012", 6: "Windows Server 2012 R2", 7: "Windows Server 2016",
    10: "Windows Server 2025",
};

export function functionalLevelName(level: number | undefined): string {
    if (level === undefined) return "unknown";
    return FUNCTIONAL_LEVELS[level] ?? `level ${level}`;
}

const BEHAVIOR = "msDS-Behavior-Version";

export async function readDomainFacts(session: DirectorySession, domainDnsName: string): Promise<DomainFacts> {
    const domainDn = domainDnOf(domainDnsName);
    const { configurationNamingContext } = await session.namingContexts();
    const [entries, partitions] = await Promise.all([
        session.search(domainDn, {
            scope: "sub",
            filter: new OrFilter({ filters: [new EqualityFilter({ attribute: "distinguishedName", value: domainDn }), dcComputerFilter()] }),
            attributes: ["dNSHostName", "operatingSystem", "operatingSystemVersion", BEHAVIOR],
        }),
        session.search(`CN=Partitions,${configurationNamingContext}`, { scope: "base", filter: "(objectClass=*)", attributes: [BEHAVIOR] }),
    ]);
    const head = entries.find((e) => e.isDn(domainDn));
    const dcs = entries.filter((e) => e !== head).map((e) => ({
        hostName: e.string("dNSHostName") ?? e.dn, operatingSystem: e.string("operatingSystem"), operatingSystemVersion: e.string("operatingSystemVersion"),
    }));
    return { dcs, domainFunctionalLevel: head?.number(BEHAVIOR), forestFunctionalLevel: partitions[0]?.number(BEHAVIOR) };
}
