// The write itself, as data: given the configuration as Graph returned it, the PATCH body that adds
// the include targets we want, removes the ones we give up, and sets the settings the program
// declares, and nothing else. Graph replaces a collection it receives as a whole and the
// configuration has no ETag or version, so `includeTargets` goes out as read (every target of
// someone else, with all its properties), only ours changed, and only when it changes; settings go
// out only when they differ from what was read.
import { idKey } from "../conditional-access/model";
import { ODATA_TYPE, SETTING_KEYS, declaredSettings, type Fido2Config, type Fido2Settings, type KeyRestrictions, type MethodTarget } from "./model";

export interface Fido2PatchBody extends Fido2Settings {
    "@odata.type": typeof ODATA_TYPE;
    includeTargets?: MethodTarget[];
}

export interface Fido2MergePlan {
    /** undefined when the configuration already is as wanted */
    body?: Fido2PatchBody;
    /** every target id that must be on the configuration after the write (ours and everyone else's) */
    expectedTargets: string[];
    /** group ids the write adds / removes */
    added: string[];
    removed: string[];
    settings: Fido2Settings;
}

/** The ids of the configuration's include targets (absent or null reads as none). */
export function targetIdsOf(config: Fido2Config): string[] {
    return (config.includeTargets ?? []).map((t) => String(t.id));
}

/** Key restrictions compare as a set of AAGUIDs (Graph keeps the order, nobody relies on it), case-insensitively. */
function sameKeyRestrictions(a: Partial<KeyRestrictions> | null | undefined, b: Partial<KeyRestrictions> | null | undefined): boolean {
    const norm = (r: Partial<KeyRestrictions> | null | undefined) =>
        JSON.stringify([r?.isEnforced ?? false, r?.enforcementType ?? null, [...(r?.aaGuids ?? [])].map(idKey).sort()]);
    return norm(a) === norm(b);
}

export function sameSetting(key: typeof SETTING_KEYS[number], a: unknown, b: unknown): boolean {
    return key === "keyRestrictions" ? sameKeyRestrictions(a as KeyRestrictions, b as KeyRestrictions) : a === b;
}

/** The declared settings the configuration does not have (yet). */
export function settingsDiffering(config: Fido2Config, want: Fido2Settings): Fido2Settings {
    const out: Record<string, unknown> = {};
    for (const k of SETTING_KEYS) if (want[k] !== undefined && !sameSetting(k, config[k], want[k])) out[k] = want[k];
    return out as Fido2Settings;
}

/** Ensures every `want` group is a target and every `remove` one is not, keeping everyone else's targets and their order. */
export function planFido2Merge(config: Fido2Config, want: string[], remove: string[], settings: Fido2Settings): Fido2MergePlan {
    const current = config.includeTargets ?? [];
    const present = new Set(current.map((t) => idKey(String(t.id))));
    const dropping = new Set(remove.map(idKey).filter((k) => present.has(k)));
    const removed = current.filter((t) => dropping.has(idKey(String(t.id)))).map((t) => String(t.id));
    const added: string[] = [];
    for (const id of want) {
        if (!present.has(idKey(id))) { present.add(idKey(id)); added.push(id); }
    }
    const kept = current.filter((t) => !dropping.has(idKey(String(t.id))));
    const next = [...kept.map(withoutODataAnnotations), ...added.map((id): MethodTarget => ({ id, targetType: "group", isRegistrationRequired: false }))];
    const declared = declaredSettings(settings);
    const changing = settingsDiffering(config, declared);
    const expectedTargets = next.map((t) => t.id);
    if (!added.length && !removed.length && !Object.keys(changing).length) return { expectedTargets, added, removed, settings: declared };
    const body: Fido2PatchBody = { "@odata.type": ODATA_TYPE, ...changing };
    if (added.length || removed.length) body.includeTargets = next;
    return { body, expectedTargets, added, removed, settings: declared };
}

export interface Fido2Verification {
    ok: boolean;
    /** targets we sent that are not there now */
    missing: string[];
    /** targets we removed that are back */
    lingering: string[];
    /** declared settings that read back different */
    settings: string[];
}

/** After the write: is every target we sent there, every one we removed gone, every declared setting as declared? */
export function verifyFido2Merge(readBack: Fido2Config, plan: Fido2MergePlan): Fido2Verification {
    const now = new Set(targetIdsOf(readBack).map(idKey));
    const missing = plan.expectedTargets.filter((id) => !now.has(idKey(id)));
    const lingering = plan.removed.filter((id) => now.has(idKey(id)));
    const settings = Object.keys(settingsDiffering(readBack, plan.settings));
    return { ok: !missing.length && !lingering.length && !settings.length, missing, lingering, settings };
}

/** Graph's read-only annotations (@odata.type of each target, @odata.context) are not echoed in a PATCH. */
function withoutODataAnnotations(t: MethodTarget): MethodTarget {
    return Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith("@odata."))) as MethodTarget;
}
