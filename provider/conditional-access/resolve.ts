// Exclusion entries (ids or names) -> the ids Graph stores in the policy: appIds for applications
// (docs/sources.md, Graph §4: excludeApplications takes the appId, not the service principal's object id),
// object ids for groups and users. Every entry must match exactly one object, or the whole
// resolution fails naming each entry at fault, before anything is written: a failed lookup can
// never turn into an emptier exclusion list.
import { ProviderError } from "../core/errors";
import { isGuid } from "../core/grammar";
import { EXCLUSION_KINDS, KINDS, emptyIds, entriesOf, idKey, type ConditionalAccessExclusionInputs, type ExclusionIds, type ExclusionKind } from "./model";

export type DirectoryCollection = "servicePrincipals" | "groups" | "users";

/** One filtered directory query, all pages (Graph in production, a fake in unit tests). */
export type DirectoryQuery = (collection: DirectoryCollection, filter: string, select: string[]) => Promise<Record<string, any>[]>;

/** Spelling -> id pairs already resolved (from state), per kind: those are not looked up again. */
export type KnownIds = Record<ExclusionKind, Map<string, string>>;

export function noKnownIds(): KnownIds {
    return { applications: new Map(), groups: new Map(), users: new Map() };
}

/** Graph caps `in (...)` filters on directory objects at 15 values. */
const IN_CHUNK = 15;
const MAX_LISTED = 5;

type FailureCode = "CA_LOOKUP_NOT_FOUND" | "CA_LOOKUP_AMBIGUOUS" | "CA_LOOKUP_DUPLICATE";
interface Miss { code: FailureCode; reason: string }
interface Failure extends Miss { path: string; entry: string }

/** OData string literal: single quotes doubled. */
export function odataString(s: string): string {
    return `'${s.replace(/'/g, "''")}'`;
}

/** Resolves every entry of the three lists; the result is index-aligned with the inputs. */
export async function resolveExclusions(query: DirectoryQuery, inputs: Partial<ConditionalAccessExclusionInputs>, known: KnownIds = noKnownIds()): Promise<ExclusionIds> {
    const out = emptyIds();
    const failures: Failure[] = [];
    for (const kind of EXCLUSION_KINDS) {
        out[kind] = await resolveKind(query, kind, entriesOf(inputs, kind), known[kind], failures);
    }
    throwFailures(failures, "exclusion");
    return out;
}

/**
 * Group ids or display names under another resource's input (e.g. Fido2SecurityKeyMethod's
 * `includeGroups`): the same lookups and messages; the result is index-aligned with `entries`.
 */
export async function resolveGroups(query: DirectoryQuery, input: string, entries: string[], known = new Map<string, string>()): Promise<string[]> {
    const failures: Failure[] = [];
    const ids = await resolveKind(query, "groups", entries, known, failures, input);
    throwFailures(failures, "group");
    return ids;
}

function throwFailures(failures: Failure[], noun: string): void {
    if (!failures.length) return;
    const what = failures.map((f) => `${f.path} "${f.entry}": ${f.reason}`).join("; ");
    // the code of the first failure: the one the message starts with
    throw new ProviderError(failures[0].code,
        `${failures.length === 1 ? `a${/^[aeiou]/.test(noun) ? "n" : ""} ${noun}` : `${failures.length} ${noun}s`} could not be resolved, so nothing was changed: ${what}`,
        { input: failures[0].path });
}

async function resolveKind(query: DirectoryQuery, kind: ExclusionKind, entries: string[], known: Map<string, string>, failures: Failure[],
    input: string = KINDS[kind].input): Promise<string[]> {
    const { keywords } = KINDS[kind];
    const ids: (string | undefined)[] = entries.map(() => undefined);
    const byId: number[] = [];
    for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        const keyword = keywords.find((k) => k.toLowerCase() === e.toLowerCase());
        if (known.has(e)) ids[i] = known.get(e);
        else if (keyword) ids[i] = keyword;
        else if (isGuid(e)) byId.push(i);
        else {
            const r = await lookUpName(query, kind, e);
            if (typeof r === "string") ids[i] = r;
            else failures.push({ path: `${input}[${i}]`, entry: e, ...r });
        }
    }
    if (byId.length) {
        const found = await lookUpIds(query, kind, byId.map((i) => entries[i]));
        for (const i of byId) {
            const r = found.get(idKey(entries[i]));
            if (typeof r === "string") ids[i] = r;
            else failures.push({ path: `${input}[${i}]`, entry: entries[i], ...(r ?? { code: "CA_LOOKUP_NOT_FOUND", reason: `no ${KINDS[kind].noun} has this id in the tenant` }) });
        }
    }
    // two spellings of the same object (its name and its id) would be one entry on the policy
    const firstAt = new Map<string, number>();
    ids.forEach((id, i) => {
        if (id === undefined) return;
        const j = firstAt.get(idKey(id));
        if (j === undefined) firstAt.set(idKey(id), i);
        else failures.push({ path: `${input}[${i}]`, entry: entries[i], code: "CA_LOOKUP_DUPLICATE", reason: `is the same ${KINDS[kind].noun} as ${input}[${j}] "${entries[j]}" (${id}); list it once` });
    });
    return ids.map((id) => id ?? "");
}

