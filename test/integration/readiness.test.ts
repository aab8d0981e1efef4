// The readiness command (docs/readiness.md) against the lab: the package's bin run as a process on a
// stack file made from the lab's own stack config, real Samba DCs and the Graph emulator. The lab
// data it needs is opt-in (lab/readiness-seed.ts): the clean seed reports ready, the failure seed
// produces each finding naming its user, profile, policy or AD object; the report only reads (the emulator saw GETs only, no DC
// committed a change); bad arguments stop before any request.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "ldapts";
import yaml from "js-yaml";
import { emulatorAdmin } from "../../lab/emulator-admin";
import { userEntity, groupEntity } from "../../lab/emulator/state";
import { SEED } from "../../lab/emulator/seed";
import { clearReadinessSeed, RD_CA_POLICY, RD_OTHER_TENANT_ID, RD_PROFILE, READINESS_PILOT_GROUP_ID, readinessUpn, seedReadinessLab } from "../../lab/readiness-seed";
import { labStackConfig } from "../../lab/stack-config";
import { readinessReportErrors } from "../../provider/readiness/report-schema";
import { labCa, labSecretEnv, labSecretValues, requireLab } from "../support/lab";

const lab = requireLab();
const BIN = path.join(__dirname, "../../bin/provider/readiness/cli/main.js");
const outputs: string[] = [];
let dir: string;

function cli(args: string[], env: NodeJS.ProcessEnv = { ...process.env, ...labSecretEnv(lab) }): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, [BIN, ...args], { env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
            outputs.push(stdout, stderr);
            resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr });
        });
    });
}
const json = async (...extra: string[]) => {
    const r = await cli(["--stack", "readiness", "--dir", dir, "--json", ...extra]);
    return { ...r, report: JSON.parse(r.stdout) };
};

/** Each DC's highestCommittedUSN: it moves with every change the DC commits, whoever makes it. */
async function committedUsns(): Promise<number[]> {
    return Promise.all(lab.forests.map(async (f) => {
        const c = new Client({ url: f.ldapsUrl, tlsOptions: { ca: [labCa(lab)], rejectUnauthorized: true } });
        try {
            const { searchEntries: [e] } = await c.search("", { scope: "base", attributes: ["highestCommittedUSN"] });
            return Number(e.highestCommittedUSN);
        } finally { await c.unbind().catch(() => undefined); }
    }));
}

const graphRequests = async () => ((await emulatorAdmin(lab, "GET", "/_emulator/requests")).value as { method: string; path: string }[])
    .filter((r) => /^\/(v1\.0|beta)\//.test(r.path));

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "readiness-"));
    fs.writeFileSync(path.join(dir, "Pulumi.readiness.yaml"), yaml.dump({ config: { "pulumi-entra-kerberos:cloudKerberosTrust": labStackConfig(lab) } }));
});
afterAll(async () => {
    await clearReadinessSeed(lab);
    fs.rmSync(dir, { recursive: true, force: true });
});

test("the clean lab reports ready (exit 0): DCs with OS and version, functional levels, no Kerberos server yet; --json passes the schema", async () => {
    await seedReadinessLab(lab, { withFailures: false });
    const { code, report, stderr } = await json();
    expect(readinessReportErrors(report)).toEqual([]);
    expect(report.verdict).toBe("ready");
    expect(code).toBe(0);
    expect(report.domains.map((d: any) => d.domain)).toEqual(lab.forests.map((f) => f.domain));
    for (const d of report.domains) {
        expect(d.domainControllers).toEqual([expect.objectContaining({ operatingSystem: "Samba", capability: "not-windows", operatingSystemVersion: expect.stringMatching(/^4\.\d+/) })]);
        expect(d.domainFunctionalLevel).toMatch(/^Windows Server/);
        expect(d.forestFunctionalLevel).toMatch(/^Windows Server/);
        expect(d.kerberosServer).toMatchObject({ exists: false });
    }
    expect(report.pilotGroups).toContainEqual(expect.objectContaining({ group: "WHfB Pilot Users", users: 1, usersWithFindings: 0 }));
    expect(report.findings.every((f: any) => f.severity === "info")).toBe(true);
    // the tenant as the stack's tenant resources leave it: no cloud trust profile yet, the storage app excluded, FIDO2 on for the pilot;
    // the seed's own profile (emptied) and policies (one off) are read too
    expect(report.tenant.fido2State).toBe("enabled");
    expect(report.tenant.intuneProfilesRead).toBeGreaterThanOrEqual(1);
    expect(report.tenant.conditionalAccessPoliciesRead).toBeGreaterThanOrEqual(3);
    expect(report.findings.filter((f: any) => /^(intune|ca|fido2|tenant)-|other-tenant/.test(f.kind))).toEqual([
        expect.objectContaining({ kind: "intune-profile-absent", severity: "info", object: "WHfB cloud Kerberos trust (lab)" }),
    ]);
    expect(stderr).toMatch(/readiness: pilot group "WHfB Pilot Users": 1 users read/);
});

