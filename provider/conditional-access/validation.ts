// `check` for ConditionalAccessExclusion: every input validated without any I/O, each failure
// naming the input path ("excludeGroups[2]", "graph.credential.clientSecret"). Whether a name
// exists in the tenant is not a `check` question (that needs Graph): diff, create and update look
// names up before any write.
import { isUnknown } from "../core/unknown";
import { checkGraphConnection } from "../graph/check-connection";
import { isUpn, nameOrIdProblem, unknownInputs } from "../core/grammar";
import { EXCLUSION_KINDS, INPUT_KEYS, KINDS, OUTPUT_KEYS, type ExclusionKind } from "./model";

export interface CheckFailure {
    property: string;
    reason: string;
}

/**
 * Most entries one resource may hold per list. Not a Graph limit: a Conditional Access policy is
 * one object, and a long per-identity exclusion list belongs in a group (exclude the group instead).
 */
export const MAX_ENTRIES_PER_LIST = 100;
/** Entra display names are at most 256 characters. */
export const MAX_NAME_LENGTH = 256;


/** Words Graph gives a meaning of its own in these lists, which can never be excluded. */
const NOT_EXCLUDABLE: Partial<Record<ExclusionKind, string[]>> = {
    applications: ["All", "None"],
    users: ["All", "None"],
};

export function validateInputs(news: Record<string, unknown>): CheckFailure[] {
    const out: CheckFailure[] = [];
    const fail = (property: string, reason: string) => out.push({ property, reason });

    out.push(...unknownInputs(news, "ConditionalAccessExclusion", INPUT_KEYS, OUTPUT_KEYS));

    out.push(...checkGraphConnection(news.graph, "graph"));
    checkPolicy(news.policy, fail);

    let anyEntry = false, anyUnknownList = false;
    for (const kind of EXCLUSION_KINDS) {
        const v = news[KINDS[kind].input];
        if (isUnknown(v)) { anyUnknownList = true; continue; }
        if (Array.isArray(v) && v.length > 0) anyEntry = true;
        checkList(kind, v, fail);
    }
    if (!anyEntry && !anyUnknownList) {
        fail("excludeApplications", "give at least one exclusion in excludeApplications, excludeGroups or excludeUsers: a ConditionalAccessExclusion without any has nothing to own");
    }
    return out;
}

function checkPolicy(v: unknown, fail: (p: string, r: string) => void): void {
    if (isUnknown(v)) return;
    checkNameOrId("policy", v, "the Conditional Access policy's id, or its exact display name", fail);
}

/** An id or exact display name (the grammar's rule, Entra's length); a broken GUID is refused, never looked up as a name. */
function checkNameOrId(path: string, v: unknown, what: string, fail: (p: string, r: string) => void): v is string {
    const problem = nameOrIdProblem(path, v, { max: MAX_NAME_LENGTH, what, spaces: "has leading or trailing spaces; names are matched exactly, so remove them" });
    if (problem) fail(path, problem);
    return problem === undefined;
}

function checkList(kind: ExclusionKind, v: unknown, fail: (p: string, r: string) => void): void {
    const { input, noun } = KINDS[kind];
    if (v === undefined || v === null) return;
    if (!Array.isArray(v)) { fail(input, `${input} must be a list of ${noun} ids or names`); return; }
    if (v.length > MAX_ENTRIES_PER_LIST) {
        fail(input, `${input} has ${v.length} entries; at most ${MAX_ENTRIES_PER_LIST} per resource: exclude a group that holds them instead`);
    }
    const seen = new Map<string, number>();
    v.forEach((entry: unknown, i: number) => {
        const path = `${input}[${i}]`;
        if (isUnknown(entry)) return;
        if (!checkNameOrId(path, entry, `a ${noun} id or name (a non-empty string)`, fail)) return;
        const reserved = NOT_EXCLUDABLE[kind]?.find((w) => w.toLowerCase() === entry.toLowerCase());
        if (reserved) { fail(path, `${path} "${entry}" cannot be excluded: Graph refuses '${reserved}' in conditions.${KINDS[kind].subObject}.${KINDS[kind].list}`); return; }
        if (kind === "users" && entry.includes("@") && !isUpn(entry)) { fail(path, `${path} "${entry}" is not a user principal name (name@domain)`); return; }
        // ids compare case-insensitively in Graph, and so do display names in directory lookups
        const key = entry.toLowerCase();
        const first = seen.get(key);
        if (first !== undefined) fail(path, `${path} "${entry}" repeats ${input}[${first}]; list each ${noun} once`);
        else seen.set(key, i);
    });
}
