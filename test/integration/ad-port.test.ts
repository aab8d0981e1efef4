// provider/ad (the product's LDAP port) against a real Samba AD DC on 127.0.0.32.
// What the port reads is checked against an independent raw ldapts read of the same objects.
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Attribute, Change, Client, Control, EqualityFilter } from "ldapts";
import { ensureLabCa } from "../../lab/ca";
import { ProviderError } from "../../provider/core/errors";
import { newRoundTrips, ResolvedDirectoryConnection, withDirectory } from "../../provider/ad/connection";
import {
    defaultAllowedGroups, defaultDeniedGroups, domainSid, domainSidFromCrossRef, forestRootSid, resolveGroups,
} from "../../provider/ad/groups";
import { clearDcNameCaches } from "../../provider/ad/dc-names";
import { kerberosServerDns, readKerberosServer, scpKeywordsJson } from "../../provider/ad/kerberos-objects";
import { sidToString } from "../../provider/ad/sid";
import { OwnDc, rawUnicodePwdStamp, startOwnDc, unicodePwd } from "./own-samba-dc";

const DOMAIN = "adport.lab.test";
const DEAD_URL = "ldaps://127.0.0.39:636"; // nothing listens there

let dc: OwnDc;
let raw: Client;
let conn: ResolvedDirectoryConnection;
const dns = kerberosServerDns("DC=adport,DC=lab,DC=test");

/** Every ProviderError message this file sees: none may contain the admin password. */
const seenMessages: string[] = [];
async function failure(p: Promise<unknown>): Promise<ProviderError> {
    const e = await p.then(() => { throw new Error("expected a failure"); }, (err) => err);
    expect(e).toBeInstanceOf(ProviderError);
    seenMessages.push((e as Error).message, JSON.stringify(e));
    return e as ProviderError;
}

async function rawSid(dn: string): Promise<string> {
    const { searchEntries: [e] } = await raw.search(dn, { scope: "base", attributes: ["objectSid"], explicitBufferAttributes: ["objectSid"] });
    return sidToString(e.objectSid as Buffer);
}

beforeAll(async () => {
    dc = await startOwnDc("adport", DOMAIN, "127.0.0.32");
    raw = await dc.raw();
    conn = { urls: [dc.forest.ldapsUrl], username: dc.forest.adminUpn, password: dc.adminPassword, caCertificate: dc.caPem, timeoutMs: 10_000 };
}, 240_000);

afterAll(async () => {
    for (const m of seenMessages) expect(m).not.toContain(dc.adminPassword);
    await dc?.stop();
}, 60_000);