test("each seeded failure is a finding naming the user and the cause (exit 2), in the table too", async () => {
    await seedReadinessLab(lab, { withFailures: true });
    const { code, report } = await json();
    expect(readinessReportErrors(report)).toEqual([]);
    expect(code).toBe(2);
    const of = (role: Parameters<typeof readinessUpn>[0]) => report.findings.filter((f: any) => f.object === readinessUpn(role));
    // in Domain Admins through RD Tier0 Operators (AD) and in the pilot through RD Pilot Wave 1 (Graph): both transitive
    expect(of("tier0")).toContainEqual(expect.objectContaining({ kind: "user-in-denied-group", severity: "blocking", domain: "corp.lab.test", pilotGroup: "WHfB Pilot Users",
        facts: expect.objectContaining({ deniedGroups: expect.arrayContaining(["Domain Admins"]) }) }));
    expect(of("protected")).toEqual([expect.objectContaining({ kind: "user-in-denied-group", facts: expect.objectContaining({ deniedGroups: ["Protected Users"] }) })]);
    expect(of("disabled")).toEqual([expect.objectContaining({ kind: "user-disabled", severity: "blocking", facts: { disabledIn: ["Entra ID", "Active Directory"] } })]);
    expect(of("cloudOnly")).toEqual([expect.objectContaining({ kind: "user-not-synchronised", severity: "blocking" })]);
    expect(of("ready")).toEqual([]);
    expect(report.pilotGroups).toContainEqual(expect.objectContaining({ group: "WHfB Pilot Users", users: 5, usersWithFindings: 4 }));

    // the tenant side: each finding names the profile, the policy, the group or the AD object
    const corp = lab.forests.find((f) => f.name === "corp")!;
    expect(report.findings).toContainEqual({ kind: "intune-conflicting-user-profile", severity: "blocking", object: RD_PROFILE.name,
        facts: { profileId: RD_PROFILE.id, source: "custom OMA-URI", scope: "user", settings: [`./User/Vendor/MSFT/PassportForWork/${lab.emulator.tenantId}/Policies/UsePassportForWork`] } });
    expect(report.findings).toContainEqual({ kind: "ca-mfa-covers-storage-app", severity: "blocking", object: RD_CA_POLICY.name, facts: { policyId: RD_CA_POLICY.id, appId: SEED.storageAppId, includedAs: SEED.storageAppId } });
    expect(report.findings).toContainEqual({ kind: "ca-mfa-covers-storage-app", severity: "blocking", object: "Require MFA for all users", facts: { policyId: SEED.policies.requireMfa, appId: SEED.storageAppId, includedAs: "All" } });
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: "fido2-not-targeting-pilot-group", severity: "warning", object: "WHfB Pilot Users", facts: expect.objectContaining({ groupId: READINESS_PILOT_GROUP_ID, excluded: false }) }));
    const scpDn = `CN=900274c4-b7d2-43c8-90ee-00a9f650e335,CN=AzureAD,CN=System,${corp.baseDn}`;
    expect(report.findings.filter((f: any) => f.kind === "kerberos-server-other-tenant")).toEqual([{ kind: "kerberos-server-other-tenant", severity: "blocking", object: expect.stringMatching(new RegExp(`^${scpDn}$`, "i")), domain: corp.domain,
        facts: { tenantId: RD_OTHER_TENANT_ID, configuredTenantId: lab.emulator.tenantId } }]);

    const table = await cli(["--stack", "readiness", "--dir", dir]);
    expect(table.code).toBe(2);
    expect(table.stdout).toMatch(/^Readiness of tenant .*: BLOCKING/);
    expect(table.stdout).toMatch(new RegExp(`blocking +${readinessUpn("tier0")} .*member of Domain Admins`));
    expect(table.stdout).toMatch(new RegExp(`blocking +${readinessUpn("protected")} .*member of Protected Users`));
    expect(table.stdout).toMatch(new RegExp(`blocking +${readinessUpn("cloudOnly")} .*not synchronised`));
    expect(table.stdout).toMatch(new RegExp(`blocking +${readinessUpn("disabled")} .*disabled in Entra ID, Active Directory`));
    expect(table.stdout).toMatch(new RegExp(`blocking +${RD_PROFILE.name} .*sets ./User/Vendor/MSFT/PassportForWork/.* in user scope`));
    expect(table.stdout).toMatch(new RegExp(`blocking +${RD_CA_POLICY.name} .*does not exclude storage app ${SEED.storageAppId}`));
    expect(table.stdout).toMatch(/warning +WHfB Pilot Users .*FIDO2 method does not target this group/);
    expect(table.stdout).toMatch(new RegExp(`blocking +CN=900274c4[^ ]* +${corp.domain} .*names tenant ${RD_OTHER_TENANT_ID}`, "i"));
});

