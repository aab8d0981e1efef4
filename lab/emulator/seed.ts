// The lab tenant as `lab up` creates it: fixed ids (so lab.json, docs and tests can name them),
// the lab automation app with every permission the product needs, a few groups (one name used
// twice, for ambiguity tests), users, service principals, two CA policies the product does not
// own, and the FIDO2 method configuration with a target the product does not own. The app's
// secret is NOT here: it is generated per lab start and handed in by the caller.
import { defaultSettingDefinitions } from "./catalog";
import { fido2Configuration } from "./routes/authentication-methods";
import { groupEntity, servicePrincipalEntity, userEntity, type TenantData } from "./state";
import type { EmulatorApp } from "./types";

export const LAB_TENANT_ID = "7b0f2c3e-5d1a-4c8e-9f60-1a2b3c4d5e6f";
export const LAB_TENANT_DOMAIN = "entrakerberoslab.onmicrosoft.com";
export const LAB_APP_CLIENT_ID = "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c";
export const LAB_APP_DISPLAY_NAME = "Entra Kerberos Lab Automation";
/** Environment variable through which the lab CLI hands the per-start client secret to the emulator process. */
export const LAB_APP_SECRET_ENV = "LAB_GRAPH_CLIENT_SECRET";

/** Graph application permissions the product needs (docs/sources.md, Graph §4, §5). */
export const LAB_APP_ROLES = [
    "DeviceManagementConfiguration.ReadWrite.All",
    "Policy.Read.All",
    "Policy.ReadWrite.ConditionalAccess",
    "Policy.ReadWrite.AuthenticationMethod",
    "Application.Read.All",
    "Group.Read.All",
    "User.Read.All",
    "AuditLog.Read.All",
    "Organization.Read.All",
];

export const SEED = {
    groups: {
        whfbPilot: "0a1b2c3d-0001-4000-8000-000000000001",
        whfbPilotUsers: "0a1b2c3d-0001-4000-8000-000000000002",
        breakGlassAdmins: "0a1b2c3d-0001-4000-8000-000000000003",
        storageUsers: "0a1b2c3d-0001-4000-8000-000000000004",
        helpdeskA: "0a1b2c3d-0001-4000-8000-000000000005",
        helpdeskB: "0a1b2c3d-0001-4000-8000-000000000006",
    },
    users: {
        admin: "0a1b2c3d-0002-4000-8000-000000000001",
        alice: "0a1b2c3d-0002-4000-8000-000000000002",
        bob: "0a1b2c3d-0002-4000-8000-000000000003",
        breakGlass: "0a1b2c3d-0002-4000-8000-000000000004",
    },
    servicePrincipals: {
        labApp: "0a1b2c3d-0003-4000-8000-000000000001",
        storage: "0a1b2c3d-0003-4000-8000-000000000002",
        graph: "0a1b2c3d-0003-4000-8000-000000000003",
    },
    storageAppId: "0a1b2c3d-0004-4000-8000-000000000001",
    storageAccountHost: "labstorage.file.core.windows.net",
    policies: {
        requireMfa: "0a1b2c3d-0005-4000-8000-000000000001",
        blockLegacy: "0a1b2c3d-0005-4000-8000-000000000002",
    },
} as const;

/** The lab automation app; the caller supplies the per-start secret. */
export function labApp(clientSecret: string | undefined): EmulatorApp {
    return { clientId: LAB_APP_CLIENT_ID, displayName: LAB_APP_DISPLAY_NAME, clientSecret, roles: [...LAB_APP_ROLES] };
}

const CREATED = "2024-01-15T09:00:00Z";

function caUsers(over: Record<string, unknown>) {
    return {
        includeUsers: [], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [],
        includeGuestsOrExternalUsers: null, excludeGuestsOrExternalUsers: null, ...over,
    };
}

