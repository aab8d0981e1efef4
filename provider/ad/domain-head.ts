// The domain head (the domainDNS object at the top of a domain NC) as a stand-in for the rootDSE.
// readKerberosServer reads the head inside its one search anyway; from it come
// - proof that this DC serves the domain: only a DC of the domain holds the domain NC writable
//   (instanceType has IT_WRITE); a global catalog or an RODC holds a read-only copy, and then the
//   rootDSE decides, as before;
// - the naming contexts: fSMORoleOwner names the PDC's NTDS Settings object, which lives in
//   CN=Sites of the configuration NC, and the configuration NC is always CN=Configuration,<forest
//   root domain>;
// - the domain SID (objectSid).
// That spares the rootDSE search, one round trip of every read.
import type { DirEntry, NamingContexts } from "./connection";
import { splitDn } from "./escape";

/** What the head must be read with. */
export const HEAD_ATTRS = ["objectSid", "fSMORoleOwner", "instanceType"];

/** instanceType: the NC is writable on this DC (MS-ADTS 2.2.1, IT_WRITE). */
const IT_WRITE = 0x4;

/** `CN=NTDS Settings,CN=<dc>,CN=Servers,CN=<site>,CN=Sites,CN=Configuration,DC=…` → `CN=Configuration,DC=…`. */
export function configurationNcFromRoleOwner(dsaDn: string | undefined): string | undefined {
    if (!dsaDn) return undefined;
    const rdns = splitDn(dsaDn);
    const i = rdns.findIndex((r, j) => /^cn=sites$/i.test(r) && /^cn=configuration$/i.test(rdns[j + 1] ?? ""));
    if (i < 0) return undefined; // e.g. a role owner in CN=Deleted Objects (mangled name): let the rootDSE say
    const config = rdns.slice(i + 1);
    if (config.length < 2 || !config.slice(1).every((r) => /^dc=/i.test(r))) return undefined;
    return config.join(",");
}

/** The naming contexts the head vouches for, or undefined when it cannot (then read the rootDSE). */
export function namingContextsFromHead(head: DirEntry | undefined, domainDn: string): NamingContexts | undefined {
    if (!head) return undefined;
    const instanceType = head.number("instanceType");
    if (instanceType === undefined || (instanceType & IT_WRITE) === 0) return undefined;
    const configurationNamingContext = configurationNcFromRoleOwner(head.string("fSMORoleOwner"));
    if (!configurationNamingContext) return undefined;
    return {
        defaultNamingContext: domainDn,
        configurationNamingContext,
        rootDomainNamingContext: splitDn(configurationNamingContext).slice(1).join(","),
    };
}
