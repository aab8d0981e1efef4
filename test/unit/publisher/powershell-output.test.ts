// Parsing what pwsh printed: the result line among other output, both ConvertTo-Json date styles,
// numbers as strings, absent servers.
import { ProviderError } from "../../../provider/core/errors";
import { plainText, readScriptResult, toServerTable } from "../../../provider/publisher/powershell-output";
import { normalizeDate, normalizeInteger, normalizeText } from "../../../provider/publisher/powershell-values";

const NONCE = "00112233445566778899aabb";
const line = (json: string, nonce = NONCE) => `PEK-RESULT-${nonce} ${Buffer.from(json, "utf8").toString("base64")}`;

describe("dates", () => {
    it.each([
        ["Windows PowerShell 5.1", "/Date(1700000000123)/", "2023-11-14T22:13:20.123Z"],
        ["5.1 with the local offset suffix", "/Date(1700000000123+0100)/", "2023-11-14T22:13:20.123Z"],
        ["5.1 before 1970", "/Date(-86400000)/", "1969-12-31T00:00:00.000Z"],
        ["5.1 adorned DateTime", { value: "/Date(1700000000000)/", DisplayHint: 2, DateTime: "Tuesday, November 14, 2023 10:13:20 PM" }, "2023-11-14T22:13:20.000Z"],
        ["pwsh 7 UTC, seven fraction digits", "2023-11-14T22:13:20.1234567Z", "2023-11-14T22:13:20.123Z"],
        ["pwsh 7 local time with offset", "2023-11-14T23:13:20.1234567+01:00", "2023-11-14T22:13:20.123Z"],
        ["pwsh 7 negative offset", "2023-11-14T17:13:20-05:00", "2023-11-14T22:13:20.000Z"],
        ["pwsh 7 DateTimeKind.Unspecified (read as UTC)", "2023-11-14T22:13:20", "2023-11-14T22:13:20.000Z"],
        ["a DateTimeOffset object", { DateTime: "x", UtcDateTime: "2023-11-14T22:13:20Z", Offset: "00:00:00" }, "2023-11-14T22:13:20.000Z"],
    ])("%s", (_name, input, iso) => {
        expect(normalizeDate(input)).toBe(iso);
    });

    it("null, missing and empty are null; anything else is an error", () => {
        expect(normalizeDate(null)).toBeNull();
        expect(normalizeDate(undefined)).toBeNull();
        expect(normalizeDate("")).toBeNull();
        expect(() => normalizeDate("yesterday")).toThrow(/not a date/);
        expect(() => normalizeDate(12)).toThrow(/not a date/);
        expect(() => normalizeDate({ Ticks: 1 })).toThrow(/object with Ticks/);
    });
});

describe("numbers and text", () => {
    it("integers may be numbers or strings", () => {
        expect(normalizeInteger(192272)).toBe(192272);
        expect(normalizeInteger("192272")).toBe(192272);
        expect(normalizeInteger(" 7 ")).toBe(7);
        expect(normalizeInteger(null)).toBeNull();
        expect(() => normalizeInteger("12a")).toThrow(/not an integer/);
        expect(() => normalizeInteger(1.5)).toThrow(/not an integer/);
    });

    it("a DN may come as an object", () => {
        expect(normalizeText("CN=x")).toBe("CN=x");
        expect(normalizeText({ DistinguishedName: "CN=krbtgt_AzureAD,CN=Users,DC=c" })).toBe("CN=krbtgt_AzureAD,CN=Users,DC=c");
        expect(normalizeText(null)).toBeNull();
        expect(() => normalizeText([1])).toThrow(/an array/);
    });
});

