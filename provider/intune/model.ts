// Input and output names of the Intune resources, kept apart from the reconcilers so that the
// Resource classes (loaded by every user program) do not pull in the Graph client.

export const CLOUD_TRUST_INPUT_KEYS = [
    "graph", "displayName", "description", "scope", "useWindowsHelloForBusiness", "useCloudTrustForOnPremAuth",
    "useSecurityKeyForSignIn", "cloudKerberosTicketRetrieval", "assignments", "adoptExisting",
] as const;
/** Outputs beyond the inputs; the Resource class registers them, so they may reach `check` as placeholders. */
export const CLOUD_TRUST_OUTPUT_KEYS = [
    "settings", "policyId", "settingCount", "lastModifiedDateTime", "includeGroupIds", "excludeGroupIds", "resolvedGroups", "drift",
] as const;

export const HOST_TO_REALM_INPUT_KEYS = ["graph", "displayName", "mappings", "assignments", "adoptExisting"] as const;
export const HOST_TO_REALM_OUTPUT_KEYS = [
    "contentHash", "policyId", "deliveredAs", "lastModifiedDateTime", "valueReference", "includeGroupIds", "excludeGroupIds", "resolvedGroups", "drift",
] as const;

export type Delivery = "settingsCatalog" | "customOmaUri";
