// Inputs a resource does not have: a typo, or a value that would be stored in state unread.
import { shown } from "./text";

export interface KeyFailure {
    property: string;
    reason: string;
}

/**
 * The failure for a top-level input a resource does not have. It is reported on the resource
 * (property ""), naming the key in the reason: for a failure on a top-level property the Pulumi
 * engine prints that property's value next to the reason ("property X value {...} has a
 * problem"), and a key nobody declared may well hold a secret put in the wrong place.
 */
export function unknownInput(key: string, resource: string, known: readonly string[]): KeyFailure {
    return { property: "", reason: `${shown(key, 64)} is not an input of ${resource} (inputs: ${known.join(", ")})` };
}
