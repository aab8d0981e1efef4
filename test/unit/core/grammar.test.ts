// The input grammar (provider/core/grammar): one rule per kind of value. What each rule accepts
// and refuses, and that a refusal names the field and never repeats a credential.
import { rootCertificates } from "node:tls";
import {
    characterProblem, displayNameProblem, domainNameProblem, hostOrSuffixProblem, isAccountName, isDnsName, isHost, isUpn,
    looksLikeBrokenGuid, numberProblem, pemCertificateProblem, secretRefProblem, urlProblem,
} from "../../../provider/core/grammar";

const LDAP = { schemes: ["ldaps", "ldap"], example: "ldaps://host:636" };
const HTTPS_BASE = { schemes: ["https"], example: "https://host/path", path: true };

describe("URLs", () => {
    test.each([
        "ldaps://dc1.corp.example.com:636", "ldaps://127.0.0.2:636", "ldap://dc1:389", "ldaps://[::1]:636", "ldaps://dc1.corp.example.com/",
    ])("accepts %s", (u) => expect(urlProblem("u", u, LDAP)).toBeUndefined());

    test.each([
        ["user-info with a password", "ldaps://Administrator:Pa55-w0rd@dc1.corp.example.com:636", /must not carry a user name or password/],
        ["user-info without a password", "ldaps://Administrator@dc1:636", /must not carry a user name/],
        ["user-info in an unparseable URL", "ldaps://Admin:pa ss@dc1:636", /must not carry a user name/],
        ["a query", "ldaps://dc1:636?password=Pa55-w0rd", /must not have a query/],
        ["a fragment", "ldaps://dc1:636#x", /must not have a query or fragment/],
        ["an upper-case scheme", "LDAPS://dc1:636", /in lower case/],
        ["another scheme", "https://dc1:636", /must use ldaps:\/\/ or ldap:\/\//],
        ["a percent-encoded host", "ldaps://%64c1:636", /host must be a DNS name/],
        ["a host with an underscore", "ldaps://dc_1:636", /host must be a DNS name/],
        ["a non-ASCII (homoglyph) host", "ldaps://dс1.corp.example.com:636", /xn-- form/],
        ["port 0", "ldaps://dc1:0", /port must be 1-65535/],
        ["a base DN", "ldaps://dc1:636/DC=corp", /no base DN/],
        ["no host", "ldaps://:636", /host must be/],
        ["no URL", "dc1 corp", /not a URL/],
    ])("refuses %s", (_what, u, reason) => {
        const r = urlProblem("directory.urls[0]", u, LDAP);
        expect(r).toMatch(reason);
        expect(r).toMatch(/^directory\.urls\[0\] /);
        expect(r).not.toContain("Pa55-w0rd");
    });

    test("a path only where one is meant, and then without percent-encoding", () => {
        expect(urlProblem("e", "https://127.0.0.1:47443/lab/kerberos", HTTPS_BASE)).toBeUndefined();
        expect(urlProblem("e", "https://127.0.0.1:47443/lab/%2e%2e/x", HTTPS_BASE)).toMatch(/no percent-encoding/);
    });
});

describe("GUIDs", () => {
    test.each([
        "0a1b2c3d-0001-4000-8000-00000000001",   // 35 characters: the case
        "0a1b2c3d-0001-4000-8000-0000000000011", // 37
        "0a1b2c3d00014000800000000000001-",
        "{0a1b2c3d-0001-4000-8000-000000000001}",
        "0a1b2c3d-0001-4000-8000-00000000000g".replace("g", "-"),
    ])("%s is a broken GUID", (s) => expect(looksLikeBrokenGuid(s)).toBe(true));

    test.each(["0a1b2c3d-0001-4000-8000-000000000001", "Require MFA for all users", "2024-01-01 baseline", "a-b"])("%s is not", (s) => {
        expect(looksLikeBrokenGuid(s)).toBe(false);
    });
});

describe("display names and text", () => {
    const rule = { max: 20, what: "the name" };
    test.each([
        ["a control character", "WHfB\u0007", /control characters/],
        ["an escape sequence", "WHfB \u001b[2J", /control characters/],
        ["a C1 control", "WHfB\u0085", /control characters/],
        ["a bidi override", "WHfB \u202egnp.exe", /bidirectional override/],
        ["a zero-width space", "WH\u200bfB", /invisible/],
        ["a lone surrogate", "WHfB \ud800", /lone surrogate/],
        ["a decomposed accent", "Cafe\u0301", /normal form C/],
        ["leading space", " WHfB", /must not start or end with spaces/],
        ["too long", "x".repeat(21), /21 characters long; at most 20/],
        ["empty", "", /required: the name/],
        ["not a string", 3, /required: the name/],
    ])("refuses %s", (_what, v, reason) => expect(displayNameProblem("displayName", v, rule)).toMatch(reason));

    test("accepts composed non-Latin names, which are not homoglyph-checked (names are not hosts)", () => {
        expect(displayNameProblem("displayName", "Café Запад", rule)).toBeUndefined();
    });

    test("free text keeps its line breaks", () => {
        expect(characterProblem("line 1\nline 2\ttab", { lineBreaks: true })).toBeUndefined();
        expect(characterProblem("line 1\nline 2")).toMatch(/control/);
    });
});

describe("DNS names, hosts, realms, UPNs, accounts", () => {
    test("DNS names: ASCII labels, a domain has two or more", () => {
        expect(isDnsName("corp.example.com", { minLabels: 2 })).toBe(true);
        expect(isDnsName("xn--mnchen-3ya.de")).toBe(true);
        expect(isDnsName("münchen.de")).toBe(false);
        expect(isDnsName("corp", { minLabels: 2 })).toBe(false);
        expect(isDnsName("corp.example.com.")).toBe(false);
        expect(isDnsName("corp.example.com.", { trailingDot: true })).toBe(true);
        expect(domainNameProblem("domain", "corp..example.com")).toMatch(/^domain .*not a DNS domain name/);
    });

    test("hosts: DNS names and IP literals, no dotted numbers that are not an address", () => {
        for (const h of ["dc1", "dc1.corp.example.com", "127.0.0.1", "::1", "fe80::1%eth0"]) expect(isHost(h)).toBe(true);
        for (const h of ["256.1.1.1", "1.2.3", "-dc1", "dc_1", "a b", "", ":::"]) expect(isHost(h)).toBe(false);
        expect(hostOrSuffixProblem(".file.core.windows.net")).toBeUndefined();
        expect(hostOrSuffixProblem("*.file.core.windows.net")).toMatch(/wildcard/);
    });

    test("UPNs and account names", () => {
        for (const u of ["admin@corp.example.com", "o'brien@contoso.com", "alice_contoso.com#EXT#@tenant.onmicrosoft.com"]) expect(isUpn(u)).toBe(true);
        for (const u of ["admin", "admin@", "@corp.example.com", "ad min@corp.example.com", "admin@corp", "a..b@corp.example.com", "admin@corp.example.com*)(cn=*"]) {
            expect(isUpn(u)).toBe(false);
        }
        for (const a of ["administrator", "CORP\\admin", "svc$"]) expect(isAccountName(a)).toBe(true);
        for (const a of ["-oProxyCommand=id", "a b", ""]) expect(isAccountName(a)).toBe(false);
    });
});

describe("counts and durations", () => {
    test.each([
        [0, /positive/], [-1, /positive/], [NaN, /got NaN/], [Infinity, /got Infinity/], [1e300, /at most 3650/], ["180", /got "180"/], [null, /got null/], [[1], /got a list/],
    ])("refuses %p", (v, reason) => expect(numberProblem("keyRotation.maxAgeDays", v, { max: 3650, unit: "days" })).toMatch(reason));

    test("whole numbers where one is meant", () => {
        expect(numberProblem("port", 22.5, { min: 1, max: 65535, integer: true })).toMatch(/whole number/);
        expect(numberProblem("port", 22, { min: 1, max: 65535, integer: true })).toBeUndefined();
    });
});

describe("secret references", () => {
    test.each([
        [{ env: "CORP_PW" }, undefined], [{ config: "proj:corpPassword" }, undefined],
        ["Pa55-w0rd", /never the secret itself/], [{ env: "A", config: "b" }, /exactly one of/], [{ env: { env: "X" } }, /exactly one of/],
        [{ env: "" }, /exactly one of/], [{ env: "Pa55 w0rd!" }, /is it the secret itself/], [{ config: "x\u0000y" }, /is it the secret itself/],
    ])("%j", (v, reason) => {
        const r = secretRefProblem("directory.password", v, true);
        if (reason) expect(r).toMatch(reason); else expect(r).toBeUndefined();
        expect(r ?? "").not.toMatch(/Pa55/);
    });

    test("required or not", () => {
        expect(secretRefProblem("p", undefined, true)).toMatch(/required/);
        expect(secretRefProblem("p", undefined, false)).toBeUndefined();
    });
});

describe("PEM certificates", () => {
    const cert = rootCertificates[0];
    test("real certificates, one or several", () => {
        expect(pemCertificateProblem("caCertificate", cert)).toBeUndefined();
        expect(pemCertificateProblem("caCertificate", `${cert}\n${rootCertificates[1]}\n`)).toBeUndefined();
    });
    test.each([
        ["only the BEGIN line", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", /not a valid X.509/],
        ["a key pasted along", `${cert}\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n`, /besides certificates/],
        ["no PEM", "MIIB...", /must be PEM text/],
        ["not a string", { env: "CA" }, /must be PEM text/],
    ])("refuses %s, without repeating it", (_what, v, reason) => {
        const r = pemCertificateProblem("caCertificate", v);
        expect(r).toMatch(reason);
        expect(r).not.toContain("MII");
    });
});
