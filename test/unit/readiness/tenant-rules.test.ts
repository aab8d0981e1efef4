// The tenant rules over Graph's own shapes: the real exports under ../shared/fixtures/graph/real-exports
// (settings catalog policies, the Account Protection template, a custom OMA-URI profile, CA policies,
// assignments), changed only where a case needs it.
import { realExport } from "../../contract/artefacts/fixtures";
import {
    assignedGroupIdsOf, conditionalAccessFindings, definitionIdsOf, fido2Findings, intuneFindings, otherTenantFindings, settingKey, type ProfileView,
} from "../../../provider/readiness/tenant-rules";

const TENANT = "11111111-2222-4333-8444-555555555555";
const OTHER = "99999999-2222-4333-8444-555555555555";
const STORAGE = "0a1b2c3d-0004-4000-8000-000000000001";
const PILOT = "0a1b2c3d-0001-4000-8000-00000000000a";

const catalog = (file: string, id: string, over: Partial<ProfileView> = {}): ProfileView => {
    const p = realExport(file);
    return { id, name: p.name, source: "settings catalog", settings: definitionIdsOf(p.settings), assignedGroupIds: [], ...over };
};
const custom = (omaUris?: string[]): ProfileView => {
    const d = realExport("oib-custom-omauri-whfb-hybrid-cloud-trust-2022.json");
    return { id: d.id, name: d.displayName, source: "custom OMA-URI", settings: omaUris ?? d.omaSettings.map((s: any) => s.omaUri), assignedGroupIds: [] };
};
const OWN = { displayName: "Win - OIB - SC - Windows Hello for Business - D - Cloud Kerberos Trust - v3.5", scope: "device" as const, groupIds: [PILOT] };

test("a definition id and the OMA-URI of the same CSP node are one setting, the scope apart; the tenant segment reads as {tenantid}", () => {
    const key = "vendor_msft_passportforwork_{tenantid}_policies_usecloudtrustforonpremauth";
    expect(settingKey("device_vendor_msft_passportforwork_{tenantid}_policies_usecloudtrustforonpremauth")).toEqual({ key, scope: "device" });
    expect(settingKey("./Device/Vendor/MSFT/PassportForWork/{TenantID}/Policies/UseCloudTrustForOnPremAuth")).toEqual({ key, scope: "device" });
    expect(settingKey(`./User/Vendor/MSFT/PassportForWork/${TENANT}/Policies/UseCloudTrustForOnPremAuth`)).toEqual({ key, scope: "user" });
    expect(settingKey("./Device/Vendor/MSFT/Policy/Config/Kerberos/CloudKerberosTicketRetrievalEnabled")?.key).toBe("vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled");
    expect(settingKey("not a setting")).toBeUndefined();
});

test("the settings of a real settings catalog export are found in its group's children", () => {
    expect(definitionIdsOf(realExport("oib-settings-catalog-cloud-kerberos-trust-v3.5.json").settings)).toEqual(expect.arrayContaining([
        "device_vendor_msft_passportforwork_{tenantid}", "device_vendor_msft_passportforwork_{tenantid}_policies_usecloudtrustforonpremauth",
        "device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled",
    ]));
});

test("the stack's own profile, assigned to its group, with no other profile: no finding", () => {
    const own = catalog("oib-settings-catalog-cloud-kerberos-trust-v3.5.json", "p1", { assignedGroupIds: [PILOT] });
    expect(intuneFindings({ own: OWN, profiles: [own] })).toEqual({ own, findings: [] });
});

test("the own profile absent is info; present but assigned elsewhere is a warning naming both group lists", () => {
    expect(intuneFindings({ own: OWN, profiles: [] }).findings).toEqual([{ kind: "intune-profile-absent", severity: "info", object: OWN.displayName }]);
    const own = catalog("oib-settings-catalog-cloud-kerberos-trust-v3.5.json", "p1", { assignedGroupIds: ["other"] });
    expect(intuneFindings({ own: OWN, profiles: [own] }).findings).toEqual([{ kind: "intune-profile-not-assigned", severity: "warning", object: OWN.displayName,
        facts: { profileId: "p1", groupIds: [PILOT], assignedGroupIds: ["other"] } }]);
});

test("a user-scope OMA-URI profile setting a cloud trust setting blocks, naming the profile, its id and the setting as written", () => {
    const uri = `./User/Vendor/MSFT/PassportForWork/${TENANT}/Policies/UsePassportForWork`;
    const other = custom([uri, "./Device/Vendor/MSFT/Policy/Config/Start/HideSleep"]);
    const r = intuneFindings({ own: OWN, profiles: [catalog("oib-settings-catalog-cloud-kerberos-trust-v3.5.json", "p1", { assignedGroupIds: [PILOT] }), other] });
    expect(r.findings).toEqual([{ kind: "intune-conflicting-user-profile", severity: "blocking", object: other.name, facts: { profileId: other.id, source: "custom OMA-URI", scope: "user", settings: [uri] } }]);
});

