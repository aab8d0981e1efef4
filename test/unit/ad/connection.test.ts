import { ProviderError } from "../../../provider/core/errors";
import { validateDirectoryConnection, withDirectory } from "../../../provider/ad/connection";

const base = { urls: ["ldaps://dc1.corp.example.com:636"], username: "admin@corp.example.com", password: "S3cret-Value!" };

function codeOf(fn: () => void): string | undefined {
    try { fn(); } catch (e) { return (e as ProviderError).code; }
    return undefined;
}

describe("validateDirectoryConnection (no I/O)", () => {
    it("accepts ldaps URLs", () => {
        expect(() => validateDirectoryConnection(base)).not.toThrow();
    });

    it("refuses plain ldap:// unless allowPlainLdap, naming the URL", () => {
        const conn = { ...base, urls: ["ldaps://a:636", "ldap://dc2.corp.example.com"] };
        expect(() => validateDirectoryConnection(conn)).toThrow(/directory.urls\[1\] ldap:\/\/dc2.corp.example.com is plain LDAP/);
        expect(codeOf(() => validateDirectoryConnection(conn))).toBe("PlainLdapRefused");
        expect(() => validateDirectoryConnection({ ...conn, allowPlainLdap: true })).not.toThrow();
    });

    it("refuses an empty password (a simple bind with one is an anonymous bind that succeeds)", () => {
        expect(codeOf(() => validateDirectoryConnection({ ...base, password: "" }))).toBe("DirectoryConfigInvalid");
    });

    it.each([
        [[], /empty/],
        [["http://x"], /only ldaps/],
        [["not a url"], /not a URL/],
        [["ldaps://dc/DC=corp"], /scheme, host and port only/],
    ])("rejects urls %j", (urls, re) => {
        expect(() => validateDirectoryConnection({ ...base, urls: urls as string[] })).toThrow(re);
    });

    it("rejects a non-positive timeout", () => {
        expect(codeOf(() => validateDirectoryConnection({ ...base, timeoutMs: 0 }))).toBe("DirectoryConfigInvalid");
    });

    it("withDirectory fails before any network call on bad settings, without the password in the message", async () => {
        const err = await withDirectory({ ...base, urls: ["ldap://127.0.0.1:1"] }, async () => 1).catch((e) => e);
        expect(err).toBeInstanceOf(ProviderError);
        expect(err.code).toBe("PlainLdapRefused");
        expect(err.message).not.toContain(base.password);
    });
});
