// Delegated AD accounts for the least-privilege tests, made the way a domain admin would: a plain
// user (LDAPS add with its password), and ACEs added to one object's DACL with `samba-tool dsacl set`
// (what ADUC's delegation wizard or dsacls.exe do on Windows). Everything here binds as the lab's
// admin; none of it goes through the product's code. The admin password reaches samba-tool in its
// environment (PASSWD), never in argv, and every output is redacted before it can reach an error.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { Attribute, Change, Client } from "ldapts";
import type { LabForest, LabInfo } from "../../../lab/layout";
import { findExecutable } from "../../../lab/samba/install";
import { envWithoutSecrets, runOrThrow } from "../../../lab/samba/run";
import { withAdminLdap } from "../../support/lab";

export interface PlainUser {
    sam: string;
    dn: string;
    upn: string;
    sid: string;
    password: string;
}

/** S-1-5-21-… from a binary objectSid (MS-DTYP 2.4.2.2), independent of the product's parser. */
export function sidString(b: Buffer): string {
    const auth = b.readUIntBE(2, 6);
    const subs = Array.from({ length: b[1] }, (_, i) => b.readUInt32LE(8 + 4 * i));
    return `S-${b[0]}-${auth}${subs.map((s) => `-${s}`).join("")}`;
}

/** The string form of a binary GUID (first three fields little-endian). */
export function guidString(b: Buffer): string {
    const h = (x: Buffer) => x.toString("hex");
    const le = (s: number, e: number) => h(Buffer.from(b.subarray(s, e)).reverse());
    return `${le(0, 4)}-${le(4, 6)}-${le(6, 8)}-${h(b.subarray(8, 10))}-${h(b.subarray(10, 16))}`;
}

/** A password the lab's default policy (complexity, length 7) accepts. */
export const randomUserPassword = (): string => `${randomBytes(18).toString("base64url")}aA1!`;

/** A normal enabled user (userAccountControl 512) in CN=Users with a password, member of Domain Users only. */
export async function createPlainUser(lab: LabInfo, f: LabForest, sam: string): Promise<PlainUser> {
    const password = randomUserPassword();
    const dn = `CN=${sam},CN=Users,${f.baseDn}`;
    const upn = `${sam}@${f.domain}`;
    return withAdminLdap(lab, f, async (c) => {
        const attr = (type: string, values: string[] | Buffer[]) => new Attribute({ type, values });
        await c.add(dn, [
            attr("objectClass", ["top", "person", "organizationalPerson", "user"]), attr("sAMAccountName", [sam]), attr("userPrincipalName", [upn]),
            // unicodePwd: the password in double quotes, UTF-16LE (MS-ADTS 3.1.1.3.1.5.1); LDAPS only
            attr("unicodePwd", [Buffer.from(`"${password}"`, "utf16le")]), attr("userAccountControl", ["512"]),
        ]);
        const { searchEntries: [e] } = await c.search(dn, { scope: "base", attributes: ["objectSid"], explicitBufferAttributes: ["objectSid"] });
        return { sam, dn, upn, sid: sidString(e.objectSid as Buffer), password };
    });
}

/** Deletes the users of earlier runs whose sAMAccountName starts with `prefix` (and anything below them). */
export async function deleteUsers(lab: LabInfo, f: LabForest, prefix: string): Promise<string[]> {
    return withAdminLdap(lab, f, async (c) => {
        const { searchEntries } = await c.search(`CN=Users,${f.baseDn}`, { scope: "one", filter: `(&(objectClass=user)(sAMAccountName=${prefix}*))`, attributes: ["1.1"] });
        for (const e of searchEntries) await c.del(e.dn);
        return searchEntries.map((e) => e.dn);
    });
}

/** schemaIDGUID of an attribute or class, read from the forest's schema. */
export async function schemaIdGuid(lab: LabInfo, f: LabForest, ldapDisplayName: string): Promise<string> {
    return withAdminLdap(lab, f, async (c) => {
        const { searchEntries: [e] } = await c.search(`CN=Schema,CN=Configuration,${f.baseDn}`, {
            scope: "one", filter: `(lDAPDisplayName=${ldapDisplayName})`, attributes: ["schemaIDGUID"], explicitBufferAttributes: ["schemaIDGUID"],
        });
        if (!e) throw new Error(`${ldapDisplayName} is not in the schema of ${f.domain}`);
        return guidString(e.schemaIDGUID as Buffer);
    });
}

/** Adds a container (a domain admin pre-creating it); fine if it exists. */
export async function ensureContainer(lab: LabInfo, f: LabForest, dn: string): Promise<"created" | "existed"> {
    return withAdminLdap(lab, f, async (c) => {
        try {
            await c.add(dn, { objectClass: ["top", "container"], showInAdvancedViewOnly: "TRUE" });
            return "created";
        } catch (e) {
            if (/already exists|0x44|\b68\b/i.test(String((e as Error)?.message)) || (e as { code?: number }).code === 68) return "existed";
            throw e;
        }
    });
}

/** Deletes a container and everything in it (one level: claims and the lock are leaves). */
export async function deleteContainer(lab: LabInfo, f: LabForest, dn: string): Promise<void> {
    await withAdminLdap(lab, f, async (c: Client) => {
        const r = await c.search(dn, { scope: "one", filter: "(objectClass=*)", attributes: ["1.1"] }).catch(() => ({ searchEntries: [] }));
        for (const e of r.searchEntries) await c.del(e.dn);
        await c.del(dn).catch((e) => { if (!/no such object|0x20/i.test(String(e?.message))) throw e; });
    });
}

