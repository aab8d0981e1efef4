// The on-premises writes of Set/Remove-AzureADKerberosServer (docs/sources.md, Kerberos §1, §6), done the
// way Samba accepts them (samba-multi-dc.md §3a/§3b): every call runs inside one provider/ad
// session, so creation and read-back happen on the same DC.
import { randomBytes } from "node:crypto";
import { Attribute, Change } from "ldapts";
import { ProviderError } from "../../provider/core/errors";
import { DirectorySession, isLdapResult } from "../../provider/ad/connection";
import { rodcDcpromoControl, treeDeleteControl } from "../../provider/ad/controls";
import { dnEquals } from "../../provider/ad/escape";
import { ResolvedGroup } from "../../provider/ad/groups";
import {
    KERBEROS_COMPUTER_SAM, KerberosServerDns, RODC_UAC, ScpKeywords, scpKeywordsJson,
} from "../../provider/ad/kerberos-objects";
import { sidToString } from "../../provider/ad/sid";

export const COMPUTER_DESCRIPTION = "Azure AD Kerberos Server computer account for this domain";
export const SCP_DESCRIPTION = "Azure AD Kerberos Server service connection point";

/** A password nobody needs to know: the DC keeps it, and for a krbtgt account randomizes it anyway (§2.1). */
export function randomPassword(): string {
    return `${randomBytes(48).toString("base64url")}aA1!`;
}

/** unicodePwd takes the password in double quotes, UTF-16LE (MS-ADTS 3.1.1.3.1.5.1). */
export function unicodePwd(password: string): Buffer {
    return Buffer.from(`"${password}"`, "utf16le");
}

export async function setRandomPassword(s: DirectorySession, dn: string): Promise<void> {
    await s.modify(dn, new Change({ operation: "replace", modification: new Attribute({ type: "unicodePwd", values: [unicodePwd(randomPassword())] }) }));
}

export interface KrbtgtAccount { dn: string; sid: string; sAMAccountName: string; branchId: number }

async function readKrbtgt(s: DirectorySession, dn: string): Promise<KrbtgtAccount | undefined> {
    try {
        const [e] = await s.search(dn, { scope: "base", filter: "(objectClass=user)", attributes: ["objectSid", "sAMAccountName", "msDS-SecondaryKrbTgtNumber"], explicitBufferAttributes: ["objectSid"] });
        if (!e) return undefined;
        const sid = e.buffer("objectSid");
        return { dn: e.dn, sid: sid ? sidToString(sid) : "", sAMAccountName: e.string("sAMAccountName") ?? "", branchId: e.number("msDS-SecondaryKrbTgtNumber") ?? 0 };
    } catch (err) {
        if (isLdapResult(err, "noSuchObject")) return undefined;
        throw err;
    }
}

/**
 * krbtgt_AzureAD: reused if it is already at its DN (a crashed earlier set), else added with
 * LDAP_SERVER_RODC_DCPROMO_OID and no sAMAccountName: the DC picks N, names it krbtgt_<N> and
 * gives it a random password. (Samba refuses a caller-supplied sAMAccountName with this control.)
 */
export async function ensureKrbtgt(s: DirectorySession, dns: KerberosServerDns): Promise<{ account: KrbtgtAccount; created: boolean }> {
    let account = await readKrbtgt(s, dns.krbtgt);
    let created = false;
    if (!account) {
        await s.add(dns.krbtgt, { objectClass: "user" }, rodcDcpromoControl());
        created = true;
        account = await readKrbtgt(s, dns.krbtgt);
    }
    if (!account?.branchId) {
        throw new ProviderError("KerberosServerIncomplete",
            "Azure AD Kerberos Server object in Active Directory is missing required properties. Property: UserAccount.SecondaryKrbTgtNumber Value:0",
            { resource: dns.krbtgt });
    }
    return { account, created };
}

/** The AzureADKerberos computer: uac 0x05001000, linked to the krbtgt, default PRP lists. */
export async function ensureComputer(s: DirectorySession, dns: KerberosServerDns, existing: { dn: string; krbTgtLink?: string } | undefined,
    krbtgtDn: string, allowed: ResolvedGroup[], denied: ResolvedGroup[], dcName: string): Promise<{ dn: string; created: boolean }> {
    if (existing) {
        if (!existing.krbTgtLink || !dnEquals(existing.krbTgtLink, krbtgtDn)) {
            await s.modify(existing.dn, new Change({ operation: "replace", modification: new Attribute({ type: "msDS-KrbTgtLink", values: [krbtgtDn] }) }));
        }
        return { dn: existing.dn, created: false };
    }
    // No primaryGroupID: Samba refuses it on add ("The primary group isn't settable on add
    // operations!") and derives 521 from the uac bits itself; Windows does the same derivation.
    await s.add(dns.computer, {
        objectClass: "computer",
        sAMAccountName: KERBEROS_COMPUTER_SAM,
        userAccountControl: String(RODC_UAC),
        "msDS-KrbTgtLink": krbtgtDn,
        "msDS-RevealOnDemandGroup": allowed.map((g) => g.dn),
        "msDS-NeverRevealGroup": denied.map((g) => g.dn),
        description: COMPUTER_DESCRIPTION,
    });
    // The module sets the computer's password as a separate step (docs/sources.md, Kerberos §1.2).
    try {
        await setRandomPassword(s, dns.computer);
    } catch (e) {
        if (!(e instanceof ProviderError)) throw e;
        // the module's wording (docs/sources.md, Kerberos §4.2)
        throw new ProviderError(e.code, `Failed to set password for account: LDAP://${dcName}/${dns.computer} (${e.message})`,
            { resource: e.resource, serviceCode: e.serviceCode, retryable: e.retryable, cause: e });
    }
    return { dn: dns.computer, created: true };
}

/** Deletes a DN, tree and all when asked; true if something was deleted, false if it was not there. */
export async function deleteIfExists(s: DirectorySession, dn: string, tree = false): Promise<boolean> {
    try {
        await s.del(dn, tree ? treeDeleteControl() : undefined);
        return true;
    } catch (err) {
        if (isLdapResult(err, "noSuchObject")) return false;
        throw err;
    }
}

/** As the module does: delete and re-add CN=AzureAD,CN=System, then the SCP with its JSON keywords. */
export async function recreateScp(s: DirectorySession, dns: KerberosServerDns, keywords: Required<ScpKeywords>): Promise<void> {
    await deleteIfExists(s, dns.container, true);
    await s.add(dns.container, { objectClass: "container", showInAdvancedViewOnly: "TRUE" });
    await s.add(dns.scp, {
        objectClass: "serviceConnectionPoint",
        keywords: scpKeywordsJson(keywords),
        showInAdvancedViewOnly: "TRUE",
        description: SCP_DESCRIPTION,
    });
}
