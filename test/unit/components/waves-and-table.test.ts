// Rollout order, child names and the status table.
import { renderStatusTable, renderTenantTable } from "../../../provider/components/status-table";
import { planWaves, serverChildName } from "../../../provider/components/waves";
import type { DomainStatus } from "../../../provider/components/cloud-kerberos-trust-types";

const d = (domain: string) => ({ domain, directory: {} as any, publisher: {} as any });

describe("waves", () => {
    test("forests grouped by wave (default 1), waves ascending, declaration order kept", () => {
        const waves = planWaves([
            { name: "contoso", wave: 3, domains: [d("contoso.test")] },
            { name: "corp", domains: [d("corp.test"), d("child.corp.test")] },
            { name: "fabrikam", wave: 3, domains: [d("Fabrikam.Test.")] },
        ]);
        expect(waves.map((w) => [w.wave, w.members.map((m) => m.childName)])).toEqual([
            [1, ["corp/corp.test", "corp/child.corp.test"]],
            [3, ["contoso/contoso.test", "fabrikam/fabrikam.test"]],
        ]);
    });

    test("child names are <forest>/<domain>, the domain normalized", () => {
        expect(serverChildName("corp", "CORP.Example.com.")).toBe("corp/corp.example.com");
    });

    test("a wave below 1 is refused", () => {
        expect(() => planWaves([{ name: "x", wave: 0, domains: [d("x.test")] }])).toThrow(/wave must be a whole number of at least 1/);
    });
});

describe("status table", () => {
    const row = (over: Partial<DomainStatus>): DomainStatus => ({
        forest: "corp", wave: 1, domain: "corp.lab.test", branchId: 1234, domainDnsName: "corp.lab.test", computerAccount: "CN=AzureADKerberos", userAccount: "CN=krbtgt_AzureAD",
        keyVersion: 4049, keyUpdatedOn: "2026-01-01T00:00:00.000Z", keyUpdatedFrom: "dc1.corp.lab.test", cloudId: 1234, cloudDomainDnsName: "corp.lab.test",
        cloudKeyVersion: 4049, cloudKeyUpdatedOn: "2026-01-01T00:00:00.000Z", inSync: true, driftReasons: [], ...over,
    });

    test("one line per domain, the verdict and the reasons last, and a count", () => {
        const text = renderStatusTable([row({}), row({ forest: "fabrikam", wave: 2, domain: "fabrikam.lab.test", domainDnsName: "fabrikam.lab.test", keyVersion: 4052, cloudKeyVersion: 4040, inSync: false, driftReasons: ["key version on-prem 4052 ≠ cloud 4040"], keyUpdatedFrom: null })]);
        const lines = text.split("\n");
        expect(lines[0]).toMatch(/^WAVE\s+FOREST\s+DOMAIN\s+ID\s+KEY VERSION\s+CLOUD KEY VERSION\s+KEY UPDATED ON\s+KEY UPDATED FROM\s+IN SYNC\s+DRIFT$/);
        expect(lines[1]).toMatch(/^1\s+corp\s+corp\.lab\.test\s+1234\s+4049\s+4049\s+2026-01-01T00:00:00\.000Z\s+dc1\.corp\.lab\.test\s+yes\s+-$/);
        expect(lines[2]).toMatch(/^2\s+fabrikam\s+fabrikam\.lab\.test\s+1234\s+4052\s+4040\s+\S+\s+-\s+NO\s+key version on-prem 4052 ≠ cloud 4040$/);
        expect(lines[3]).toBe("1 of 2 domains in sync");
        // columns line up
        expect(lines[1].indexOf("corp.lab.test")).toBe(lines[0].indexOf("DOMAIN"));
    });
});

describe("tenant table", () => {
    test("a row per tenant resource with its object and this rollout's part; drift counted in the last line", () => {
        const text = renderTenantTable([
            { kind: "CloudTrustPolicy", name: "t/cloud-trust-policy", object: "p-1", owned: "the whole profile: 3 settings, assigned to 1 group", drift: [] },
            { kind: "ConditionalAccessExclusion", name: "t/ca-exclusion/storage-mfa", object: '"Require MFA for all users"', owned: "excludes 1 app, 0 groups, 0 users", drift: [] },
            { kind: "HostToRealmMapping", name: "t/host-to-realm", object: "p-2", owned: "the whole profile: 1 realm, as omaUri", drift: ["value differs", "assignment missing"] },
        ]).split("\n");
        expect(lines(text[0])).toEqual(["RESOURCE", "NAME", "OBJECT", "THIS ROLLOUT'S PART", "DRIFT"]);
        expect(text[2]).toMatch(/^ConditionalAccessExclusion\s+t\/ca-exclusion\/storage-mfa\s+"Require MFA for all users"\s+excludes 1 app, 0 groups, 0 users\s+-$/);
        expect(text[3]).toMatch(/value differs; assignment missing$/);
        expect(text[4]).toBe("2 of 3 tenant resources without drift");
        // columns line up
        expect(new Set(text.slice(0, 4).map((l) => l.indexOf(l.split(/\s{2,}/)[1])))).toHaveProperty("size", 1);
    });
});

const lines = (l: string) => l.split(/\s{2,}/);
