// Inputs and fields a resource does not have: a typo, or a value that would be stored in state unread.
import { shown } from "./text";

export interface KeyFailure {
    property: string;
    reason: string;
}

/** Failures for the fields of the object input at `path` that are not `known`; `noun` names what they are ("a connection setting"). */
export function unknownFields(path: string, o: object, known: readonly string[], noun: string): KeyFailure[] {
    return Object.keys(o).filter((k) => !known.includes(k))
        .map((k) => ({ property: `${path}.${k}`, reason: `${path}.${k} is not ${noun} (${known.join(", ")})` }));
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

/**
 * Failures for every top-level key of `news` that is not an input of `resource`. The engine's
 * `__provider` passes, and so do `outputs` while they are undefined or null: the Resource class
 * registers its outputs as undefined inputs so the SDK knows them.
 */
export function unknownInputs(news: Record<string, unknown>, resource: string, inputs: readonly string[], outputs: readonly string[]): KeyFailure[] {
    return Object.entries(news)
        .filter(([key, value]) => key !== "__provider" && !inputs.includes(key) && !(outputs.includes(key) && (value === undefined || value === null)))
        .map(([key]) => unknownInput(key, resource, inputs));
}
