// Public API of the lab's Graph emulator (used by the lab CLI, the lab Kerberos publisher and tests).
export { GraphEmulator } from "./emulator";
export type {
    EmulatorApp, EmulatorRequest, EmulatorResponse, EmulatorHandler, FaultRule, FaultRuleState,
    GraphEmulatorOptions, InterleavedRequest, RequestLogEntry, ThrottleSettings, TokenClaims,
} from "./types";
export type { TenantState, TenantData } from "./state";
export type { FaultController } from "./faults";
export { kerberosDomainAudit, type AuditInput, type KerberosDomainEvent } from "./audit";
export { choiceDefinition, groupCollectionDefinition, simpleDefinition, defaultSettingDefinitions } from "./catalog";
export { LAB_TENANT_ID, LAB_TENANT_DOMAIN, LAB_APP_CLIENT_ID, LAB_APP_DISPLAY_NAME, LAB_APP_ROLES, LAB_APP_SECRET_ENV, SEED, labApp } from "./seed";
export { DEFAULT_THROTTLING } from "./throttle";
export { MASKED_VALUE } from "./routes/device-configurations";
