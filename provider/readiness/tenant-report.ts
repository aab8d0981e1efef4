// The tenant side of the readiness report: Intune profiles, Conditional Access policies and the FIDO2
// method, read with GETs only (the resources' own readers where they have one) and judged by
// tenant-rules.ts. A section that cannot be read is a finding; the others are still reported.
import type { CloudKerberosTrustSpec } from "../components/cloud-kerberos-trust-types";
import { isGuid } from "../core/grammar";
import { graphListAll, graphRequest, type GraphClient } from "../graph";
import { readPolicy } from "../intune/configuration-policies";
import { CUSTOM_CONFIGURATION } from "../intune/device-configurations";
import { finding, type Finding } from "./findings";
import type { PilotGroupReport } from "./pilot-report";
import {
    assignedGroupIdsOf, conditionalAccessFindings, definitionIdsOf, fido2Findings, intuneFindings, type CaPolicyView, type Fido2View, type ProfileView,
} from "./tenant-rules";

export interface TenantReport {
    /** the stack's cloud trust profile, when the tenant has it */
    cloudTrustProfile?: { id: string; name: string; assignedGroupIds: string[] };
    /** settings catalog policies and custom profiles read */
    intuneProfilesRead?: number;
    conditionalAccessPoliciesRead?: number;
    fido2State?: string;
}

const WHO = "readiness";
/**
 * The endpoint security Account Protection template's id (templateReference.templateId without its
 * version suffix, from the real export oib-settings-catalog-whfb-configuration-template-v3.2.json):
 * its policies are settings catalog policies with the same definition ids, named apart in findings.
 */
const ACCOUNT_PROTECTION_TEMPLATE = "fcef01f2-439d-4c3f-9184-823fd6e97646";
const FIDO2_PATH = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2";

/** Every settings catalog policy (each read whole: settings and assignments) and every custom OMA-URI profile. */
async function readProfiles(gc: GraphClient): Promise<ProfileView[]> {
    const listed = await graphListAll<any>(gc, { version: "beta", path: "/deviceManagement/configurationPolicies", query: { $select: "id,name" }, description: `${WHO}: list settings catalog policies` });
    const views: ProfileView[] = [];
    for (const p of listed) {
        const policy = await readPolicy(gc, String(p.id), WHO);
        if (policy) views.push({ id: policy.id, name: policy.name, source: policy.templateId.startsWith(ACCOUNT_PROTECTION_TEMPLATE) ? "Account Protection template" : "settings catalog", settings: definitionIdsOf(policy.settings), assignedGroupIds: assignedGroupIdsOf(policy.assignments) });
    }
    // the list carries omaSettings (the deviceConfiguration entity's own property); assignments are not needed for a conflict
    const custom = await graphListAll<any>(gc, { version: "beta", path: "/deviceManagement/deviceConfigurations", description: `${WHO}: list device configuration profiles` });
    for (const d of custom.filter((x) => x["@odata.type"] === CUSTOM_CONFIGURATION)) {
        views.push({ id: String(d.id), name: String(d.displayName), source: "custom OMA-URI", settings: (d.omaSettings ?? []).map((s: any) => String(s.omaUri ?? "")), assignedGroupIds: [] });
    }
    return views;
}

/** The appIds the stack excludes from Conditional Access: its storage apps. Names and keywords are left to the exclusion resource. */
export function storageAppsOf(spec: CloudKerberosTrustSpec): string[] {
    const ids = (spec.conditionalAccessExclusions ?? []).flatMap((e) => e.excludeApplications ?? []).filter((a) => isGuid(a));
    return ids.filter((a, i) => ids.findIndex((b) => b.toLowerCase() === a.toLowerCase()) === i);
}

const idsOf = (names: readonly string[], groups: readonly PilotGroupReport[]) =>
    names.flatMap((n) => groups.filter((g) => g.id && g.group.toLowerCase() === n.toLowerCase()).map((g) => ({ group: g.group, id: g.id! })));

async function section(name: string, findings: Finding[], work: () => Promise<void>, scrub: (e: unknown) => string): Promise<void> {
    try { await work(); } catch (e) { findings.push(finding("tenant-section-unreadable", name, { facts: { error: scrub(e) } })); }
}

/** The tenant section; `pilotGroups` are the resolved pilot groups (their ids place the assignments and FIDO2 targets). */
export async function reportTenant(gc: GraphClient, spec: CloudKerberosTrustSpec, pilotGroups: readonly PilotGroupReport[], extraGroups: readonly string[],
    scrub: (e: unknown) => string, progress: (line: string) => void): Promise<{ report: TenantReport; findings: Finding[] }> {
    const report: TenantReport = {};
    const findings: Finding[] = [];
    await section("intune", findings, async () => {
        progress("tenant: reading Intune profiles");
        const profiles = await readProfiles(gc);
        const ctp = spec.cloudTrustPolicy;
        const own = ctp && { displayName: ctp.displayName, scope: ctp.scope ?? "device", groupIds: idsOf(ctp.assignments?.includeGroups ?? [], pilotGroups).map((g) => g.id) };
        const r = intuneFindings({ own, profiles });
        report.intuneProfilesRead = profiles.length;
        if (r.own) report.cloudTrustProfile = { id: r.own.id, name: r.own.name, assignedGroupIds: r.own.assignedGroupIds };
        findings.push(...r.findings);
    }, scrub);
    await section("conditional access", findings, async () => {
        progress("tenant: reading Conditional Access policies");
        const policies = await graphListAll<CaPolicyView>(gc, { version: "v1.0", path: "/identity/conditionalAccess/policies", description: `${WHO}: list Conditional Access policies` });
        report.conditionalAccessPoliciesRead = policies.length;
        findings.push(...conditionalAccessFindings(policies, storageAppsOf(spec)));
    }, scrub);
    const fido2Groups = idsOf([...(spec.fido2SecurityKeyMethod?.includeGroups ?? []), ...extraGroups], pilotGroups)
        .filter((g, i, all) => all.findIndex((h) => h.id === g.id) === i);
    // a stack that does not use security keys and names no extra group has nothing to check here
    if (spec.fido2SecurityKeyMethod || fido2Groups.length > 0) {
        await section("fido2", findings, async () => {
            progress("tenant: reading the FIDO2 method");
            const config = await graphRequest<Fido2View>(gc, { method: "GET", version: "v1.0", path: FIDO2_PATH, description: `${WHO}: read the FIDO2 method` });
            report.fido2State = String(config.state ?? "");
            findings.push(...fido2Findings(config, fido2Groups));
        }, scrub);
    }
    return { report, findings };
}
