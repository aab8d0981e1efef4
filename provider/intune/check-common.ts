// Input checks shared by the Intune resources. No I/O: `check` runs in every preview.
import { isUnknown } from "../core/unknown";
import { displayNameProblem, unknownInput } from "../core/grammar";
import { stableJson } from "../core/stable-json";

export interface Failure {
    property: string;
    reason: string;
}


/** True when any value, at any depth, is not known yet (preview with outputs of other resources). */
export function containsUnknown(v: unknown): boolean {
    if (isUnknown(v)) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (typeof v === "object" && v !== null) return Object.values(v).some(containsUnknown);
    return false;
}

/** Intune's limit for profile names. */
const MAX_NAME = 1000;

export function checkDisplayName(v: unknown, fail: (p: string, r: string) => void): void {
    if (isUnknown(v)) return;
    const problem = displayNameProblem("displayName", v, {
        max: MAX_NAME, what: "the profile's name in Intune", spaces: "must not start or end with spaces (Intune trims them, which would read back as a rename)",
    });
    if (problem) fail("displayName", problem);
}

export function checkOptionalBoolean(name: string, v: unknown, fail: (p: string, r: string) => void): void {
    if (v !== undefined && !isUnknown(v) && typeof v !== "boolean") fail(name, `${name} must be true or false`);
}

/** Misspelt inputs would otherwise be ignored silently. */
export function checkKnownKeys(news: Record<string, unknown>, inputs: readonly string[], ignored: readonly string[], fail: (p: string, r: string) => void): void {
    for (const k of Object.keys(news)) {
        if (k.startsWith("__") || inputs.includes(k) || ignored.includes(k)) continue;
        const u = unknownInput(k, "this resource", inputs);
        fail(u.property, u.reason);
    }
}

/** Drops undefined values: Pulumi state has no `undefined`, and a key that comes and goes is a diff. */
export function compact<T extends Record<string, unknown>>(o: T): T {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
    return out as T;
}

export function deepEqual(a: unknown, b: unknown): boolean {
    return stableJson(a) === stableJson(b);
}

