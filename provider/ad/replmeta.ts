// replPropertyMetaData: the per-attribute replication stamps AD keeps on every object
// (MS-DRSR PROPERTY_META_DATA_EXT_VECTOR, NDR little-endian). It is how this package reads the
// Kerberos server key's version, time and originating DC over plain LDAP: msDS-ReplAttributeMetaData
// (the XML form) does not exist on Samba, the binary blob exists on both.
//
// Layout (verified byte-for-byte against Samba's NDR decoder, samba-multi-dc.md §3c):
//   header 16 bytes: version u32 (=1), reserved u32, count u32, reserved u32
//   count × 48-byte entries: attid u32, version u32, changeTime i64 (whole seconds since 1601-01-01 UTC),
//     originating invocationId GUID (16, Windows byte order), usnOriginating i64, usnProperty i64

export interface ReplMetaEntry {
    attid: number;
    /** dwVersion: bumped on every originating write of the attribute */
    version: number;
    /** originating change time (1 s resolution) */
    changeTime: Date;
    /** invocationId of the DC where the change originated (NOT its NTDS Settings objectGUID) */
    originatingInvocationId: string;
    /** USN on the originating DC: what Microsoft's module reports as KeyVersion */
    originatingUsn: number;
    /** USN of the change on the DC that was read */
    localUsn: number;
}

/** attids (prefix-table index 9 = 1.2.840.113556.1.4.N) the key metadata needs. */
export const ATTID = {
    unicodePwd: 0x0009005a,
    ntPwdHistory: 0x0009005e,
    supplementalCredentials: 0x0009007d,
    pwdLastSet: 0x00090060,
    dBCSPwd: 0x00090037,
    lmPwdHistory: 0x000900a0,
} as const;

const HEADER = 16;
const ENTRY = 48;
const SECONDS_1601_TO_1970 = 11644473600n;

/** 16 GUID bytes in Windows order (Data1..3 little-endian) → "xxxxxxxx-xxxx-…". */
export function guidToString(bytes: Uint8Array, offset = 0): string {
    if (bytes.length < offset + 16) throw new Error("GUID needs 16 bytes");
    const h = (i: number) => bytes[offset + i].toString(16).padStart(2, "0");
    return `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

/** "xxxxxxxx-xxxx-…" (braces optional) → 16 bytes in Windows order, e.g. for an invocationId filter. */
export function guidToBytes(guid: string): Buffer {
    const hex = guid.trim().replace(/^\{|\}$/g, "");
    if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(hex)) {
        throw new Error(`not a GUID: ${JSON.stringify(guid)}`);
    }
    const be = Buffer.from(hex.replace(/-/g, ""), "hex");
    return Buffer.from([be[3], be[2], be[1], be[0], be[5], be[4], be[7], be[6], ...be.subarray(8)]);
}

/** A USN as a JS number; USNs are int64 on the wire but stay far below 2^53 in any real directory. */
function usn(b: Buffer, off: number): number {
    const v = b.readBigInt64LE(off);
    if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`USN out of range: ${v}`);
    return Number(v);
}

export function parseReplPropertyMetaData(blob: Uint8Array): ReplMetaEntry[] {
    const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    if (b.length < HEADER) throw new Error(`replPropertyMetaData too short: ${b.length} bytes`);
    const version = b.readUInt32LE(0);
    if (version !== 1) throw new Error(`unsupported replPropertyMetaData version ${version}`);
    const count = b.readUInt32LE(8);
    if (b.length !== HEADER + ENTRY * count) {
        throw new Error(`replPropertyMetaData length ${b.length} does not match ${count} entries (${HEADER + ENTRY * count} bytes)`);
    }
    const entries: ReplMetaEntry[] = [];
    for (let i = 0; i < count; i++) {
        const o = HEADER + ENTRY * i;
        const seconds = b.readBigInt64LE(o + 8);
        entries.push({
            attid: b.readUInt32LE(o),
            version: b.readUInt32LE(o + 4),
            changeTime: new Date(Number((seconds - SECONDS_1601_TO_1970) * 1000n)),
            originatingInvocationId: guidToString(b, o + 16),
            originatingUsn: usn(b, o + 32),
            localUsn: usn(b, o + 40),
        });
    }
    return entries;
}

/** Builds a blob (tests, and fakes that stand in for a DC). */
export function buildReplPropertyMetaData(entries: ReplMetaEntry[]): Buffer {
    const b = Buffer.alloc(HEADER + ENTRY * entries.length);
    b.writeUInt32LE(1, 0);
    b.writeUInt32LE(entries.length, 8);
    entries.forEach((e, i) => {
        const o = HEADER + ENTRY * i;
        b.writeUInt32LE(e.attid, o);
        b.writeUInt32LE(e.version, o + 4);
        b.writeBigInt64LE(BigInt(Math.floor(e.changeTime.getTime() / 1000)) + SECONDS_1601_TO_1970, o + 8);
        guidToBytes(e.originatingInvocationId).copy(b, o + 16);
        b.writeBigInt64LE(BigInt(e.originatingUsn), o + 32);
        b.writeBigInt64LE(BigInt(e.localUsn), o + 40);
    });
    return b;
}

/**
 * The key's stamp: the unicodePwd entry. Every password path moves unicodePwd, ntPwdHistory,
 * supplementalCredentials … together (same version, USN, time), so one of them is enough.
 */
export function passwordMetadata(blob: Uint8Array): ReplMetaEntry | undefined {
    return parseReplPropertyMetaData(blob).find((e) => e.attid === ATTID.unicodePwd);
}
