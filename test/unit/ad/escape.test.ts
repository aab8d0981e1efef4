import { EqualityFilter, FilterParser } from "ldapts";
import {
    childDn, dnEquals, escapeDnValue, escapeFilterValue, firstRdn, looksLikeDn, normalizeDn, parentDn, splitDn, unescapeDnValue,
} from "../../../provider/ad/escape";

// Hostile values: each must come back out as exactly one literal value.
const HOSTILE = [
    "*)(uid=*", "*", "a*b", "(objectClass=*)", "x)(|(sAMAccountName=*", "back\\slash", "\\2a", "nul\0byte",
    "#leading hash", " leading space", "trailing space ", ",+\"\\<>;=", "CN=x,OU=evil", "Ünïcödé ✓", "emoji 😀 here", "tab\there", "new\nline",
];

describe("escapeFilterValue (RFC 4515)", () => {
    it("escapes the five filter specials and nothing else", () => {
        expect(escapeFilterValue("*)(uid=*")).toBe("\\2a\\29\\28uid=\\2a");
        expect(escapeFilterValue("a\\b")).toBe("a\\5cb");
        expect(escapeFilterValue("a\0b")).toBe("a\\00b");
        expect(escapeFilterValue("Domain Users")).toBe("Domain Users");
        expect(escapeFilterValue("Ünïcödé")).toBe("Ünïcödé"); // UTF-8 stays literal (allowed by RFC 4515)
    });

    it.each(HOSTILE)("a filter built from %j parses back to one equality match on the literal value", (value) => {
        const f = FilterParser.parseString(`(sAMAccountName=${escapeFilterValue(value)})`);
        expect(f).toBeInstanceOf(EqualityFilter);
        const eq = f as EqualityFilter;
        expect(eq.attribute).toBe("sAMAccountName");
        expect(Buffer.isBuffer(eq.value) ? eq.value.toString("utf8") : eq.value).toBe(value);
    });

    it("an unescaped injection string would have changed the filter (the test above is meaningful)", () => {
        expect(FilterParser.parseString("(sAMAccountName=*)").constructor.name).not.toBe("EqualityFilter");
    });
});

describe("escapeDnValue (RFC 4514)", () => {
    it("escapes specials, a leading # or space, a trailing space and control characters", () => {
        expect(escapeDnValue(",+\"\\<>;=")).toBe("\\,\\+\\\"\\\\\\<\\>\\;\\=");
        expect(escapeDnValue("#x")).toBe("\\#x");
        expect(escapeDnValue(" x")).toBe("\\ x");
        expect(escapeDnValue("x ")).toBe("x\\ ");
        expect(escapeDnValue("a#b c")).toBe("a#b c"); // only leading # and edge spaces are special
        expect(escapeDnValue("nul\0")).toBe("nul\\00");
        expect(escapeDnValue("a\nb")).toBe("a\\0ab");
        expect(escapeDnValue("Domain Users")).toBe("Domain Users");
    });

    it.each(HOSTILE)("%j survives escape → split → unescape as one RDN value", (value) => {
        const dn = childDn("CN", value, "CN=Users,DC=corp,DC=lab,DC=test");
        const parts = splitDn(dn);
        expect(parts).toHaveLength(5);
        expect(firstRdn(dn)).toEqual({ type: "CN", value });
        expect(parentDn(dn)).toBe("CN=Users,DC=corp,DC=lab,DC=test");
    });

    it("unescapes hex pairs as UTF-8 bytes", () => {
        expect(unescapeDnValue("\\c3\\9cber")).toBe("Über");
        expect(unescapeDnValue("a\\2Cb")).toBe("a,b");
        expect(() => unescapeDnValue("dangling\\")).toThrow(/bad DN value escape/);
    });
});

describe("DN helpers", () => {
    it("compares DNs case-insensitively and across escape spellings", () => {
        expect(dnEquals("CN=Domain Users,CN=Users,DC=Corp,DC=lab,DC=test", "cn=domain users, cn=users,dc=corp,dc=LAB,dc=test")).toBe(true);
        expect(dnEquals("CN=a\\2cb,DC=x", "CN=a\\,b,DC=x")).toBe(true);
        expect(dnEquals("CN=a,DC=x", "CN=b,DC=x")).toBe(false);
        expect(normalizeDn("CN=A,DC=X")).toBe("cn=a,dc=x");
    });

    it("tells DNs from names and SIDs", () => {
        expect(looksLikeDn("CN=Domain Users,CN=Users,DC=corp")).toBe(true);
        expect(looksLikeDn("Domain Users")).toBe(false);
        expect(looksLikeDn("S-1-5-32-544")).toBe(false);
        expect(looksLikeDn("a=b")).toBe(true);
    });

    it("splits at unescaped commas only", () => {
        expect(splitDn("CN=a\\,b,OU=c,DC=d")).toEqual(["CN=a\\,b", "OU=c", "DC=d"]);
        expect(parentDn("DC=test")).toBe("");
    });
});
