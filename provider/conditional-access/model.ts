// ConditionalAccessExclusion's vocabulary: the three kinds of exclusion it can own, where each one
// lives in a conditionalAccessPolicy (docs/sources.md, Graph §4), and the shapes of its inputs and state.
import type { GraphConnection } from "../graph/types";

export type ExclusionKind = "applications" | "groups" | "users";
export const EXCLUSION_KINDS: readonly ExclusionKind[] = ["applications", "groups", "users"];

/** The sub-objects of `conditions` that Graph's PATCH replaces as a whole when we send them. */
export type ConditionsSubObject = "applications" | "users";

export interface KindSpec {
    /** the resource input holding ids or names */
    input: "excludeApplications" | "excludeGroups" | "excludeUsers";
    /** the output with the resolved ids of every requested exclusion, index-aligned with `input` */
    idsOutput: "applicationIds" | "groupIds" | "userIds";
    /** the output with the ids this resource added (and so removes on delete) */
    ownedOutput: "ownedApplicationIds" | "ownedGroupIds" | "ownedUserIds";
    subObject: ConditionsSubObject;
    /** the array inside conditions.<subObject> */
    list: "excludeApplications" | "excludeGroups" | "excludeUsers";
    /** singular noun for messages */
    noun: string;
    /** values Graph accepts in the list that are not object ids (kept as given, no lookup) */
    keywords: readonly string[];
}

export const KINDS: Record<ExclusionKind, KindSpec> = {
    applications: {
        input: "excludeApplications", idsOutput: "applicationIds", ownedOutput: "ownedApplicationIds",
        subObject: "applications", list: "excludeApplications", noun: "application", keywords: ["Office365", "MicrosoftAdminPortals"],
    },
    groups: {
        input: "excludeGroups", idsOutput: "groupIds", ownedOutput: "ownedGroupIds",
        subObject: "users", list: "excludeGroups", noun: "group", keywords: [],
    },
    users: {
        input: "excludeUsers", idsOutput: "userIds", ownedOutput: "ownedUserIds",
        subObject: "users", list: "excludeUsers", noun: "user", keywords: ["GuestsOrExternalUsers"],
    },
};

/** Ids (appIds for applications, object ids otherwise, or keywords) per kind. */
export type ExclusionIds = Record<ExclusionKind, string[]>;

export function emptyIds(): ExclusionIds {
    return { applications: [], groups: [], users: [] };
}

export interface ConditionalAccessExclusionInputs {
    graph: GraphConnection;
    /** policy id, or its exact display name */
    policy: string;
    excludeApplications?: string[];
    excludeGroups?: string[];
    excludeUsers?: string[];
}

/** What the resource keeps in state: its inputs (the exclude lists pruned to what is in effect after a refresh) plus these. */
export interface ConditionalAccessExclusionOutputs {
    policyId: string;
    policyDisplayName: string;
    applicationIds: string[];
    groupIds: string[];
    userIds: string[];
    ownedApplicationIds: string[];
    ownedGroupIds: string[];
    ownedUserIds: string[];
}

export type ConditionalAccessExclusionState = ConditionalAccessExclusionInputs & ConditionalAccessExclusionOutputs;

export const INPUT_KEYS = ["graph", "policy", "excludeApplications", "excludeGroups", "excludeUsers"] as const;
export const OUTPUT_KEYS = [
    "policyId", "policyDisplayName", "applicationIds", "groupIds", "userIds", "ownedApplicationIds", "ownedGroupIds", "ownedUserIds",
] as const;

/** Graph returns ids in lower case and compares them case-insensitively; so do we. */
export const idKey = (id: string): string => id.toLowerCase();

export function sameId(a: string, b: string): boolean {
    return idKey(a) === idKey(b);
}

/** The list an input names, or [] when it is absent. */
export function entriesOf(inputs: Partial<ConditionalAccessExclusionInputs>, kind: ExclusionKind): string[] {
    const v = inputs[KINDS[kind].input];
    return Array.isArray(v) ? v : [];
}

/** The ids recorded in state for one output (absent = none). */
export function idsOf(state: Partial<ConditionalAccessExclusionOutputs>, key: keyof ConditionalAccessExclusionOutputs): string[] {
    const v = state[key];
    return Array.isArray(v) ? v : [];
}

export function ownedOf(state: Partial<ConditionalAccessExclusionOutputs>): ExclusionIds {
    return {
        applications: idsOf(state, "ownedApplicationIds"),
        groups: idsOf(state, "ownedGroupIds"),
        users: idsOf(state, "ownedUserIds"),
    };
}