const SELECT: Record<ExclusionKind, string[]> = {
    applications: ["id", "appId", "displayName"],
    groups: ["id", "displayName", "description"],
    users: ["id", "displayName", "userPrincipalName"],
};
const COLLECTION: Record<ExclusionKind, DirectoryCollection> = { applications: "servicePrincipals", groups: "groups", users: "users" };

/** What an object resolves to: the appId for applications, else the object id. */
const resolvedId = (kind: ExclusionKind, o: Record<string, any>): string => String(kind === "applications" ? o.appId : o.id);

function describeMatch(kind: ExclusionKind, o: Record<string, any>): string {
    if (kind === "applications") return `appId ${o.appId}`;
    if (kind === "users") return `${o.id} (${o.userPrincipalName})`;
    return o.description ? `${o.id} (${o.description})` : String(o.id);
}

async function lookUpName(query: DirectoryQuery, kind: ExclusionKind, name: string): Promise<string | Miss> {
    const { noun } = KINDS[kind];
    const byUpn = kind === "users" && name.includes("@");
    const property = byUpn ? "userPrincipalName" : "displayName";
    const matches = await query(COLLECTION[kind], `${property} eq ${odataString(name)}`, SELECT[kind]);
    if (matches.length === 1) return resolvedId(kind, matches[0]);
    const what = kind === "applications" ? "service principal" : noun;
    if (matches.length === 0) {
        return { code: "CA_LOOKUP_NOT_FOUND", reason: byUpn ? "no user has this user principal name" : `no ${what} is named "${name}" in the tenant` };
    }
    const listed = matches.slice(0, MAX_LISTED).map((m) => describeMatch(kind, m)).join(", ");
    return { code: "CA_LOOKUP_AMBIGUOUS", reason: `${matches.length} ${what}s are named "${name}" (${listed}${matches.length > MAX_LISTED ? ", ..." : ""}); give the id of the one you mean` };
}

/** GUID entries: each must exist. For applications a GUID is an appId; a service principal's object id gets a pointed hint. */
async function lookUpIds(query: DirectoryQuery, kind: ExclusionKind, guids: string[]): Promise<Map<string, string | Miss>> {
    const out = new Map<string, string | Miss>();
    const property = kind === "applications" ? "appId" : "id";
    for (const o of await queryIn(query, COLLECTION[kind], property, guids, SELECT[kind])) {
        out.set(idKey(String(o[property])), resolvedId(kind, o));
    }
    if (kind === "applications") {
        const notAppIds = guids.filter((g) => !out.has(idKey(g)));
        if (notAppIds.length) {
            for (const sp of await queryIn(query, "servicePrincipals", "id", notAppIds, SELECT.applications)) {
                out.set(idKey(String(sp.id)), {
                    code: "CA_LOOKUP_NOT_FOUND",
                    reason: `is the object id of the service principal "${sp.displayName}"; excludeApplications takes its appId (client id) ${sp.appId}`,
                });
            }
            for (const g of notAppIds) if (!out.has(idKey(g))) out.set(idKey(g), { code: "CA_LOOKUP_NOT_FOUND", reason: "no service principal in the tenant has this appId" });
        }
    }
    return out;
}

async function queryIn(query: DirectoryQuery, collection: DirectoryCollection, property: string, values: string[], select: string[]): Promise<Record<string, any>[]> {
    const out: Record<string, any>[] = [];
    for (let i = 0; i < values.length; i += IN_CHUNK) {
        const chunk = values.slice(i, i + IN_CHUNK);
        out.push(...await query(collection, `${property} in (${chunk.map(odataString).join(",")})`, select));
    }
    return out;
}
