// Security identifiers: AD returns objectSid as bytes (MS-DTYP 2.4.2.2); users, SCP keywords and
// `<SID=...>` DNs use the string form (MS-DTYP 2.4.2.1). Plus the well-known groups the Kerberos
// server's password replication policy refers to.

/** Binary SID → "S-1-5-21-…". Throws on a malformed buffer (never guesses). */
export function sidToString(buf: Uint8Array): string {
    const b = Buffer.from(buf);
    if (b.length < 8) throw new Error(`SID too short: ${b.length} bytes`);
    const revision = b[0];
    const count = b[1];
    if (revision !== 1) throw new Error(`unsupported SID revision ${revision}`);
    if (count > 15 || b.length !== 8 + 4 * count) throw new Error(`SID length ${b.length} does not fit ${count} sub-authorities`);
    const authority = b.readUIntBE(2, 6);
    // MS-DTYP: authorities ≥ 2^32 are written in hex
    const auth = authority >= 2 ** 32 ? `0x${authority.toString(16).toUpperCase().padStart(12, "0")}` : String(authority);
    const subs: number[] = [];
    for (let i = 0; i < count; i++) subs.push(b.readUInt32LE(8 + 4 * i));
    return `S-${revision}-${auth}${subs.map((s) => `-${s}`).join("")}`;
}

const SID_RE = /^S-1-(\d+|0x[0-9A-Fa-f]{12})((?:-\d+){0,15})$/;

export function isSidString(text: string): boolean {
    const m = SID_RE.exec(text.trim());
    if (!m) return false;
    return m[2].split("-").slice(1).every((s) => Number(s) <= 0xffffffff);
}

/** "S-1-5-21-…" → binary SID (for EqualityFilter values and comparisons). */
export function sidToBytes(sid: string): Buffer {
    const m = SID_RE.exec(sid.trim());
    if (!m || !isSidString(sid)) throw new Error(`not a SID: ${JSON.stringify(sid)}`);
    const authority = m[1].startsWith("0x") ? parseInt(m[1].slice(2), 16) : Number(m[1]);
    if (!Number.isSafeInteger(authority) || authority >= 2 ** 48) throw new Error(`SID authority out of range: ${sid}`);
    const subs = m[2].split("-").slice(1).map(Number);
    const out = Buffer.alloc(8 + 4 * subs.length);
    out[0] = 1;
    out[1] = subs.length;
    out.writeUIntBE(authority, 2, 6);
    subs.forEach((s, i) => out.writeUInt32LE(s, 8 + 4 * i));
    return out;
}

/** The last sub-authority (the RID). */
export function ridOf(sid: string): number {
    const parts = sid.split("-");
    return Number(parts[parts.length - 1]);
}

/** Everything but the RID: the domain SID of a domain account. */
export function domainSidOf(sid: string): string {
    return sid.slice(0, sid.lastIndexOf("-"));
}

export function sidWithRid(domainSid: string, rid: number): string {
    return `${domainSid}-${rid}`;
}

/** Domain-relative RIDs (MS-DTYP 2.4.2.4). */
export const RID = {
    DomainAdmins: 512,
    DomainUsers: 513,
    DomainControllers: 516,
    CertPublishers: 517,
    SchemaAdmins: 518,       // exists only in the forest root domain
    EnterpriseAdmins: 519,   // exists only in the forest root domain
    ReadOnlyDomainControllers: 521,
    ProtectedUsers: 525,
    DeniedRodcPasswordReplicationGroup: 572,
} as const;

/** BUILTIN aliases (S-1-5-32-x); they live in CN=Builtin of every domain. */
export const BUILTIN_SID = {
    Administrators: "S-1-5-32-544",
    AccountOperators: "S-1-5-32-548",
    ServerOperators: "S-1-5-32-549",
    BackupOperators: "S-1-5-32-551",
} as const;

export type WellKnownGroup =
    | "AccountOperators" | "ServerOperators" | "DomainAdmins" | "CertPublishers" | "EnterpriseAdmins"
    | "SchemaAdmins" | "DomainControllers" | "BackupOperators" | "Administrators" | "DomainUsers"
    | "ProtectedUsers" | "DeniedRodcPasswordReplicationGroup";

/** Where a well-known group's SID comes from. Enterprise/Schema Admins: the FOREST ROOT domain. */
export const WELL_KNOWN_GROUPS: Record<WellKnownGroup, { name: string; sid: { builtin: string } | { rid: number; forestRoot: boolean } }> = {
    AccountOperators: { name: "Account Operators", sid: { builtin: BUILTIN_SID.AccountOperators } },
    ServerOperators: { name: "Server Operators", sid: { builtin: BUILTIN_SID.ServerOperators } },
    DomainAdmins: { name: "Domain Admins", sid: { rid: RID.DomainAdmins, forestRoot: false } },
    CertPublishers: { name: "Cert Publishers", sid: { rid: RID.CertPublishers, forestRoot: false } },
    EnterpriseAdmins: { name: "Enterprise Admins", sid: { rid: RID.EnterpriseAdmins, forestRoot: true } },
    SchemaAdmins: { name: "Schema Admins", sid: { rid: RID.SchemaAdmins, forestRoot: true } },
    DomainControllers: { name: "Domain Controllers", sid: { rid: RID.DomainControllers, forestRoot: false } },
    BackupOperators: { name: "Backup Operators", sid: { builtin: BUILTIN_SID.BackupOperators } },
    Administrators: { name: "Administrators", sid: { builtin: BUILTIN_SID.Administrators } },
    DomainUsers: { name: "Domain Users", sid: { rid: RID.DomainUsers, forestRoot: false } },
    // the readiness report's other denied groups (docs/readiness.md)
    ProtectedUsers: { name: "Protected Users", sid: { rid: RID.ProtectedUsers, forestRoot: false } },
    DeniedRodcPasswordReplicationGroup: { name: "Denied RODC Password Replication Group", sid: { rid: RID.DeniedRodcPasswordReplicationGroup, forestRoot: false } },
};

/** The well-known group with this (English) name, if any. */
export function wellKnownGroup(name: string): WellKnownGroup | undefined {
    const n = name.trim().toLowerCase();
    return (Object.keys(WELL_KNOWN_GROUPS) as WellKnownGroup[]).find((k) => WELL_KNOWN_GROUPS[k].name.toLowerCase() === n);
}

/** The nine groups Microsoft's module puts in msDS-NeverRevealGroup, in its order (docs/sources.md, Kerberos §1.2). */
export const DEFAULT_DENIED_GROUPS: readonly WellKnownGroup[] = [
    "AccountOperators", "ServerOperators", "DomainAdmins", "CertPublishers", "EnterpriseAdmins",
    "SchemaAdmins", "DomainControllers", "BackupOperators", "Administrators",
];

/** msDS-RevealOnDemandGroup default. */
export const DEFAULT_ALLOWED_GROUPS: readonly WellKnownGroup[] = ["DomainUsers"];

/** The SID of a well-known group, given the domain's and the forest root domain's SIDs. */
export function wellKnownGroupSid(group: WellKnownGroup, domainSid: string, forestRootSid: string): string {
    const def = WELL_KNOWN_GROUPS[group].sid;
    if ("builtin" in def) return def.builtin;
    return sidWithRid(def.forestRoot ? forestRootSid : domainSid, def.rid);
}
