// Pulumi's placeholder for a value not known yet (an output of a resource still being created, in a
// preview): the dynamic-provider host passes it to `check` and `diff` as this exact string. Every rule
// lets it through and decides again when the value is known.

/** The string the engine sends in place of an unknown value (the same in every Pulumi SDK). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when the engine does not know this value yet. */
export const isUnknown = (v: unknown): boolean => v === UNKNOWN_VALUE;
