import {
    DEFAULT_DENIED_GROUPS, domainSidOf, isSidString, ridOf, sidToBytes, sidToString, wellKnownGroup, wellKnownGroupSid, WELL_KNOWN_GROUPS,
} from "../../../provider/ad/sid";

describe("SID conversion (MS-DTYP 2.4.2)", () => {
    it("decodes a hand-built domain SID", () => {
        // S-1-5-21-2075377139-2622707720-3963627037-513
        const b = Buffer.alloc(28);
        b[0] = 1; b[1] = 5; b.writeUIntBE(5, 2, 6);
        [21, 2075377139, 2622707720, 3963627037, 513].forEach((v, i) => b.writeUInt32LE(v, 8 + 4 * i));
        expect(sidToString(b)).toBe("S-1-5-21-2075377139-2622707720-3963627037-513");
        expect(sidToBytes("S-1-5-21-2075377139-2622707720-3963627037-513").equals(b)).toBe(true);
    });

    it("round-trips builtin, well-known and large values", () => {
        for (const s of ["S-1-5-32-544", "S-1-1-0", "S-1-5-18", "S-1-5-21-1-2-3-4294967295", "S-1-0x000100000000-5"]) {
            expect(sidToString(sidToBytes(s))).toBe(s);
        }
        expect(sidToBytes("S-1-5-32-548").toString("hex")).toBe("01020000000000052000000024020000");
    });

    it("rejects malformed input instead of guessing", () => {
        expect(() => sidToString(Buffer.from([1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0]))).toThrow(/does not fit/);
        expect(() => sidToString(Buffer.from([2, 0, 0, 0, 0, 0, 0, 5]))).toThrow(/revision/);
        expect(() => sidToString(Buffer.alloc(3))).toThrow(/too short/);
        expect(() => sidToBytes("S-1-5-21-4294967296")).toThrow(/not a SID/);
        expect(() => sidToBytes("Domain Users")).toThrow(/not a SID/);
        expect(isSidString("S-1-5-32-544")).toBe(true);
        expect(isSidString("S-1-5-32-544x")).toBe(false);
    });

    it("splits domain SID and RID", () => {
        expect(ridOf("S-1-5-21-1-2-3-512")).toBe(512);
        expect(domainSidOf("S-1-5-21-1-2-3-512")).toBe("S-1-5-21-1-2-3");
    });
});

describe("well-known groups", () => {
    const dom = "S-1-5-21-10-20-30";
    const root = "S-1-5-21-1-2-3";

    it("builds the nine denied groups in the module's order, forest-wide ones from the forest root SID", () => {
        expect(DEFAULT_DENIED_GROUPS.map((g) => wellKnownGroupSid(g, dom, root))).toEqual([
            "S-1-5-32-548", "S-1-5-32-549", `${dom}-512`, `${dom}-517`, `${root}-519`, `${root}-518`, `${dom}-516`, "S-1-5-32-551", "S-1-5-32-544",
        ]);
        expect(DEFAULT_DENIED_GROUPS.map((g) => WELL_KNOWN_GROUPS[g].name)).toEqual([
            "Account Operators", "Server Operators", "Domain Admins", "Cert Publishers", "Enterprise Admins",
            "Schema Admins", "Domain Controllers", "Backup Operators", "Administrators",
        ]);
    });

    it("finds a well-known group by its English name, case-insensitively", () => {
        expect(wellKnownGroup("enterprise admins")).toBe("EnterpriseAdmins");
        expect(wellKnownGroup("Domain Users")).toBe("DomainUsers");
        expect(wellKnownGroup("Helpdesk")).toBeUndefined();
    });
});
