// `check` for Fido2SecurityKeyMethod: every input validated without any I/O, each failure naming
// the input path ("includeGroups[1]", "keyRestrictions.aaGuids[0]"). Whether a group exists is
// asked of the directory afterwards (check for a create, diff for an update), still before any write.
import { checkGraphConnection } from "../graph/check-connection";
import { isGuid, nameOrIdProblem, unknownFields, unknownInputs } from "../core/grammar";
import { isUnknown } from "../core/unknown";
import { checkOptionalBoolean } from "../intune/check-common";
import { INPUT_KEYS, KEY_RESTRICTION_KEYS, OUTPUT_KEYS, SETTING_KEYS } from "./model";

export interface CheckFailure {
    property: string;
    reason: string;
}

/** Not a Graph limit: a pilot is a handful of groups, and a long list belongs in one group. */
export const MAX_GROUPS = 100;
/** Entra display names are at most 256 characters. */
const MAX_NAME_LENGTH = 256;
/** Authenticator models a key restriction may list; the portal's own list is far shorter. */
export const MAX_AAGUIDS = 500;

type Fail = (property: string, reason: string) => void;

export function validateInputs(news: Record<string, unknown>): CheckFailure[] {
    const out: CheckFailure[] = [];
    const fail: Fail = (property, reason) => out.push({ property, reason });

    out.push(...unknownInputs(news, "Fido2SecurityKeyMethod", INPUT_KEYS, OUTPUT_KEYS));
    out.push(...checkGraphConnection(news.graph, "graph"));

    const groups = news.includeGroups;
    checkGroups(groups, fail);
    const state = news.state;
    if (state !== undefined && !isUnknown(state) && state !== "enabled" && state !== "disabled") fail("state", `state must be "enabled" or "disabled", not ${JSON.stringify(state)}`);
    checkOptionalBoolean("isSelfServiceRegistrationAllowed", news.isSelfServiceRegistrationAllowed, fail);
    checkOptionalBoolean("isAttestationEnforced", news.isAttestationEnforced, fail);
    checkKeyRestrictions(news.keyRestrictions, fail);

    if (state === "disabled" && Array.isArray(groups) && groups.length > 0) {
        fail("state", `state "disabled" turns the FIDO2 method off for everyone, so the includeGroups given would enable nothing: enable the method, or remove includeGroups`);
    }
    const declaresSomething = (groups !== undefined && groups !== null && !(Array.isArray(groups) && groups.length === 0)) || SETTING_KEYS.some((k) => news[k] !== undefined);
    if (!declaresSomething) {
        fail("includeGroups", "give at least one pilot group in includeGroups, or a setting (state, isSelfServiceRegistrationAllowed, isAttestationEnforced, keyRestrictions): a Fido2SecurityKeyMethod without either has nothing to own");
    }
    return out;
}

function checkGroups(v: unknown, fail: Fail): void {
    if (v === undefined || v === null || isUnknown(v)) return;
    if (!Array.isArray(v)) { fail("includeGroups", "includeGroups must be a list of group ids or display names"); return; }
    if (v.length > MAX_GROUPS) fail("includeGroups", `includeGroups has ${v.length} entries; at most ${MAX_GROUPS}: put the users in one group instead`);
    const seen = new Map<string, number>();
    v.forEach((entry: unknown, i: number) => {
        const path = `includeGroups[${i}]`;
        if (isUnknown(entry)) return;
        const problem = nameOrIdProblem(path, entry, { max: MAX_NAME_LENGTH, what: "a group id or name (a non-empty string)", spaces: "has leading or trailing spaces; names are matched exactly, so remove them" });
        if (problem) { fail(path, problem); return; }
        const key = (entry as string).toLowerCase();
        const first = seen.get(key);
        if (first !== undefined) fail(path, `${path} "${entry}" repeats includeGroups[${first}]; list each group once`);
        else seen.set(key, i);
    });
}

function checkKeyRestrictions(v: unknown, fail: Fail): void {
    if (v === undefined || isUnknown(v)) return;
    const at = "keyRestrictions";
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
        fail(at, `${at} must be { isEnforced, enforcementType: "allow" | "block", aaGuids: [...] }`);
        return;
    }
    const r = v as Record<string, unknown>;
    for (const u of unknownFields(at, r, KEY_RESTRICTION_KEYS, "a key restriction setting")) fail(u.property, u.reason);
    if (!isUnknown(r.isEnforced) && typeof r.isEnforced !== "boolean") fail(`${at}.isEnforced`, `${at}.isEnforced is required: true or false`);
    if (!isUnknown(r.enforcementType) && r.enforcementType !== "allow" && r.enforcementType !== "block") {
        fail(`${at}.enforcementType`, `${at}.enforcementType is required: "allow" (only the listed models may register) or "block" (the listed models may not)`);
    }
    if (isUnknown(r.aaGuids)) return;
    if (!Array.isArray(r.aaGuids)) { fail(`${at}.aaGuids`, `${at}.aaGuids is required: a list of authenticator AAGUIDs (8-4-4-4-12 hex digits)`); return; }
    if (r.aaGuids.length > MAX_AAGUIDS) fail(`${at}.aaGuids`, `${at}.aaGuids has ${r.aaGuids.length} entries; at most ${MAX_AAGUIDS}`);
    const seen = new Map<string, number>();
    r.aaGuids.forEach((g: unknown, i: number) => {
        const path = `${at}.aaGuids[${i}]`;
        if (isUnknown(g)) return;
        if (!isGuid(g)) { fail(path, `${path} ${JSON.stringify(g)} is not an AAGUID (a GUID of 8-4-4-4-12 hex digits, as the key's vendor publishes it)`); return; }
        const first = seen.get(g.toLowerCase());
        if (first !== undefined) fail(path, `${path} repeats ${at}.aaGuids[${first}]; list each AAGUID once`);
        else seen.set(g.toLowerCase(), i);
    });
    if (r.isEnforced === true && r.aaGuids.length === 0) {
        fail(`${at}.aaGuids`, `${at}.isEnforced is true but ${at}.aaGuids is empty: ${r.enforcementType === "block" ? "blocking no model restricts nothing" : "allowing no model would stop every security key from registering"}; list the AAGUIDs, or set isEnforced to false`);
    }
}