describe("the result line", () => {
    const table = {
        Id: 30775, UserAccount: "CN=krbtgt_AzureAD,CN=Users,DC=contoso,DC=com", ComputerAccount: "CN=AzureADKerberos,OU=Domain Controllers,DC=contoso,DC=com",
        DisplayName: "krbtgt_30775", DomainDnsName: "contoso.com", KeyVersion: 1585708, KeyUpdatedOn: "/Date(1619173615000)/", KeyUpdatedFrom: "dc1.contoso.com",
        CloudDisplayName: "krbtgt_30775", CloudDomainDnsName: "contoso.com", CloudId: "30775", CloudKeyVersion: "1585708", CloudKeyUpdatedOn: "2021-04-23T10:26:55Z",
    };

    it("is found among warnings and other output, decoded and turned into the table", () => {
        const stdout = ["WARNING: something", "PEK-RESULT-ffffffffffffffffffffffff not ours", line(JSON.stringify({ ok: true, server: table })), "trailing"].join("\r\n");
        const r = readScriptResult(stdout, NONCE)!;
        expect(r.ok).toBe(true);
        const t = toServerTable((r as any).server, "contoso.com");
        expect(t).toEqual({
            Id: 30775, UserAccount: table.UserAccount, ComputerAccount: table.ComputerAccount, DisplayName: "krbtgt_30775", DomainDnsName: "contoso.com",
            KeyVersion: 1585708, KeyUpdatedOn: "2021-04-23T10:26:55.000Z", KeyUpdatedFrom: "dc1.contoso.com", CloudDisplayName: "krbtgt_30775",
            CloudDomainDnsName: "contoso.com", CloudId: 30775, CloudKeyVersion: 1585708, CloudKeyUpdatedOn: "2021-04-23T10:26:55.000Z",
        });
        expect(t.KeyUpdatedOn).toBe(t.CloudKeyUpdatedOn); // 5.1 and ISO renderings of one instant agree
    });

    it("5.1's escaped JSON (\\/Date\\/, \\u0027) parses", () => {
        const json = '{"ok":true,"server":{"ID":"5","UserAccount":"CN=O\\u0027Brien","KeyUpdatedOn":"\\/Date(1700000000000)\\/"}}';
        const t = toServerTable((readScriptResult(line(json), NONCE) as any).server, "c.com");
        expect(t).toMatchObject({ Id: 5, UserAccount: "CN=O'Brien", KeyUpdatedOn: "2023-11-14T22:13:20.000Z", DomainDnsName: "c.com", CloudId: null });
    });

    it("no server (null, or the property missing) gives every field null", () => {
        for (const json of ['{"ok":true,"server":null}', '{"ok":true}']) {
            const t = toServerTable((readScriptResult(line(json), NONCE) as any).server, "contoso.com");
            expect(t.DomainDnsName).toBe("contoso.com");
            expect(Object.entries(t).filter(([k]) => k !== "DomainDnsName").every(([, v]) => v === null)).toBe(true);
        }
    });

    it("a module error keeps type, message, error id and inner exceptions (array or single object)", () => {
        const one = readScriptResult(line(JSON.stringify({ ok: false, error: { type: "T", message: "M", errorId: "E", inner: { type: "I", message: "IM" } } })), NONCE);
        expect(one).toEqual({ ok: false, error: { type: "T", message: "M", errorId: "E", inner: [{ type: "I", message: "IM" }] } });
        const none = readScriptResult(line(JSON.stringify({ ok: false, error: { type: "T", message: "M", inner: [] } })), NONCE);
        expect(none).toEqual({ ok: false, error: { type: "T", message: "M", errorId: undefined, inner: [] } });
    });

    it("absent is undefined; unreadable or malformed is PublisherOutputInvalid", () => {
        expect(readScriptResult("hello\nworld", NONCE)).toBeUndefined();
        expect(readScriptResult(line("{}", "ffffffffffffffffffffffff"), NONCE)).toBeUndefined();
        for (const bad of [`PEK-RESULT-${NONCE} !!!`, line("{not json"), line('{"server":{}}'), line("[1]")]) {
            let err: unknown;
            try { readScriptResult(bad, NONCE); } catch (e) { err = e; }
            expect(err).toBeInstanceOf(ProviderError);
            expect((err as ProviderError).code).toBe("PublisherOutputInvalid");
        }
        expect(() => toServerTable({ Id: "abc" }, "c.com")).toThrow(/Id is not an integer/);
        expect(() => toServerTable({ KeyUpdatedOn: "soon" }, "c.com")).toThrow(/KeyUpdatedOn is not a date/);
    });

    it("ANSI colors and control characters are stripped from text shown to users", () => {
        expect(plainText("\x1b[31;1mSet-AzureADKerberosServer: \x1b[0mboom\x07\x00")).toBe("Set-AzureADKerberosServer: boom");
    });
});
