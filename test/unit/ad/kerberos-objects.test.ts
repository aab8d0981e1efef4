import { domainDnOf, kerberosServerDns, parseScpKeywords, scpKeywordsJson } from "../../../provider/ad/kerberos-objects";
import { parseExtendedDnSid } from "../../../provider/ad/groups";

describe("Kerberos server object names", () => {
    it("derives the domain DN and the four fixed DNs", () => {
        const dn = domainDnOf("corp.lab.test");
        expect(dn).toBe("DC=corp,DC=lab,DC=test");
        expect(kerberosServerDns(dn)).toEqual({
            domain: dn,
            container: "CN=AzureAD,CN=System,DC=corp,DC=lab,DC=test",
            scp: "CN=900274c4-b7d2-43c8-90ee-00a9f650e335,CN=AzureAD,CN=System,DC=corp,DC=lab,DC=test",
            computer: "CN=AzureADKerberos,OU=Domain Controllers,DC=corp,DC=lab,DC=test",
            krbtgt: "CN=krbtgt_AzureAD,CN=Users,DC=corp,DC=lab,DC=test",
        });
        expect(domainDnOf("corp.lab.test.")).toBe("DC=corp,DC=lab,DC=test");
        expect(() => domainDnOf("corp..test")).toThrow(/not a DNS name/);
    });
});

describe("SCP keywords", () => {
    const k = { Id: "300e72e1-359c-40ba-8190-e57c6b903000", UserAccountSid: "S-1-5-21-1-2-3-1103", ComputerAccountSid: "S-1-5-21-1-2-3-1104" };

    it("round-trips the module's JSON with its field names", () => {
        const json = scpKeywordsJson(k);
        expect(JSON.parse(json)).toEqual(k);
        expect(Object.keys(JSON.parse(json))).toEqual(["Id", "UserAccountSid", "ComputerAccountSid"]);
        expect(parseScpKeywords([json])).toEqual(k);
    });

    it("skips plain keywords and malformed JSON", () => {
        expect(parseScpKeywords(["AzureAD", "{not json", scpKeywordsJson(k)])).toEqual(k);
        expect(parseScpKeywords(["[1,2]", "{}", "\"x\""])).toBeUndefined();
        expect(parseScpKeywords([])).toBeUndefined();
    });
});

describe("extended DN SIDs", () => {
    it("reads the hex form (control without value) and the string form", () => {
        expect(parseExtendedDnSid("<GUID=0123456789abcdef0123456789abcdef>;<SID=010400000000000515000000010000000200000003000000>;DC=root,DC=test")).toBe("S-1-5-21-1-2-3");
        expect(parseExtendedDnSid("<GUID=x>;<SID=S-1-5-21-1-2-3>;DC=root")).toBe("S-1-5-21-1-2-3");
        expect(parseExtendedDnSid("DC=root")).toBeUndefined();
    });
});
