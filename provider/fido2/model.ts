// Fido2SecurityKeyMethod's vocabulary: the tenant's FIDO2 (passkey) method configuration as Graph
// returns it (v1.0 fido2AuthenticationMethodConfiguration, a singleton at CONFIG_PATH:
// https://learn.microsoft.com/en-us/graph/api/resources/fido2authenticationmethodconfiguration?view=graph-rest-1.0),
// and the shapes of the resource's inputs and state.
import type { GraphConnection } from "../graph/types";

export const CONFIG_PATH = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2";
export const ODATA_TYPE = "#microsoft.graph.fido2AuthenticationMethodConfiguration";

export type MethodState = "enabled" | "disabled";
export type EnforcementType = "allow" | "block";

/** fido2KeyRestrictions: which authenticator models (by AAGUID) may register a key. */
export interface KeyRestrictions {
    isEnforced: boolean;
    enforcementType: EnforcementType;
    aaGuids: string[];
}

/** The settings the resource can declare; each one left out stays as it is in the tenant. */
export interface Fido2Settings {
    state?: MethodState;
    isSelfServiceRegistrationAllowed?: boolean;
    isAttestationEnforced?: boolean;
    keyRestrictions?: KeyRestrictions;
}
export const SETTING_KEYS = ["state", "isSelfServiceRegistrationAllowed", "isAttestationEnforced", "keyRestrictions"] as const;
export type SettingKey = typeof SETTING_KEYS[number];

/** One entry of includeTargets (passkeyAuthenticationMethodTarget) as read. */
export interface MethodTarget {
    id: string;
    targetType: string;
    isRegistrationRequired?: boolean;
    [k: string]: unknown;
}

/** The parts of the configuration this package reads; the rest is carried through untouched. */
export interface Fido2Config extends Fido2Settings {
    id: string;
    includeTargets?: MethodTarget[] | null;
    [k: string]: unknown;
}

export interface Fido2SecurityKeyMethodInputs extends Fido2Settings {
    graph: GraphConnection;
    /** pilot groups, by object id or exact display name */
    includeGroups?: string[];
}

export interface Fido2SecurityKeyMethodOutputs {
    /** resolved object ids of includeGroups, index-aligned with it */
    groupIds: string[];
    /** the include targets this resource added (and so removes on delete) */
    ownedGroupIds: string[];
}

export type Fido2SecurityKeyMethodState = Fido2SecurityKeyMethodInputs & Fido2SecurityKeyMethodOutputs;

export const INPUT_KEYS = ["graph", "includeGroups", ...SETTING_KEYS] as const;
export const OUTPUT_KEYS = ["groupIds", "ownedGroupIds"] as const;
export const KEY_RESTRICTION_KEYS = ["isEnforced", "enforcementType", "aaGuids"] as const;

/** The list a value holds, or [] when it is absent. */
export function listOf(v: unknown): string[] {
    return Array.isArray(v) ? v : [];
}

/** The inputs part of a state or of the engine's news, without __provider and outputs. */
export function inputsOf(v: Record<string, any>): Fido2SecurityKeyMethodInputs {
    const out: Record<string, unknown> = {};
    for (const k of INPUT_KEYS) if (v[k] !== undefined) out[k] = v[k];
    return out as unknown as Fido2SecurityKeyMethodInputs;
}

/** The settings a value declares (absent keys left out). */
export function declaredSettings(v: Partial<Fido2Settings>): Fido2Settings {
    const out: Record<string, unknown> = {};
    for (const k of SETTING_KEYS) if (v[k] !== undefined) out[k] = v[k];
    return out as Fido2Settings;
}
