// No privileged group in a Kerberos server's allow list (msDS-RevealOnDemandGroup): a cloud-issued
// partial TGT for such an account is a path from Entra to domain admin. The resource refuses these
// unless allowPrivilegedGroups: true; this rule refuses them even then, for the whole organisation.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { KERBEROS_SERVER } from "./types";

/** Names and well-known SIDs/RIDs of the groups Microsoft's module always denies. */
const PRIVILEGED_NAMES = [
    "domain admins", "enterprise admins", "schema admins", "administrators", "account operators", "server operators",
    "backup operators", "domain controllers", "cert publishers", "read-only domain controllers", "group policy creator owners",
];
const PRIVILEGED_BUILTIN_SIDS = ["s-1-5-32-544", "s-1-5-32-548", "s-1-5-32-549", "s-1-5-32-551"];
const PRIVILEGED_DOMAIN_RIDS = ["512", "516", "517", "518", "519", "521", "520"];

export function privilegedGroupIn(entry: string): boolean {
    const e = entry.trim().toLowerCase();
    const cn = /^cn=([^,]+),/.exec(e)?.[1] ?? e.split("\\").pop()!;
    if (PRIVILEGED_NAMES.includes(cn)) return true;
    if (PRIVILEGED_BUILTIN_SIDS.includes(e)) return true;
    const rid = /^s-1-5-21-\d+-\d+-\d+-(\d+)$/.exec(e)?.[1];
    return rid !== undefined && PRIVILEGED_DOMAIN_RIDS.includes(rid);
}

export const noPrivilegedGroupInAllowList: ResourceValidationPolicy = {
    name: "no-privileged-group-in-allow-list",
    description: "No AzureADKerberosServer allows a privileged group (Domain Admins, Enterprise Admins, Administrators, ...) in allowedGroups, even with allowPrivilegedGroups.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== KERBEROS_SERVER) return;
        const allowed: unknown = args.props.allowedGroups;
        if (!Array.isArray(allowed)) return;
        allowed.forEach((g, i) => {
            if (typeof g === "string" && privilegedGroupIn(g)) {
                reportViolation(`${args.name}: allowedGroups[${i}] "${g}" is a privileged group; its members' passwords must never be revealed to a cloud-issued TGT.`);
            }
        });
    },
};
