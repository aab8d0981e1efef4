// The tenant side of the readiness report (docs/readiness.md): pure rules over Graph-shaped data, the
// shapes of the real exports (docs/sources.md, `real-exports/…`: settings catalog policies,
// custom OMA-URI profiles, conditionalAccessPolicy, fido2AuthenticationMethodConfiguration). The
// reads are in tenant-report.ts; nothing here does I/O.
import { isGuid } from "../core/grammar";
import { CLOUD_KERBEROS_TICKET_RETRIEVAL, DEVICE, SECURITY_KEY_FOR_SIGN_IN, USER_USE_PASSPORT_FOR_WORK } from "../intune/cloud-trust-settings";
import { finding, type Finding } from "./findings";

export type SettingScope = "device" | "user";

/**
 * One key for a setting however it is written: a settings catalog definition id
 * (`device_vendor_msft_passportforwork_{tenantid}_policies_usecloudtrustforonpremauth`) and the
 * OMA-URI of the same CSP node (`./Device/Vendor/MSFT/PassportForWork/<tenant>/Policies/
 * UseCloudTrustForOnPremAuth`) both become `vendor_msft_passportforwork_{tenantid}_policies_
 * usecloudtrustforonpremauth`, with the scope apart: the user variant of a setting is the same
 * setting in another scope. The tenant segment after PassportForWork is a GUID in a custom profile
 * and the literal `{tenantid}` in the catalog (cloud-trust-settings.ts), so both read as `{tenantid}`.
 */
export function settingKey(idOrUri: string): { key: string; scope: SettingScope } | undefined {
    const s = idOrUri.trim().toLowerCase();
    const uri = /^\.\/(device|user)\/(vendor\/msft\/.+)$/.exec(s);
    if (uri) {
        const parts = uri[2].split("/").filter(Boolean);
        const i = parts.indexOf("passportforwork");
        if (i >= 0 && parts[i + 1] && (isGuid(parts[i + 1]) || parts[i + 1] === "{tenantid}")) parts[i + 1] = "{tenantid}";
        return { key: parts.join("_"), scope: uri[1] as SettingScope };
    }
    const def = /^(device|user)_(vendor_msft_.+)$/.exec(s);
    return def ? { key: def[2], scope: def[1] as SettingScope } : undefined;
}

/** The settings the cloud trust profile sets (cloud-trust-settings.ts), in either scope: another profile setting one conflicts. */
export const CLOUD_TRUST_SETTING_KEYS: ReadonlySet<string> = new Set(
    [...Object.values(DEVICE), USER_USE_PASSPORT_FOR_WORK, SECURITY_KEY_FOR_SIGN_IN, CLOUD_KERBEROS_TICKET_RETRIEVAL].map((d) => settingKey(d)!.key),
);

/** A profile of the tenant as the rules see it: its settings as written, and the groups it is assigned to. */
export interface ProfileView {
    id: string;
    name: string;
    source: "settings catalog" | "Account Protection template" | "custom OMA-URI";
    /** settingDefinitionIds (settings catalog) or OMA-URIs (custom) */
    settings: string[];
    assignedGroupIds: string[];
}

/** Every settingDefinitionId in a settings catalog policy's settings, children included (groups hold their settings as children). */
export function definitionIdsOf(settings: readonly unknown[]): string[] {
    const out: string[] = [];
    const walk = (v: unknown): void => {
        if (Array.isArray(v)) { v.forEach(walk); return; }
        if (!v || typeof v !== "object") return;
        for (const [k, x] of Object.entries(v)) {
            if (k === "settingDefinitionId" && typeof x === "string") out.push(x);
            else walk(x);
        }
    };
    walk(settings);
    return [...new Set(out)];
}

/** The group ids an Intune assignment list targets (groupAssignmentTarget; exclusions and all-devices targets are not groups of the pilot). */
export function assignedGroupIdsOf(assignments: readonly any[]): string[] {
    return assignments.map((a) => a?.target).filter((t) => t && String(t["@odata.type"]).endsWith("groupAssignmentTarget") && typeof t.groupId === "string")
        .map((t) => String(t.groupId));
}

export interface IntuneInput {
    /** the stack's cloud trust profile (cloudTrustPolicy): its name, scope and the ids of its assigned groups */
    own?: { displayName: string; scope: "device" | "user" | "both"; groupIds: string[] };
    profiles: readonly ProfileView[];
}

/**
 * The stack's own profile (a settings catalog policy of its displayName), whether it is assigned to
 * its groups, and every other profile that sets a cloud trust setting. In Intune the user scope wins
 * over the device scope for Windows Hello for Business (seed 003: "Tenant wide settings" over "User"
 * and lastly "Device"), so another profile setting one in user scope overrides a device-scope cloud
 * trust profile silently: blocking. The same setting in the same scope is a conflict Intune reports
 * on the device (the setting is not applied where the values differ): a warning.
 */