test("warnings only exit 1: a user synchronised from a domain the stack does not roll out", async () => {
    await seedReadinessLab(lab, { withFailures: false });
    const user = { ...userEntity({ id: "0a1b2c3d-0002-4000-8000-0000000000b1", displayName: "rd-foreign", userPrincipalName: "rd-foreign@entrakerberoslab.onmicrosoft.com" }), onPremisesSecurityIdentifier: "S-1-5-21-900-900-900-1201" };
    const group = groupEntity({ id: "0a1b2c3d-0001-4000-8000-0000000000b1", displayName: "RD Foreign Pilot" });
    await emulatorAdmin(lab, "POST", "/_emulator/seed", { users: [user], groups: [group], groupMembers: [{ id: group.id, members: [user.id] }] });
    const { code, report } = await json("--group", "RD Foreign Pilot");
    expect(report.verdict).toBe("warnings");
    expect(code).toBe(1);
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: "user-domain-not-in-stack", object: "rd-foreign@entrakerberoslab.onmicrosoft.com", pilotGroup: "RD Foreign Pilot" }));
});

test("read only: the emulator saw only GETs, no DC committed a change", async () => {
    await seedReadinessLab(lab, { withFailures: true });
    await emulatorAdmin(lab, "DELETE", "/_emulator/requests");
    const before = await committedUsns();
    const { code } = await json();
    expect(code).toBe(2);
    const requests = await graphRequests();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.method !== "GET")).toEqual([]);
    // the tenant side was read, by GETs too
    for (const p of ["/beta/deviceManagement/configurationPolicies", "/beta/deviceManagement/deviceConfigurations", "/v1.0/identity/conditionalAccess/policies",
        "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2"]) {
        expect(requests.map((r) => r.path)).toContain(p);
    }
    expect(await committedUsns()).toEqual(before);
});

test("a pilot group of 1,200 users is read in two pages ($top=999, nextLink), every user checked", async () => {
    const group = groupEntity({ id: "0a1b2c3d-0001-4000-8000-0000000000c1", displayName: "RD Large Pilot" });
    const users = Array.from({ length: 1200 }, (_, i) => userEntity({ displayName: `rd-bulk ${i}`, userPrincipalName: `rd-bulk-${i}@entrakerberoslab.onmicrosoft.com` }));
    await emulatorAdmin(lab, "POST", "/_emulator/seed", { users, groups: [group], groupMembers: [{ id: group.id, members: users.map((u) => u.id) }] });
    await emulatorAdmin(lab, "DELETE", "/_emulator/requests");
    const { report } = await json("--group", group.id);
    expect(report.pilotGroups).toContainEqual({ group: group.id, id: group.id, users: 1200, usersWithFindings: 1200 });
    expect(report.findings.filter((f: any) => f.pilotGroup === group.id && f.kind === "user-not-synchronised")).toHaveLength(1200);
    expect((await graphRequests()).filter((r) => r.path.endsWith(`/groups/${group.id}/transitiveMembers/microsoft.graph.user`))).toHaveLength(2);
});

test("bad arguments and a missing secret exit 3 naming the flag or the reference, before any request", async () => {
    await emulatorAdmin(lab, "DELETE", "/_emulator/requests");
    const cases: [string[], RegExp][] = [
        [[], /--stack is required/],
        [["--stack", "../readiness"], /--stack "\.\.\/readiness" is not a stack name/],
        [["--stack", "nosuch", "--dir", dir], /--stack nosuch: .*Pulumi\.nosuch\.yaml does not exist/],
        [["--stack", "readiness", "--dir", path.join(dir, "none")], /--dir .* is not a directory/],
        [["--stack", "readiness", "--dir", dir, "--frobnicate"], /unknown flag --frobnicate/],
    ];
    for (const [args, message] of cases) {
        const r = await cli(args);
        expect(r.code).toBe(3);
        expect(r.stderr).toMatch(message);
        expect(r.stdout).toBe("");
    }
    const env = { ...process.env, ...labSecretEnv(lab) };
    delete env[lab.forests[1].adminPasswordEnv];
    const missing = await cli(["--stack", "readiness", "--dir", dir], env);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(new RegExp(`SECRET_NOT_FOUND: secret environment variable "${lab.forests[1].adminPasswordEnv}"`));
    expect(await graphRequests()).toEqual([]);
});

test("no secret of the lab in anything the command printed", () => {
    const all = outputs.join("\n");
    for (const secret of labSecretValues(lab)) expect(all).not.toContain(secret);
});