/** Replaces one attribute as the lab admin. */
export async function adminReplace(lab: LabInfo, f: LabForest, dn: string, attr: string, values: string[]): Promise<void> {
    await withAdminLdap(lab, f, (c) => c.modify(dn, [new Change({ operation: "replace", modification: new Attribute({ type: attr, values }) })]));
}

/**
 * `samba-tool dsacl <args>` against the forest's DC over LDAPS, bound as its admin (simple bind; the
 * password only in the child's environment), the DC's certificate verified against the lab CA.
 * Samba checks the name only when the URL has a host name; the lab's URLs are addresses, so this
 * checks the CA (a certificate from any other CA is refused).
 */
async function dsacl(lab: LabInfo, f: LabForest, args: string[]): Promise<string> {
    const tool = findExecutable("samba-tool");
    if (!tool) throw new Error("samba-tool is not installed");
    const password = lab.secrets[f.adminPasswordEnv];
    // an empty smb.conf: the client must not pick up the host's /etc/samba/smb.conf
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reliability-dsacl-"));
    const conf = path.join(dir, "smb.conf");
    fs.writeFileSync(conf, "[global]\n");
    try {
        return await runOrThrow(`samba-tool dsacl ${args[0]}`, tool, ["dsacl",
            ...args, "-H", f.ldapsUrl, `--simple-bind-dn=${f.adminDn}`, "-s", conf,
            `--option=tls cafile=${lab.caCertPath}`, "--option=tls verify peer=ca_and_name_if_available",
        ], { env: envWithoutSecrets({ PASSWD: password, LANG: "C.UTF-8" }), secrets: [password], timeoutMs: 60_000 });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Adds ACEs (SDDL, e.g. "(OA;;WP;<guid>;;<SID>)") to the DACL of `objectDn`; returns the DACL after. */
export async function grantAces(lab: LabInfo, f: LabForest, objectDn: string, trusteeDn: string, sddl: string): Promise<string> {
    const out = await dsacl(lab, f, ["set", `--objectdn=${objectDn}`, `--trusteedn=${trusteeDn}`, `--sddl=${sddl}`]);
    const after = /new descriptor for [^\n]*:\n(.*)/.exec(out)?.[1];
    if (!after) throw new Error(`samba-tool dsacl set printed no new descriptor for ${objectDn}:\n${out}`);
    return after.trim();
}

/** The object's security descriptor as SDDL. */
export async function readSddl(lab: LabInfo, f: LabForest, objectDn: string): Promise<string> {
    const out = await dsacl(lab, f, ["get", `--objectdn=${objectDn}`]);
    const sddl = /descriptor for [^\n]*:\n(.*)/.exec(out)?.[1];
    if (!sddl) throw new Error(`samba-tool dsacl get printed no descriptor for ${objectDn}:\n${out}`);
    return sddl.trim();
}

/** The explicit (not inherited) ACEs of an SDDL string that name this SID. */
export function explicitAcesFor(sddl: string, sid: string): string[] {
    const inherited = (ace: string): boolean => (ace.slice(1).split(";")[1].match(/../g) ?? ([] as string[])).includes("ID");
    return (sddl.match(/\([^)]*\)/g) ?? []).filter((ace) => ace.endsWith(`;${sid})`) && !inherited(ace));
}

/**
 * Adds or removes Authenticated Users (S-1-5-11) in BUILTIN\Pre-Windows 2000 Compatible Access: a
 * domain's default has it (Samba's provision and Windows' alike), and through that group's
 * inherited read ACE on user objects any authenticated user reads every attribute of a user. A
 * common hardening removes it. Returns whether it was a member before.
 */
export async function setAuthenticatedUsersInPreWin2k(lab: LabInfo, f: LabForest, member: boolean): Promise<boolean> {
    const group = `CN=Pre-Windows 2000 Compatible Access,CN=Builtin,${f.baseDn}`;
    const au = `CN=S-1-5-11,CN=ForeignSecurityPrincipals,${f.baseDn}`;
    return withAdminLdap(lab, f, async (c) => {
        const { searchEntries: [e] } = await c.search(group, { scope: "base", attributes: ["member"] });
        const members = (e.member === undefined ? [] : Array.isArray(e.member) ? e.member : [e.member]).map((m) => String(m).toLowerCase());
        const was = members.includes(au.toLowerCase());
        if (was !== member) await c.modify(group, [new Change({ operation: member ? "add" : "delete", modification: new Attribute({ type: "member", values: [au] }) })]);
        return was;
    });
}

/** The object's whole security descriptor (binary), to put back with restoreSecurityDescriptor. */
export async function saveSecurityDescriptor(lab: LabInfo, f: LabForest, dn: string): Promise<Buffer> {
    return withAdminLdap(lab, f, async (c) => {
        const { searchEntries: [e] } = await c.search(dn, { scope: "base", attributes: ["nTSecurityDescriptor"], explicitBufferAttributes: ["nTSecurityDescriptor"] });
        return e.nTSecurityDescriptor as Buffer;
    });
}

/** Writes a saved descriptor back (removes the ACEs added since; the DC recomputes what is inherited). */
export async function restoreSecurityDescriptor(lab: LabInfo, f: LabForest, dn: string, sd: Buffer): Promise<void> {
    await withAdminLdap(lab, f, (c) => c.modify(dn, [new Change({ operation: "replace", modification: new Attribute({ type: "nTSecurityDescriptor", values: [sd] }) })]));
}