export function intuneFindings(input: IntuneInput): { own?: ProfileView; findings: Finding[] } {
    const findings: Finding[] = [];
    const own = input.own && input.profiles.find((p) => p.source !== "custom OMA-URI" && p.name === input.own!.displayName);
    if (input.own && !own) findings.push(finding("intune-profile-absent", input.own.displayName));
    if (input.own && own && input.own.groupIds.length > 0 && !input.own.groupIds.some((g) => own.assignedGroupIds.some((a) => a.toLowerCase() === g.toLowerCase()))) {
        findings.push(finding("intune-profile-not-assigned", own.name, { facts: { profileId: own.id, groupIds: input.own.groupIds, assignedGroupIds: own.assignedGroupIds } }));
    }
    const ownScope = input.own?.scope ?? "device";
    for (const p of input.profiles) {
        if (p === own) continue;
        for (const scope of ["user", "device"] as const) {
            const hits = p.settings.filter((s) => { const k = settingKey(s); return k?.scope === scope && CLOUD_TRUST_SETTING_KEYS.has(k.key); });
            if (hits.length === 0) continue;
            const kind = scope === "user" && ownScope === "device" ? "intune-conflicting-user-profile" : "intune-conflicting-profile";
            findings.push(finding(kind, p.name, { facts: { profileId: p.id, source: p.source, scope, settings: hits } }));
        }
    }
    return { own, findings };
}

/** A conditionalAccessPolicy as Graph v1.0 returns it (the fields the rule reads). */
export interface CaPolicyView {
    id: string;
    displayName: string;
    state: string;
    conditions?: { applications?: { includeApplications?: string[]; excludeApplications?: string[] } | null } | null;
    grantControls?: { builtInControls?: string[]; authenticationStrength?: unknown } | null;
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Every enabled policy that requires MFA (builtInControls `mfa`, or an authenticationStrength: both
 * are grant controls of conditionalAccessGrantControls in graph-v1.0-csdl.xml) and whose
 * applications include a storage app (by appId, or `All`) without excluding it: the Kerberos ticket
 * request for that app cannot satisfy MFA, so the file share is refused. A report-only policy
 * (`enabledForReportingButNotEnforced`) enforces nothing yet, but will when switched on: a warning.
 * `storageApps` are the appIds the stack's conditionalAccessExclusions exclude (names are not resolved here).
 */
export function conditionalAccessFindings(policies: readonly CaPolicyView[], storageApps: readonly string[]): Finding[] {
    const out: Finding[] = [];
    for (const p of policies) {
        if (p.state !== "enabled" && p.state !== "enabledForReportingButNotEnforced") continue;
        const g = p.grantControls;
        if (!g || !((g.builtInControls ?? []).includes("mfa") || g.authenticationStrength)) continue;
        const include = p.conditions?.applications?.includeApplications ?? [];
        const exclude = p.conditions?.applications?.excludeApplications ?? [];
        for (const app of storageApps) {
            const covered = include.some((a) => a === "All" || sameId(a, app));
            if (!covered || exclude.some((a) => sameId(a, app))) continue;
            const kind = p.state === "enabled" ? "ca-mfa-covers-storage-app" : "ca-report-only-mfa-covers-storage-app";
            out.push(finding(kind, p.displayName, { facts: { policyId: p.id, appId: app, includedAs: include.includes("All") ? "All" : app } }));
        }
    }
    return out;
}

/** The fido2AuthenticationMethodConfiguration as Graph v1.0 returns it (the fields the rule reads). */
export interface Fido2View {
    state?: string;
    includeTargets?: { id: string; targetType?: string }[];
    excludeTargets?: { id: string; targetType?: string }[];
}

/**
 * The FIDO2 method off, or a pilot group it does not include (directly or through `all_users`,
 * the includeTarget id for every user) or excludes: its users cannot sign in with a security key.
 * Windows Hello for Business itself works without it, so each is a warning.
 */
export function fido2Findings(config: Fido2View, groups: readonly { group: string; id: string }[]): Finding[] {
    if (config.state !== "enabled") return [finding("fido2-disabled", "fido2", { facts: { state: String(config.state ?? "") } })];
    const has = (list: Fido2View["includeTargets"], id: string) => (list ?? []).some((t) => sameId(t.id, id));
    const out: Finding[] = [];
    for (const { group, id } of groups) {
        const excluded = has(config.excludeTargets, id);
        if (!excluded && (has(config.includeTargets, "all_users") || has(config.includeTargets, id))) continue;
        out.push(finding("fido2-not-targeting-pilot-group", group, { pilotGroup: group, facts: { groupId: id, excluded, includeTargets: (config.includeTargets ?? []).map((t) => t.id) } }));
    }
    return out;
}

/**
 * The domain's Kerberos server objects show another tenant: the SCP's keywords `Id` is the tenant id
 * the objects were made for (the lab publisher writes it so; docs/sources.md, Kerberos §1, leaves its
 * meaning unverified: an assumption, see docs/readiness.md). Compared only when both are GUIDs.
 */
export function otherTenantFindings(domain: string, scp: { dn?: string; id?: string } | undefined, tenantId: string): Finding[] {
    if (!scp?.dn || !scp.id || !isGuid(scp.id) || !isGuid(tenantId) || sameId(scp.id, tenantId)) return [];
    return [finding("kerberos-server-other-tenant", scp.dn, { domain, facts: { tenantId: scp.id, configuredTenantId: tenantId } })];
}
