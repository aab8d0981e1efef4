// Why a pilot user will not get a cloud TGT, from what Graph and the user's domain say. Pure.
// A partial TGT needs a user synchronised from AD (Entra Kerberos issues it for the on-premises SID,
// onPremisesSecurityIdentifier), enabled on both sides, and outside every group the Kerberos
// server's password replication policy denies (docs/sources.md, Kerberos §1 and §5).
import { UAC_ACCOUNTDISABLE } from "../ad/kerberos-objects";
import type { DeniedGroup } from "./denied-groups";
import { finding, type Finding } from "./findings";
import type { PilotUser } from "./pilot-users";

export interface OnPremUser {
    sid: string;
    dn: string;
    userAccountControl?: number;
}

export interface PilotUserFacts {
    user: PilotUser;
    pilotGroup: string;
    /** the stack's domain whose SID the user's SID is in; undefined when none is */
    domain?: string;
    /** the user in that domain; undefined when it was not found there */
    onPrem?: OnPremUser;
    /** that domain's denied groups with their members */
    deniedGroups: readonly DeniedGroup[];
}

export function userLabel(u: PilotUser): string {
    return u.userPrincipalName ?? u.displayName ?? u.id;
}

export function userFindings(f: PilotUserFacts): Finding[] {
    const object = userLabel(f.user);
    const at = { pilotGroup: f.pilotGroup };
    const out: Finding[] = [];
    const sid = f.user.onPremisesSecurityIdentifier?.toUpperCase();
    const disabledIn: string[] = [];
    if (f.user.accountEnabled === false) disabledIn.push("Entra ID");
    if (!sid) {
        out.push(finding("user-not-synchronised", object, { ...at, facts: { userId: f.user.id } }));
    } else if (!f.domain) {
        out.push(finding("user-domain-not-in-stack", object, { ...at, facts: { onPremisesSecurityIdentifier: sid } }));
    } else if (!f.onPrem) {
        out.push(finding("user-not-found-on-premises", object, { ...at, domain: f.domain, facts: { onPremisesSecurityIdentifier: sid } }));
    } else {
        if (((f.onPrem.userAccountControl ?? 0) & UAC_ACCOUNTDISABLE) !== 0) disabledIn.push("Active Directory");
        const inGroups = (roles: DeniedGroup["role"][]) => f.deniedGroups.filter((g) => roles.includes(g.role) && g.memberSids.has(sid)).map((g) => g.name);
        const denied = inGroups(["deny-list", "protected-users"]);
        if (denied.length > 0) out.push(finding("user-in-denied-group", object, { ...at, domain: f.domain, facts: { deniedGroups: denied, dn: f.onPrem.dn } }));
        const rodc = inGroups(["rodc-denied"]);
        if (rodc.length > 0) out.push(finding("user-in-denied-rodc-group", object, { ...at, domain: f.domain, facts: { deniedGroups: rodc, dn: f.onPrem.dn } }));
    }
    if (disabledIn.length > 0) out.push(finding("user-disabled", object, { ...at, ...(f.domain ? { domain: f.domain } : {}), facts: { disabledIn } }));
    return out;
}