describe("reading the Kerberos server objects", () => {
    it("reports an absent server on a fresh domain", async () => {
        const st = await withDirectory(conn, (s) => readKerberosServer(s, DOMAIN));
        // no rootDSE read (the domain head vouches for the DC, issue 7), so no dcHostName either
        expect(st).toMatchObject({ absent: true, complete: false, problems: [], dc: dc.forest.ldapsUrl, dcHostName: undefined });
    });

    it("agrees with an independent raw read, in 2 LDAP searches (the objects, and the domain's DSAs beside them)", async () => {
        // Create the objects with raw ldapts (not the publisher), as the module would.
        await raw.add(dns.krbtgt, { objectClass: "user" }, new Control("1.2.840.113556.1.4.1341", { critical: true }));
        const du = `CN=Domain Users,CN=Users,${dns.domain}`;
        const denied = ["CN=Domain Admins,CN=Users", "CN=Administrators,CN=Builtin"].map((x) => `${x},${dns.domain}`);
        await raw.add(dns.computer, {
            objectClass: "computer", sAMAccountName: "AzureADKerberos$", userAccountControl: "83890176",
            "msDS-KrbTgtLink": dns.krbtgt, "msDS-RevealOnDemandGroup": du, "msDS-NeverRevealGroup": denied,
        });
        await raw.add(dns.container, { objectClass: "container" });
        const ids = { Id: "0b4b1f1c-0000-4000-8000-000000000001", UserAccountSid: await rawSid(dns.krbtgt), ComputerAccountSid: await rawSid(dns.computer) };
        await raw.add(dns.scp, { objectClass: "serviceConnectionPoint", keywords: ["AzureAD", scpKeywordsJson(ids)], showInAdvancedViewOnly: "TRUE" });

        clearDcNameCaches(); // a cold process: the domain's DSAs are not known yet
        const rt = newRoundTrips();
        const st = await withDirectory(conn, (s) => readKerberosServer(s, DOMAIN), { roundTrips: rt });
        expect(rt).toEqual({ binds: 1, searches: 2, adds: 0, modifies: 0, deletes: 0 });
        // the same process reading the same DC again knows them (dc-names.ts)
        const again = newRoundTrips();
        await withDirectory(conn, (s) => readKerberosServer(s, DOMAIN), { roundTrips: again });
        expect(again).toEqual({ binds: 1, searches: 1, adds: 0, modifies: 0, deletes: 0 });

        // the independent read
        const { searchEntries: [k] } = await raw.search(dns.krbtgt, {
            scope: "base", attributes: ["objectSid", "sAMAccountName", "msDS-SecondaryKrbTgtNumber", "msDS-KeyVersionNumber", "pwdLastSet", "replPropertyMetaData"],
            explicitBufferAttributes: ["objectSid", "replPropertyMetaData"],
        });
        const stamp = rawUnicodePwdStamp(k.replPropertyMetaData as Buffer)!;
        const { searchEntries: [root] } = await raw.search("", { scope: "base", attributes: ["dnsHostName", "configurationNamingContext"] });
        const { searchEntries: [dsa] } = await raw.search(String(root.configurationNamingContext), {
            scope: "sub", filter: new EqualityFilter({ attribute: "invocationId", value: stamp.invocationBytes }), attributes: ["1.1"],
        });
        const { searchEntries: [c] } = await raw.search(dns.computer, { scope: "base", attributes: ["userAccountControl", "primaryGroupID"] });

        expect(st.complete).toBe(true);
        expect(st.problems).toEqual([]);
        expect(st.scp).toEqual({ dn: dns.scp, keywords: ids, description: undefined });
        expect(st.computer).toMatchObject({
            dn: dns.computer, sid: ids.ComputerAccountSid, sAMAccountName: "AzureADKerberos$", userAccountControl: 83890176, krbTgtLink: dns.krbtgt,
            allowedGroups: [du],
        });
        expect(new Set(st.computer!.deniedGroups)).toEqual(new Set(denied)); // linked attribute: order not kept
        expect(c.primaryGroupID).toBe("521"); // Samba derived it from the uac bits
        const n = Number(k["msDS-SecondaryKrbTgtNumber"]);
        expect(n).toBeGreaterThan(0);
        expect(st.krbtgt).toMatchObject({
            dn: dns.krbtgt, sid: ids.UserAccountSid, sAMAccountName: `krbtgt_${n}`, branchId: n, linkedFrom: [dns.computer],
        });
        expect(st.krbtgt!.key).toEqual({
            keyVersion: stamp.usn,
            keyUpdatedOn: new Date(Number(stamp.seconds1601 - 11644473600n) * 1000),
            keyUpdatedFrom: String(root.dnsHostName),
            originatingInvocationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
            keyVersionNumber: Number(k["msDS-KeyVersionNumber"]),
        });
        expect(dsa.dn).toMatch(/^CN=NTDS Settings,CN=DC1,CN=Servers,/);
        // pwdLastSet (100 ns since 1601) and the stamp (whole seconds) name the same write. Samba takes
        // the stamp's time when it writes the metadata, after pwdLastSet, so it may fall in the next second.
        const stampLag = stamp.seconds1601 - BigInt(String(k.pwdLastSet)) / 10_000_000n;
        expect(stampLag >= 0n && stampLag <= 1n).toBe(true);
    });

    it("sees the key metadata change after a password change", async () => {
        const before = (await withDirectory(conn, (s) => readKerberosServer(s, DOMAIN))).krbtgt!.key!;
        await raw.modify(dns.krbtgt, new Change({ operation: "replace", modification: new Attribute({ type: "unicodePwd", values: [unicodePwd(`Rot-${Date.now()}-aA1!`)] }) }));
        const after = (await withDirectory(conn, (s) => readKerberosServer(s, DOMAIN))).krbtgt!.key!;
        expect(after.keyVersion).toBeGreaterThan(before.keyVersion);
        expect(after.keyVersionNumber).toBe(before.keyVersionNumber + 1);
        expect(after.keyUpdatedOn.getTime()).toBeGreaterThanOrEqual(before.keyUpdatedOn.getTime());
        expect(after.keyUpdatedFrom).toBe(dc.forest.dcHostName);
    });

    it("reports an SCP that names another account, and finds what it names", async () => {
        const adminSid = await rawSid(`CN=Administrator,CN=Users,${dns.domain}`);
        const good = (await withDirectory(conn, (s) => readKerberosServer(s, DOMAIN))).scp!.keywords!;
        const setKeywords = (k: object) => raw.modify(dns.scp, new Change({ operation: "replace", modification: new Attribute({ type: "keywords", values: [JSON.stringify(k)] }) }));
        await setKeywords({ ...good, UserAccountSid: adminSid });
        try {
            const st = await withDirectory(conn, (s) => readKerberosServer(s, DOMAIN));
            expect(st.complete).toBe(false);
            expect(st.problems.join("\n")).toContain(`the SCP's UserAccountSid ${adminSid} is CN=Administrator,CN=Users,${dns.domain}, but ${dns.computer} links ${dns.krbtgt}`);
            expect(st.krbtgt!.dn).toBe(dns.krbtgt); // the linked one is still reported
            const dangling = `${adminSid.replace(/-500$/, "")}-99999`;
            await setKeywords({ ...good, ComputerAccountSid: dangling });
            const st2 = await withDirectory(conn, (s) => readKerberosServer(s, DOMAIN));
            expect(st2.problems).toEqual([`the SCP's ComputerAccountSid ${dangling} does not exist`]);
            expect(st2.computer!.dn).toBe(dns.computer);
        } finally {
            await setKeywords(good);
        }
    });

    it("refuses to read a domain the DC does not hold", async () => {
        const e = await failure(withDirectory(conn, (s) => readKerberosServer(s, "other.lab.test")));
        expect(e.code).toBe("DirectoryWrongDomain");
        expect(e.message).toContain("ldaps://127.0.0.32:636 is a DC of DC=adport,DC=lab,DC=test, not of other.lab.test");
    });
});

