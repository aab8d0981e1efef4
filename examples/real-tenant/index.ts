// A real tenant and a real forest. @pulumi/azuread owns the pilot group and the MFA Conditional
// Access policy; pulumi-entra-kerberos owns the Kerberos servers, the Intune profile and only the
// exclusions it adds to that policy. The policy's `ignoreChanges` on the exclusion lists keeps the
// two from fighting: azuread would otherwise remove, on every `up`, the exclusions the
// ConditionalAccessExclusion added (and the other way round on refresh).
//
// What it needs (README, "Real environment"): an app registration trusted by this repository's
// GitHub Actions OIDC token (Graph application permissions Policy.Read.All,
// Policy.ReadWrite.ConditionalAccess, Application.Read.All, Group.Read.All, User.Read.All,
// DeviceManagementConfiguration.ReadWrite.All, AuditLog.Read.All), a bind account per domain that
// may create the Kerberos server objects, and a Windows host with the
// AzureADHybridAuthenticationManagement module reachable over SSH. Secrets come from the pipeline's
// secret store as environment variables, referenced below by name only.
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { CloudKerberosTrust, type KerberosPublisher } from "pulumi-entra-kerberos";

const config = new pulumi.Config();
const tenantId = config.require("tenantId");
const clientId = config.require("clientId");             // the app the workflow's OIDC token is trusted by
const hybridAdmin = config.require("hybridAdminUpn");    // a Hybrid Identity Administrator for Set-AzureADKerberosServer
const corpCa = config.require("corpCaCertificate");      // PEM of the CA that issued the DCs' LDAPS certificates

const pilot = new azuread.Group("whfb-pilot", {
    displayName: "WHfB cloud trust pilot",
    securityEnabled: true,
    description: "Devices in the Windows Hello for Business cloud Kerberos trust pilot",
});
const breakGlass = azuread.getGroupOutput({ displayName: "Break Glass Admins" });

const mfa = new azuread.ConditionalAccessPolicy("require-mfa", {
    displayName: "Require MFA for all users",
    state: "enabled",
    conditions: {
        clientAppTypes: ["all"],
        applications: { includedApplications: ["All"], excludedApplications: [] },
        users: { includedUsers: ["All"], excludedGroups: [breakGlass.objectId] },
    },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
}, {
    // ConditionalAccessExclusion owns its entries in these two lists
    ignoreChanges: ["conditions.applications.excludedApplications", "conditions.users.excludedGroups"],
});

// The Azure AD Kerberos module runs on adm01 over SSH; its cloud password and the SSH key are secrets
// from the pipeline (environment variables), never values in the program or the state. A password
// sign-in cannot do MFA: hybridAdmin is the pipeline recipe's cloud-only, PIM-eligible account with
// Conditional Access scoped to the runner (docs/operations.md). Without such an account: { mode: "deferred" }.
const publisher: KerberosPublisher = {
    type: "powershell",
    shell: { type: "ssh", host: "adm01.corp.example.com", user: "svc-kerberos", privateKey: { env: "ADM01_SSH_KEY" } },
    cloudUserPrincipalName: hybridAdmin,
    signIn: { mode: "password", password: { env: "ENTRA_HYBRID_ADMIN_PASSWORD" }, accountExcludedFromMfa: true },
};
const dc = (host: string, passwordEnv: string, username: string) => ({
    urls: [`ldaps://${host}:636`], username, password: { env: passwordEnv }, caCertificate: corpCa,
});

const trust = new CloudKerberosTrust("rollout", {
    graph: { tenantId, credential: { type: "githubOidc", clientId } },
    forests: [
        { name: "corp", wave: 1, domains: [{ domain: "corp.example.com", directory: dc("dc1.corp.example.com", "CORP_BIND_PASSWORD", "svc-kerberos@corp.example.com"), publisher }] },
        {
            name: "emea", wave: 2, domains: [
                { domain: "emea.corp.example.com", directory: dc("dc1.emea.corp.example.com", "EMEA_BIND_PASSWORD", "svc-kerberos@emea.corp.example.com"), publisher },
                { domain: "apac.corp.example.com", directory: dc("dc1.apac.corp.example.com", "APAC_BIND_PASSWORD", "svc-kerberos@apac.corp.example.com"), publisher },
            ],
        },
    ],
    keyRotation: { maxAgeDays: 180 },
    cloudTrustPolicy: {
        displayName: "WHfB cloud Kerberos trust",
        assignments: { includeGroups: [pilot.objectId], excludeGroups: ["Break Glass Admins"] },
    },
    hostToRealm: {
        displayName: "Kerberos host-to-realm (Azure Files)",
        mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }],
        assignments: { includeGroups: [pilot.objectId] },
    },
    conditionalAccessExclusions: [{
        name: "mfa",
        policy: mfa.id,
        excludeApplications: ["[Storage Account] corpfiles.file.core.windows.net"],
        excludeGroups: ["Break Glass Admins"],
    }],
});

export const statusTable = trust.statusTable;
export const allInSync = trust.allInSync;
