// Plain LDAP (ldap://, or allowPlainLdap: true) sends the bind password in the clear. It is allowed
// only against the local lab, which binds loopback addresses only; everywhere else LDAPS is required.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { KERBEROS_SERVER } from "./types";

export function isLoopbackUrl(url: string): boolean {
    const host = /^[a-z]+:\/\/(\[[^\]]+\]|[^/:]+)/i.exec(url)?.[1]?.toLowerCase();
    return host === "localhost" || host === "[::1]" || (host !== undefined && /^127\.\d+\.\d+\.\d+$/.test(host));
}

export const noPlainLdapOutsideLab: ResourceValidationPolicy = {
    name: "no-plain-ldap-outside-lab",
    description: "Directory connections use ldaps:// and no allowPlainLdap, except to loopback (lab) DCs.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== KERBEROS_SERVER) return;
        const dir = args.props.directory ?? {};
        const urls: string[] = Array.isArray(dir.urls) ? dir.urls.filter((u: unknown): u is string => typeof u === "string") : [];
        const offLab = urls.filter((u) => !isLoopbackUrl(u));
        for (const u of offLab.filter((x) => /^ldap:\/\//i.test(x))) {
            reportViolation(`${args.name}: directory url ${u} is plain LDAP outside the lab; use ldaps://.`);
        }
        if (dir.allowPlainLdap === true && offLab.length > 0) {
            reportViolation(`${args.name}: directory.allowPlainLdap is true for ${offLab.join(", ")}, which are not lab (loopback) DCs.`);
        }
    },
};