describe("the connection", () => {
    it("fails over from a dead first URL to the next", async () => {
        const rt = newRoundTrips();
        const url = await withDirectory({ ...conn, urls: [DEAD_URL, dc.forest.ldapsUrl] }, async (s) => { await s.rootDse(); return s.url; }, { roundTrips: rt });
        expect(url).toBe(dc.forest.ldapsUrl);
        expect(rt.binds).toBe(1);
    });

    it("applies timeoutMs to the connect (TLS handshake) and fails over from a DC that never answers", async () => {
        // a TCP listener on our own address that accepts and then says nothing
        const sockets: net.Socket[] = [];
        const silent = net.createServer((sock) => { sockets.push(sock); });
        await new Promise<void>((r) => silent.listen(16360, "127.0.0.32", r));
        try {
            const t0 = Date.now();
            const seen = await withDirectory({ ...conn, timeoutMs: 700, urls: ["ldaps://127.0.0.32:16360", dc.forest.ldapsUrl] },
                async (s) => ({ url: s.url, rt: s.roundTrips }));
            expect(Date.now() - t0).toBeLessThan(5000);
            expect(seen.url).toBe(dc.forest.ldapsUrl);
            expect(seen.rt).toEqual({ binds: 1, searches: 0, adds: 0, modifies: 0, deletes: 0 });
            const e = await failure(withDirectory({ ...conn, timeoutMs: 300, urls: ["ldaps://127.0.0.32:16360"] }, async () => 1));
            expect(e.code).toBe("DirectoryUnreachable");
            expect(e.message).toContain("ldaps://127.0.0.32:16360: Connection timeout");
        } finally {
            sockets.forEach((x) => x.destroy());
            await new Promise((r) => silent.close(r));
        }
    });

    it("names every URL when none answers", async () => {
        const e = await failure(withDirectory({ ...conn, urls: [DEAD_URL, "ldaps://127.0.0.38:636"] }, async () => 1, { purpose: "probe" }));
        expect(e.code).toBe("DirectoryUnreachable");
        expect(e.retryable).toBe(true);
        expect(e.message).toMatch(/^no domain controller answered \(probe\): ldaps:\/\/127.0.0.39:636: connect ECONNREFUSED.*; ldaps:\/\/127.0.0.38:636: connect ECONNREFUSED/);
    });

    it("fails closed on a certificate from another CA, a wrong server name or no CA", async () => {
        const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), "otherca-"));
        try {
            const otherCa = fs.readFileSync(ensureLabCa(otherDir).certPath, "utf8");
            let e = await failure(withDirectory({ ...conn, caCertificate: otherCa }, async () => 1));
            expect(e.code).toBe("DirectoryTlsFailed");
            expect(e.message).toMatch(/ldaps:\/\/127.0.0.32:636: .*(verify|certificate)/i);
            e = await failure(withDirectory({ ...conn, tlsServerName: "dc1.other.lab.test" }, async () => 1));
            expect(e.code).toBe("DirectoryTlsFailed");
            expect(e.message).toContain("ERR_TLS_CERT_ALTNAME_INVALID");
            e = await failure(withDirectory({ ...conn, caCertificate: undefined }, async () => 1));
            expect(e.code).toBe("DirectoryTlsFailed");
            // and the right server name verifies (the DNS SAN instead of the IP SAN)
            expect(await withDirectory({ ...conn, tlsServerName: dc.forest.dcHostName }, async (s) => (await s.rootDse()).dnsHostName)).toBe(dc.forest.dcHostName);
        } finally {
            fs.rmSync(otherDir, { recursive: true, force: true });
        }
    });

    it("refuses plain ldap:// without allowPlainLdap; with it, the connection really is plain", async () => {
        const plain = { ...conn, urls: ["ldap://127.0.0.32:389"] };
        let e = await failure(withDirectory(plain, async () => 1));
        expect(e.code).toBe("PlainLdapRefused");
        // Samba's default policy then refuses a simple bind without TLS: proof no TLS was used
        e = await failure(withDirectory({ ...plain, allowPlainLdap: true }, async () => 1));
        expect(e.serviceCode).toBe("strongerAuthRequired");
        expect(e.message).toContain("LDAP bind as Administrator@adport.lab.test on ldap://127.0.0.32:389 failed");
    });

    it("reports bad credentials at once, without trying the next URL or showing the password", async () => {
        const wrong = `${dc.adminPassword}-wrong`;
        const rt = newRoundTrips();
        const e = await failure(withDirectory({ ...conn, password: wrong, urls: [dc.forest.ldapsUrl, DEAD_URL] }, async () => 1, { roundTrips: rt }));
        expect(e.code).toBe("DirectoryAuthFailed");
        expect(e.message).not.toContain(wrong);
        expect(e.message).not.toContain(DEAD_URL);
        expect(rt.binds).toBe(1);
    });

    it("binds with a DN as well as a UPN, and turns LDAP errors into ProviderErrors naming DC and operation", async () => {
        const e = await failure(withDirectory({ ...conn, username: dc.forest.adminDn }, (s) => s.search(`CN=nope,${dns.domain}`, { scope: "base" })));
        expect(e.code).toBe("DirectoryNoSuchObject");
        expect(e.serviceCode).toBe("noSuchObject");
        expect(e.message).toMatch(/^LDAP search base "CN=nope,DC=adport,DC=lab,DC=test" scope base on ldaps:\/\/127.0.0.32:636 failed: /);
    });

    it("keeps a password being set out of error messages", async () => {
        const secret = `Pw-${Date.now()}-zZ9!`;
        const e = await failure(withDirectory(conn, (s) => s.modify(`CN=nope,${dns.domain}`,
            new Change({ operation: "replace", modification: new Attribute({ type: "unicodePwd", values: [unicodePwd(secret)] }) }))));
        expect(e.message).toContain("replace unicodePwd");
        expect(e.message).not.toContain(secret);
    });
});

