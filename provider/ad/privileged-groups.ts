// Which groups must never be in a Kerberos server's allow list (msDS-RevealOnDemandGroup): the nine
// groups Microsoft's module denies (docs/sources.md, Kerberos §1.2). An allow-listed privileged account
// lets anyone who controls Entra (or the sync API) obtain a TGT for it on-premises (§5, DJM).
//
// This file is pure: `check` uses it to refuse such a group by name, DN or well-known SID before
// any I/O. Membership (a group nested in one of these) needs LDAP; see prp.ts.
import { firstRdn, looksLikeDn } from "./escape";
import { DEFAULT_DENIED_GROUPS, isSidString, ridOf, WELL_KNOWN_GROUPS, WellKnownGroup } from "./sid";

/** The privileged well-known groups: the same nine that are always on the deny list. */
export const PRIVILEGED_GROUPS: readonly WellKnownGroup[] = DEFAULT_DENIED_GROUPS;

const DOMAIN_SID_PREFIX = /^S-1-5-21-\d+-\d+-\d+-\d+$/i;

/** The privileged group a well-known SID denotes, whatever the domain (RIDs 512/516-519, BUILTIN 544/548/549/551). */
export function privilegedGroupBySid(sid: string): WellKnownGroup | undefined {
    const s = sid.trim().toUpperCase();
    if (!isSidString(s)) return undefined;
    return PRIVILEGED_GROUPS.find((g) => {
        const def = WELL_KNOWN_GROUPS[g].sid;
        if ("builtin" in def) return def.builtin === s;
        return DOMAIN_SID_PREFIX.test(s) && ridOf(s) === def.rid;
    });
}

/** The privileged group a name denotes ("Domain Admins", also "CORP\Domain Admins"); English names only. */
export function privilegedGroupByName(name: string): WellKnownGroup | undefined {
    const n = name.trim().replace(/^[^\\]*\\/, "").toLowerCase();
    return PRIVILEGED_GROUPS.find((g) => WELL_KNOWN_GROUPS[g].name.toLowerCase() === n);
}

/**
 * The privileged group a group input (name, DN or SID) obviously denotes, without asking AD.
 * A renamed or localized group is caught later, at create/update time, by its SID.
 */
export function obviousPrivilegedGroup(input: string): WellKnownGroup | undefined {
    const v = input.trim();
    if (isSidString(v)) return privilegedGroupBySid(v);
    if (looksLikeDn(v)) {
        try { return privilegedGroupByName(firstRdn(v).value); } catch { return undefined; }
    }
    return privilegedGroupByName(v);
}

export function privilegedGroupName(g: WellKnownGroup): string {
    return WELL_KNOWN_GROUPS[g].name;
}