/** A v1.0 conditionalAccessPolicy with the properties the v1.0 CSDL defines for it (graph-v1.0-csdl.xml), as the real exports hold them. */
function caPolicy(id: string, displayName: string, state: string, conditions: Record<string, unknown>, grant: string[]) {
    return {
        id, templateId: null, displayName, description: null, createdDateTime: CREATED, modifiedDateTime: null, deletedDateTime: null, state,
        sessionControls: null,
        conditions: {
            userRiskLevels: [], signInRiskLevels: [], clientAppTypes: ["all"], servicePrincipalRiskLevels: [],
            insiderRiskLevels: null, platforms: null, locations: null, devices: null, clientApplications: null,
            authenticationFlows: null, ...conditions,
        },
        grantControls: { operator: "OR", builtInControls: grant, customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
    };
}

export function seedTenant(tenantId: string, apps: EmulatorApp[] = []): TenantData {
    const g = SEED.groups, u = SEED.users;
    const groups = [
        groupEntity({ id: g.whfbPilot, displayName: "WHfB Pilot", description: "Devices in the Windows Hello for Business cloud trust pilot" }),
        groupEntity({ id: g.whfbPilotUsers, displayName: "WHfB Pilot Users" }),
        groupEntity({ id: g.breakGlassAdmins, displayName: "Break Glass Admins", description: "Emergency access accounts" }),
        groupEntity({ id: g.storageUsers, displayName: "Storage Users", onPremisesSecurityIdentifier: "S-1-5-21-1004336348-1177238915-682003330-1105" }),
        groupEntity({ id: g.helpdeskA, displayName: "Helpdesk Operators", description: "EMEA" }),
        groupEntity({ id: g.helpdeskB, displayName: "Helpdesk Operators", description: "Americas" }),
    ];
    const users = [
        userEntity({ id: u.admin, displayName: "Lab Admin", userPrincipalName: `admin@${LAB_TENANT_DOMAIN}` }),
        userEntity({ id: u.alice, displayName: "Alice Pilot", userPrincipalName: `alice@${LAB_TENANT_DOMAIN}` }),
        userEntity({ id: u.bob, displayName: "Bob Storage", userPrincipalName: `bob@${LAB_TENANT_DOMAIN}` }),
        userEntity({ id: u.breakGlass, displayName: "Break Glass 1", userPrincipalName: `breakglass1@${LAB_TENANT_DOMAIN}` }),
    ];
    const host = SEED.storageAccountHost;
    const servicePrincipals = [
        servicePrincipalEntity({ id: SEED.servicePrincipals.labApp, appId: LAB_APP_CLIENT_ID, displayName: LAB_APP_DISPLAY_NAME }),
        servicePrincipalEntity({
            id: SEED.servicePrincipals.storage, appId: SEED.storageAppId, displayName: `[Storage Account] ${host}`,
            servicePrincipalNames: [SEED.storageAppId, `api://${SEED.storageAppId}`, `HTTP/${host}`, `CIFS/${host}`, `cifs/${host}`],
        }),
        servicePrincipalEntity({ id: SEED.servicePrincipals.graph, appId: "00000003-0000-0000-c000-000000000000", displayName: "Microsoft Graph", servicePrincipalNames: ["https://graph.microsoft.com"] }),
    ];
    for (const a of apps) {
        if (!servicePrincipals.some((s) => s.appId === a.clientId)) {
            servicePrincipals.push(servicePrincipalEntity({ appId: a.clientId, displayName: a.displayName ?? a.clientId }));
        }
    }
    const policies = [
        caPolicy(SEED.policies.requireMfa, "Require MFA for all users", "enabled", {
            applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [], applicationFilter: null },
            users: caUsers({ includeUsers: ["All"], excludeUsers: [u.breakGlass], excludeGroups: [g.breakGlassAdmins] }),
        }, ["mfa"]),
        caPolicy(SEED.policies.blockLegacy, "Block legacy auth", "enabled", {
            clientAppTypes: ["exchangeActiveSync", "other"],
            applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [], applicationFilter: null },
            users: caUsers({ includeUsers: ["All"], excludeGroups: [g.breakGlassAdmins] }),
        }, ["block"]),
    ];
    return {
        organization: [{
            id: tenantId,
            displayName: "Entra Kerberos Lab",
            tenantType: "AAD",
            countryLetterCode: "US",
            createdDateTime: CREATED,
            onPremisesSyncEnabled: true,
            onPremisesLastSyncDateTime: null,
            verifiedDomains: [{ capabilities: "Email, OfficeCommunicationsOnline", isDefault: true, isInitial: true, name: LAB_TENANT_DOMAIN, type: "Managed" }],
            technicalNotificationMails: [],
        }],
        groups, users, servicePrincipals, policies,
        configurationPolicies: [],
        configurationSettings: defaultSettingDefinitions(),
        deviceConfigurations: [],
        // FIDO2 already on for a group someone else manages: the foreign target every test keeps
        authenticationMethodConfigurations: [fido2Configuration([{ id: g.helpdeskA, targetType: "group" }])],
        directoryAudits: [],
        // no memberships (the CSDL's group navigations members/transitiveMembers, see state.ts): the
        // readiness tests seed theirs (lab/readiness-seed.ts), other tests need none
        groupMembers: [],
    };
}
