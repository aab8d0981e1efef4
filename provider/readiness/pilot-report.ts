// The pilot groups of the readiness report: each group found in Graph by name or id, its users
// streamed a page at a time, each page's synchronised users looked up in their own domain (one
// session per domain and page), the findings of each user kept and the user dropped, so memory
// holds one page however large the group.
import { withDirectory } from "../ad/connection";
import { domainSidOf } from "../ad/sid";
import { isGuid } from "../core/grammar";
import type { GraphClient } from "../graph";
import { graphGroupLookup } from "../intune/assignments";
import type { DomainContext } from "./domain-report";
import { finding, type Finding } from "./findings";
import { lookupUsersBySid } from "./onprem-users";
import { pilotUserPages, type PilotUser } from "./pilot-users";
import { userFindings, type OnPremUser } from "./user-rules";

export interface PilotGroupReport {
    /** as the stack names it */
    group: string;
    id?: string;
    users: number;
    usersWithFindings: number;
}

type Resolved = { id: string } | { finding: Finding };

async function resolvePilotGroup(gc: GraphClient, group: string): Promise<Resolved> {
    const lookup = graphGroupLookup(gc, "readiness");
    if (isGuid(group)) {
        const g = await lookup.byId(group);
        return g ?? { finding: finding("pilot-group-not-found", group) };
    }
    const matches = await lookup.byName(group);
    if (matches.length === 1) return matches[0];
    if (matches.length === 0) return { finding: finding("pilot-group-not-found", group) };
    return { finding: finding("pilot-group-ambiguous", group, { facts: { ids: matches.map((m) => m.id) } }) };
}

/** Each synchronised user of the page with its on-premises entry, per domain: one session each. */
async function onPremUsersOf(page: readonly PilotUser[], domains: readonly DomainContext[]): Promise<Map<string, OnPremUser>> {
    const found = new Map<string, OnPremUser>();
    await Promise.all(domains.map(async (d) => {
        const sids = page.map((u) => u.onPremisesSecurityIdentifier?.toUpperCase()).filter((s): s is string => !!s && domainSidOf(s) === d.sid);
        if (sids.length === 0) return;
        const users = await withDirectory(d.directory, (session) => lookupUsersBySid(session, d.baseDn, sids), { purpose: `readiness: look up pilot users in ${d.domain}` });
        for (const [sid, u] of users) found.set(sid, u);
    }));
    return found;
}

export async function reportPilotGroup(gc: GraphClient, group: string, domains: readonly DomainContext[], progress: (line: string) => void): Promise<{ report: PilotGroupReport; findings: Finding[] }> {
    const resolved = await resolvePilotGroup(gc, group);
    if ("finding" in resolved) return { report: { group, users: 0, usersWithFindings: 0 }, findings: [resolved.finding] };
    const findings: Finding[] = [];
    let users = 0, usersWithFindings = 0;
    for await (const page of pilotUserPages(gc, resolved.id, group)) {
        const onPrem = await onPremUsersOf(page, domains);
        for (const user of page) {
            const sid = user.onPremisesSecurityIdentifier?.toUpperCase();
            const domain = sid ? domains.find((d) => d.sid === domainSidOf(sid)) : undefined;
            const own = userFindings({ user, pilotGroup: group, domain: domain?.domain, onPrem: sid ? onPrem.get(sid) : undefined, deniedGroups: domain?.deniedGroups ?? [] });
            if (own.length > 0) usersWithFindings++;
            findings.push(...own);
        }
        users += page.length;
        progress(`pilot group "${group}": ${users} users read`);
    }
    return { report: { group, id: resolved.id, users, usersWithFindings }, findings };
}
