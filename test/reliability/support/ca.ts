// A Conditional Access policy "another team" owns, seeded through the emulator's admin API with an
// exclusion of theirs already on it (Break Glass Admins), and its exclusion lists as stored.
import { randomBytes } from "node:crypto";
import { SEED } from "../../../lab/emulator";
import type { LabInfo } from "../../../lab/layout";
import { emulatorAdmin, tenantState } from "./lab";

export async function seedForeignPolicy(lab: LabInfo, displayName: string): Promise<string> {
    const id = `0a1b2c3d-0009-4000-8000-${randomBytes(6).toString("hex")}`;
    await emulatorAdmin(lab, "POST", "/_emulator/seed", { policies: [{
        id, templateId: null, displayName, createdDateTime: new Date().toISOString(), modifiedDateTime: null, state: "enabledForReportingButNotEnforced", sessionControls: null,
        conditions: {
            userRiskLevels: [], signInRiskLevels: [], clientAppTypes: ["all"], servicePrincipalRiskLevels: [], insiderRiskLevels: null,
            platforms: null, locations: null, devices: null, clientApplications: null, authenticationFlows: null,
            applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [], applicationFilter: null },
            users: { includeUsers: ["All"], excludeUsers: [], includeGroups: [], excludeGroups: [SEED.groups.breakGlassAdmins], includeRoles: [], excludeRoles: [], includeGuestsOrExternalUsers: null, excludeGuestsOrExternalUsers: null },
        },
        grantControls: { operator: "OR", builtInControls: ["mfa"], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
    }] });
    return id;
}

/** The policy's excluded groups, apps and users as the emulator stores them (undefined when it is gone). */
export async function policyExclusions(lab: LabInfo, id: string): Promise<{ groups: string[]; apps: string[]; users: string[] } | undefined> {
    const p = (await tenantState(lab)).policies?.find((x: any) => x.id === id);
    return p && { groups: p.conditions.users.excludeGroups, apps: p.conditions.applications.excludeApplications, users: p.conditions.users.excludeUsers };
}