test("the same settings in the same scope (the real OMA-URI profile, the Account Protection template) are warnings; a user-scope own profile makes a user one a warning too", () => {
    const template = catalog("oib-settings-catalog-whfb-configuration-template-v3.2.json", "t1", { source: "Account Protection template" });
    const r = intuneFindings({ own: OWN, profiles: [custom(), template] });
    expect(r.findings.map((f) => [f.kind, f.object, f.facts?.source, f.facts?.settings])).toEqual([
        ["intune-profile-absent", OWN.displayName, undefined, undefined],
        ["intune-conflicting-profile", "Windows Hello for Business Hybrid Cloud Trust", "custom OMA-URI", ["./Device/Vendor/MSFT/PassportForWork/{TenantID}/Policies/UseCloudTrustForOnPremAuth"]],
        ["intune-conflicting-profile", template.name, "Account Protection template", expect.arrayContaining([
            "device_vendor_msft_passportforwork_{tenantid}_policies_usecertificateforonpremauth", "device_vendor_msft_passportforwork_{tenantid}_policies_usepassportforwork"])],
    ]);
    const user = custom([`./User/Vendor/MSFT/PassportForWork/${TENANT}/Policies/UsePassportForWork`]);
    expect(intuneFindings({ own: { ...OWN, scope: "user" }, profiles: [user] }).findings.map((f) => f.kind)).toEqual(["intune-profile-absent", "intune-conflicting-profile"]);
});

test("assignments: group targets only (the real assignment objects), all-devices targets are no group", () => {
    const all = Object.values(realExport("intune-docs-configurationPolicy-assignments.json").assignments).flat() as any[];
    const ids = assignedGroupIdsOf(all);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual(all.filter((a) => a.target["@odata.type"] === "#microsoft.graph.groupAssignmentTarget").map((a) => a.target.groupId));
});

const mfaAllUsers = () => ({ id: "ca1", ...realExport("ca-jhope188-ACME_-_GLOBAL_-_GRANT_-_MFA_-_AllUsers.json") });

test("an enabled MFA policy on All apps without the storage app's exclusion blocks; excluding it clears it", () => {
    const p = mfaAllUsers();
    expect(conditionalAccessFindings([p], [STORAGE])).toEqual([{ kind: "ca-mfa-covers-storage-app", severity: "blocking", object: p.displayName, facts: { policyId: "ca1", appId: STORAGE, includedAs: "All" } }]);
    p.conditions.applications.excludeApplications.push(STORAGE.toUpperCase());
    expect(conditionalAccessFindings([p], [STORAGE])).toEqual([]);
});

test("the app named directly, an authentication strength, report-only (a warning), disabled and non-MFA policies", () => {
    const named = mfaAllUsers();
    named.conditions.applications.includeApplications = [STORAGE];
    named.grantControls = { ...named.grantControls, builtInControls: [], authenticationStrength: { id: "00000000-0000-0000-0000-000000000002" } };
    expect(conditionalAccessFindings([named], [STORAGE]).map((f) => [f.kind, f.facts?.includedAs])).toEqual([["ca-mfa-covers-storage-app", STORAGE]]);
    expect(conditionalAccessFindings([{ ...mfaAllUsers(), state: "enabledForReportingButNotEnforced" }], [STORAGE]).map((f) => [f.kind, f.severity])).toEqual([["ca-report-only-mfa-covers-storage-app", "warning"]]);
    expect(conditionalAccessFindings([{ ...mfaAllUsers(), state: "disabled" }], [STORAGE])).toEqual([]);
    const block = { id: "ca2", ...realExport("ca-jhope188-ACME-_ZTCA_-_GLOBAL___BLOCK___Admin_Portal.json") };
    expect(block.grantControls.builtInControls).not.toContain("mfa");
    expect(conditionalAccessFindings([block], [STORAGE])).toEqual([]);
    expect(conditionalAccessFindings([mfaAllUsers()], [])).toEqual([]);
});

const fido2 = (includeTargets: { id: string }[], over: object = {}) => ({ state: "enabled", includeTargets, excludeTargets: [] as { id: string }[], ...over });

test("FIDO2: targeting the group or all_users is fine; off, not targeting or excluding the group is a warning naming it", () => {
    const groups = [{ group: "Pilot", id: PILOT }];
    expect(fido2Findings(fido2([{ id: PILOT.toUpperCase() }]), groups)).toEqual([]);
    expect(fido2Findings(fido2([{ id: "all_users" }]), groups)).toEqual([]);
    expect(fido2Findings(fido2([{ id: PILOT }], { state: "disabled" }), groups)).toEqual([{ kind: "fido2-disabled", severity: "warning", object: "fido2", facts: { state: "disabled" } }]);
    expect(fido2Findings(fido2([{ id: "helpdesk" }]), groups)).toEqual([{ kind: "fido2-not-targeting-pilot-group", severity: "warning", object: "Pilot", pilotGroup: "Pilot",
        facts: { groupId: PILOT, excluded: false, includeTargets: ["helpdesk"] } }]);
    expect(fido2Findings(fido2([{ id: "all_users" }], { excludeTargets: [{ id: PILOT }] }), groups).map((f) => f.facts?.excluded)).toEqual([true]);
});

test("another tenant's id in the SCP keywords blocks, naming the SCP's DN; the configured tenant, no SCP or a non-GUID Id do not", () => {
    const dn = "CN=900274c4-b7d2-43c8-90ee-00a9f650e335,CN=AzureAD,CN=System,DC=corp,DC=example";
    expect(otherTenantFindings("corp.example", { dn, id: OTHER }, TENANT)).toEqual([{ kind: "kerberos-server-other-tenant", severity: "blocking", object: dn, domain: "corp.example",
        facts: { tenantId: OTHER, configuredTenantId: TENANT } }]);
    expect(otherTenantFindings("corp.example", { dn, id: TENANT.toUpperCase() }, TENANT)).toEqual([]);
    expect(otherTenantFindings("corp.example", undefined, TENANT)).toEqual([]);
    expect(otherTenantFindings("corp.example", { dn, id: "7" }, TENANT)).toEqual([]);
    expect(otherTenantFindings("corp.example", { dn, id: OTHER }, "contoso.onmicrosoft.com")).toEqual([]);
});
