// Observations for the pure drift/plan tests: a complete, in-sync server of corp.example.com that
// each test bends one way.
import { kerberosServerDns, type KerberosServerState } from "../../../provider/ad/kerberos-objects";
import type { Observation } from "../../../provider/kerberos/drift";
import type { KerberosServerTable } from "../../../provider/publisher/port";

export const DOMAIN = "corp.example.com";
export const DNS = kerberosServerDns("DC=corp,DC=example,DC=com");
export const KEY_TIME = "2026-01-10T08:00:00.000Z";

export function adState(over: Partial<KerberosServerState> = {}): KerberosServerState {
    return {
        domainDnsName: DOMAIN, dns: DNS, dc: "ldaps://dc1:636", dcHostName: "dc1.corp.example.com",
        scp: { dn: DNS.scp, keywords: { Id: "x", UserAccountSid: "S-1-5-21-1-2-3-1103", ComputerAccountSid: "S-1-5-21-1-2-3-1104" } },
        computer: { dn: DNS.computer, sid: "S-1-5-21-1-2-3-1104", krbTgtLink: DNS.krbtgt, allowedGroups: [], deniedGroups: [] },
        krbtgt: {
            dn: DNS.krbtgt, sid: "S-1-5-21-1-2-3-1103", sAMAccountName: "krbtgt_30775", branchId: 30775, linkedFrom: [DNS.computer],
            key: { keyVersion: 1585708, keyUpdatedOn: new Date(KEY_TIME), keyUpdatedFrom: "dc1.corp.example.com", originatingInvocationId: "00000000-0000-0000-0000-000000000001", keyVersionNumber: 2 },
        },
        absent: false, complete: true, missing: [], problems: [], claims: [],
        ...over,
    };
}

export function cloudTable(over: Partial<KerberosServerTable> = {}): KerberosServerTable {
    return {
        Id: 30775, UserAccount: DNS.krbtgt, ComputerAccount: DNS.computer, DisplayName: "krbtgt_30775", DomainDnsName: DOMAIN,
        KeyVersion: 1585708, KeyUpdatedOn: KEY_TIME, KeyUpdatedFrom: "dc1.corp.example.com",
        CloudDisplayName: "krbtgt_30775", CloudDomainDnsName: DOMAIN, CloudId: 30775, CloudKeyVersion: 1585708, CloudKeyUpdatedOn: KEY_TIME,
        ...over,
    };
}

export const NO_CLOUD: Partial<KerberosServerTable> = { CloudDisplayName: null, CloudDomainDnsName: null, CloudId: null, CloudKeyVersion: null, CloudKeyUpdatedOn: null };

/** This owner's claim, as written (in sync). */
export const CLAIM = { owner: "proj/dev/corp", dn: `CN=0123,CN=EntraKerberosListClaims,CN=System,DC=corp,DC=example,DC=com`, current: true };

export function observation(over: Partial<Observation> = {}): Observation {
    return {
        domain: DOMAIN, ad: adState(), cloud: cloudTable(),
        prp: { allow: { missing: [], extra: [] }, deny: { missing: [], extra: [] }, claim: CLAIM },
        ...over,
    };
}

/** The same server with another key on-prem (changed without publishing). */
export function rotatedOnPrem(keyVersion: number, at = "2026-01-11T09:00:00.000Z"): KerberosServerState {
    const ad = adState();
    ad.krbtgt!.key = { ...ad.krbtgt!.key!, keyVersion, keyUpdatedOn: new Date(at) };
    return ad;
}