describe("group resolution", () => {
    it("resolves names, DNs and SIDs to exactly one group each, in one search", async () => {
        await withDirectory(conn, async (s) => {
            const dom = await domainSid(s);
            expect(await forestRootSid(s)).toBe(dom); // single-domain forest
            const before = s.roundTrips.searches;
            const r = await resolveGroups(s, ["Domain Users", `CN=Domain Admins,CN=Users,${dns.domain}`, "S-1-5-32-544", "enterprise admins", `${dom}-518`], DOMAIN);
            expect(s.roundTrips.searches - before).toBe(1);
            expect(r).toEqual([
                { dn: `CN=Domain Users,CN=Users,${dns.domain}`, sid: `${dom}-513`, name: "Domain Users" },
                { dn: `CN=Domain Admins,CN=Users,${dns.domain}`, sid: `${dom}-512`, name: "Domain Admins" },
                { dn: `CN=Administrators,CN=Builtin,${dns.domain}`, sid: "S-1-5-32-544", name: "Administrators" },
                { dn: `CN=Enterprise Admins,CN=Users,${dns.domain}`, sid: `${dom}-519`, name: "Enterprise Admins" },
                { dn: `CN=Schema Admins,CN=Users,${dns.domain}`, sid: `${dom}-518`, name: "Schema Admins" },
            ]);
        });
    });

    it("fails naming the group and the input when one does not resolve (injection strings included)", async () => {
        await withDirectory(conn, async (s) => {
            let e = await failure(resolveGroups(s, ["Domain Users", { value: "Kerberos Pilot", input: "allowedGroups[1]" }], DOMAIN));
            expect(e.code).toBe("GroupNotFound");
            expect(e.input).toBe("allowedGroups[1]");
            expect(e.message).toBe('group "Kerberos Pilot" (allowedGroups[1]) was not found in domain adport.lab.test (looked for a group with that sAMAccountName)');
            e = await failure(resolveGroups(s, ["*)(sAMAccountName=*"], DOMAIN));
            expect(e.code).toBe("GroupNotFound");
            e = await failure(resolveGroups(s, ["*"], DOMAIN));
            expect(e.code).toBe("GroupNotFound");
            // a user is not a group
            e = await failure(resolveGroups(s, ["Administrator"], DOMAIN));
            expect(e.message).toContain('group "Administrator" was not found');
            e = await failure(resolveGroups(s, [`CN=Administrator,CN=Users,${dns.domain}`], DOMAIN));
            expect(e.code).toBe("GroupNotFound");
        });
    });

    it("reads a domain SID from its crossRef with the extended-DN control (the child-domain path to the forest root SID)", async () => {
        await withDirectory(conn, async (s) => {
            expect(await domainSidFromCrossRef(s, dns.domain)).toBe(await domainSid(s));
        });
    });

    it("resolves the module's defaults by SID: Domain Users allowed, nine groups denied", async () => {
        await withDirectory(conn, async (s) => {
            const dom = await domainSid(s);
            expect((await defaultAllowedGroups(s)).map((g) => g.sid)).toEqual([`${dom}-513`]);
            expect((await defaultDeniedGroups(s)).map((g) => g.sid)).toEqual([
                "S-1-5-32-548", "S-1-5-32-549", `${dom}-512`, `${dom}-517`, `${dom}-519`, `${dom}-518`, `${dom}-516`, "S-1-5-32-551", "S-1-5-32-544",
            ]);
        });
    });
});
