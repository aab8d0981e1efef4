import {
    ATTID, buildReplPropertyMetaData, guidToBytes, guidToString, parseReplPropertyMetaData, passwordMetadata,
} from "../../../provider/ad/replmeta";

// The first entry of a real blob from a Samba DC (samba-multi-dc.md §3c), typed in by hand.
const SAMBA_SAMPLE_HEAD = "01000000000000001b00000000000000";
const SAMBA_SAMPLE_ENTRY = "0000000001000000cfbd122103000000fabb485603c54f42b5ffa57cb6a082590f0f0000000000000f0f000000000000";

function handBlob(entries: string[]): Buffer {
    const head = Buffer.from(SAMBA_SAMPLE_HEAD, "hex");
    head.writeUInt32LE(entries.length, 8);
    return Buffer.concat([head, ...entries.map((e) => Buffer.from(e, "hex"))]);
}

describe("GUIDs in Windows byte order", () => {
    it("converts both ways", () => {
        const bytes = Buffer.from("fabb485603c54f42b5ffa57cb6a08259", "hex");
        expect(guidToString(bytes)).toBe("5648bbfa-c503-424f-b5ff-a57cb6a08259");
        expect(guidToBytes("5648bbfa-c503-424f-b5ff-a57cb6a08259").equals(bytes)).toBe(true);
        expect(guidToBytes("{5648BBFA-C503-424F-B5FF-A57CB6A08259}").equals(bytes)).toBe(true);
        expect(() => guidToBytes("not-a-guid")).toThrow(/not a GUID/);
    });
});

describe("replPropertyMetaData", () => {
    it("decodes the hand-copied Samba entry", () => {
        const [e] = parseReplPropertyMetaData(handBlob([SAMBA_SAMPLE_ENTRY]));
        expect(e).toEqual({
            attid: 0, version: 1, changeTime: new Date("2026-11-21T23:44:15Z"),
            originatingInvocationId: "5648bbfa-c503-424f-b5ff-a57cb6a08259", originatingUsn: 3855, localUsn: 3855,
        });
    });

    it("finds the unicodePwd stamp among others (the key's version, time and origin)", () => {
        const pwd = Buffer.from(SAMBA_SAMPLE_ENTRY, "hex");
        pwd.writeUInt32LE(ATTID.unicodePwd, 0);
        pwd.writeUInt32LE(7, 4);
        pwd.writeBigInt64LE(4023n, 32);
        pwd.writeBigInt64LE(5001n, 40); // read on another DC: local USN differs
        const blob = handBlob([SAMBA_SAMPLE_ENTRY, pwd.toString("hex")]);
        const m = passwordMetadata(blob)!;
        expect(m.version).toBe(7);
        expect(m.originatingUsn).toBe(4023);
        expect(m.localUsn).toBe(5001);
        expect(passwordMetadata(handBlob([SAMBA_SAMPLE_ENTRY]))).toBeUndefined();
    });

    it("reads a blob inside a larger buffer (Buffer views with an offset)", () => {
        const blob = handBlob([SAMBA_SAMPLE_ENTRY]);
        const big = Buffer.concat([Buffer.alloc(7), blob]);
        expect(parseReplPropertyMetaData(big.subarray(7))[0].originatingUsn).toBe(3855);
    });

    it("round-trips through the builder", () => {
        const entries = [
            { attid: ATTID.unicodePwd, version: 3, changeTime: new Date("2026-01-02T03:04:05Z"), originatingInvocationId: "f1eabcc4-cc79-4ea2-ba92-c62f1759288b", originatingUsn: 3801, localUsn: 4033 },
            { attid: ATTID.supplementalCredentials, version: 3, changeTime: new Date("2026-01-02T03:04:05Z"), originatingInvocationId: "f1eabcc4-cc79-4ea2-ba92-c62f1759288b", originatingUsn: 3801, localUsn: 4033 },
        ];
        expect(parseReplPropertyMetaData(buildReplPropertyMetaData(entries))).toEqual(entries);
    });

    it("rejects truncated, padded and unknown-version blobs", () => {
        const blob = handBlob([SAMBA_SAMPLE_ENTRY]);
        expect(() => parseReplPropertyMetaData(blob.subarray(0, blob.length - 1))).toThrow(/does not match 1 entries/);
        expect(() => parseReplPropertyMetaData(Buffer.concat([blob, Buffer.alloc(1)]))).toThrow(/does not match/);
        expect(() => parseReplPropertyMetaData(Buffer.alloc(8))).toThrow(/too short/);
        const v2 = Buffer.from(blob); v2.writeUInt32LE(2, 0);
        expect(() => parseReplPropertyMetaData(v2)).toThrow(/version 2/);
        const neg = Buffer.from(blob); neg.writeBigInt64LE(-1n, 16 + 32);
        expect(() => parseReplPropertyMetaData(neg)).toThrow(/USN out of range/);
    });
});
