// The DC rules of the readiness report: which builds serve cloud Kerberos (Windows Server 2016/2019
// with the November 2019 update, later releases as shipped), what AD cannot tell, and when a domain blocks.
import { assessDc, dcFindings, parseWindowsVersion } from "../../../provider/readiness/dc-builds";

const dc = (hostName: string, operatingSystem?: string, operatingSystemVersion?: string) => ({ hostName, operatingSystem, operatingSystemVersion });

describe("parseWindowsVersion", () => {
    test("AD's form, with and without the update revision", () => {
        expect(parseWindowsVersion("10.0 (14393)")).toEqual({ build: 14393, revision: undefined });
        expect(parseWindowsVersion("10.0 (17763.864)")).toEqual({ build: 17763, revision: 864 });
        expect(parseWindowsVersion("6.3 (9600)")).toEqual({ build: 9600, revision: undefined });
    });
    test("anything else is not a Windows version", () => {
        for (const v of [undefined, "", "4.17.12-Debian", "10.0", "10.0 (abc)"]) expect(parseWindowsVersion(v)).toBeUndefined();
    });
});

describe("assessDc", () => {
    test("a Samba DC is reported as not Windows, with what AD says of it", () => {
        const a = assessDc(dc("dc1.corp.lab.test", "Samba", "4.17.12-Debian"), "corp.lab.test");
        expect(a.capability).toBe("not-windows");
        expect(a.finding).toMatchObject({ kind: "dc-not-windows", severity: "info", object: "dc1.corp.lab.test", facts: { operatingSystem: "Samba" } });
    });
    test("Windows Server 2012 R2 cannot serve it", () => {
        const a = assessDc(dc("old.corp", "Windows Server 2012 R2 Standard", "6.3 (9600)"), "corp");
        expect(a).toMatchObject({ capability: "incapable", finding: { kind: "dc-os-unsupported", severity: "warning", object: "old.corp", facts: { build: 9600 } } });
    });
    test("2016 and 2019: below the November 2019 revision is unpatched, at or above it capable", () => {
        expect(assessDc(dc("a", "Windows Server 2016 Datacenter", "10.0 (14393.3325)"), "d")).toMatchObject({ capability: "incapable", finding: { kind: "dc-unpatched", facts: { requiredRevision: "14393.3326" } } });
        expect(assessDc(dc("b", "Windows Server 2016 Datacenter", "10.0 (14393.3326)"), "d")).toEqual({ capability: "capable", build: { build: 14393, revision: 3326 } });
        expect(assessDc(dc("c", "Windows Server 2019 Standard", "10.0 (17763.863)"), "d").finding?.kind).toBe("dc-unpatched");
        expect(assessDc(dc("e", "Windows Server 2019 Standard", "10.0 (17763.864)"), "d").capability).toBe("capable");
    });
    test("2016 and 2019 as AD records them (no revision): the patch level is unknown, a warning naming the build to check", () => {
        const a = assessDc(dc("dc2.corp", "Windows Server 2019 Standard", "10.0 (17763)"), "corp");
        expect(a).toMatchObject({ capability: "unknown", finding: { kind: "dc-patch-level-unknown", severity: "warning", object: "dc2.corp", facts: { requiredRevision: "17763.864" } } });
    });
    test("Windows Server 2022 and later shipped with it", () => {
        expect(assessDc(dc("n", "Windows Server 2022 Datacenter", "10.0 (20348)"), "d")).toEqual({ capability: "capable", build: { build: 20348, revision: undefined } });
    });
});

describe("dcFindings", () => {
    test("a domain whose every Windows DC is known incapable blocks, naming its DCs", () => {
        const { findings } = dcFindings([dc("a", "Windows Server 2012 R2", "6.3 (9600)"), dc("b", "Windows Server 2016", "10.0 (14393.100)")], "corp");
        expect(findings.map((f) => f.kind)).toEqual(["dc-os-unsupported", "dc-unpatched", "domain-no-capable-dc"]);
        expect(findings[2]).toMatchObject({ severity: "blocking", object: "corp", facts: { domainControllers: ["a", "b"] } });
    });
    test("one capable or unknown DC, or a Samba DC, keeps the domain from blocking", () => {
        const old = dc("a", "Windows Server 2012 R2", "6.3 (9600)");
        for (const other of [dc("b", "Windows Server 2022", "10.0 (20348)"), dc("b", "Windows Server 2019", "10.0 (17763)"), dc("b", "Samba", "4.17")]) {
            expect(dcFindings([old, other], "corp").findings.map((f) => f.kind)).not.toContain("domain-no-capable-dc");
        }
        expect(dcFindings([dc("s", "Samba", "4.17")], "corp").findings.map((f) => f.kind)).toEqual(["dc-not-windows"]);
    });
});
