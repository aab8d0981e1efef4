// CloudTrustPolicy: the settings catalog profile that tells Windows Hello for Business to use cloud
// Kerberos trust for on-premises authentication (docs/resources/), reconciled over Graph beta.
//
// State layout (what makes drift visible without perpetual diffs):
// - `settings` is the flat line list of settings-compare.ts. `check` fills it with the lines the
//   inputs produce; create/update/refresh store the lines read from Intune. A preview then shows a
//   flipped, removed or added setting as one changed line, and equal lines mean no diff.
// - `assignments` holds the assignment set read back from /assignments, in the program's own terms
//   (assignments.ts), so a removed or added group shows as a list entry.
// - `displayName` and `description` hold what Intune has (the marker stripped).
// - `drift` lists what none of those fields can show (the ownership marker removed, a legacy setting
//   id an older version wrote), only when non-empty.
import { isUnknown } from "../core/unknown";
import { ProviderError } from "../core/errors";
import { described, freeTextProblem } from "../core/grammar";
import type { GraphConnection } from "../graph";
import { checkGraphConnection } from "../graph/check-connection";
import { decideAdoption, refuseTemplateBased } from "./adoption";
import {
    assignBody, checkAssignments, graphGroupLookup, normalizeAssignments, observedAssignments, resolution, resolveGroups, sameAssignments, storedResolution,
    type Assignments, type AssignmentsInput, type Resolution,
} from "./assignments";
import { checkDisplayName, checkKnownKeys, checkOptionalBoolean, compact, containsUnknown, deepEqual, type Failure } from "./check-common";
import { cloudTrustSettings, DEVICE_ONLY_INPUTS, LEGACY_SECURITY_KEY_FOR_SIGN_IN, SCOPES, SECURITY_KEY_FOR_SIGN_IN, type CloudTrustScope } from "./cloud-trust-settings";
import {
    assignPolicy, createPolicy, deletePolicy, findPoliciesByName, putPolicy, readPolicy, type ObservedPolicy,
} from "./configuration-policies";
import { withGraph, type SessionOptions } from "./graph-session";
import { markedDescription, parseDescription } from "./marker";
import { CLOUD_TRUST_INPUT_KEYS as INPUT_KEYS, CLOUD_TRUST_OUTPUT_KEYS as OUTPUT_KEYS } from "./model";
import { withPartialState } from "./partial-create";
import { definitionIds, flattenSettings, sameSettings } from "./settings-compare";
import { policyBody } from "./settings-catalog";

export interface CloudTrustPolicyInputs {
    graph: GraphConnection;
    displayName: string;
    description?: string;
    scope?: CloudTrustScope;
    useWindowsHelloForBusiness?: boolean;
    useCloudTrustForOnPremAuth?: boolean;
    useSecurityKeyForSignIn?: boolean;
    cloudKerberosTicketRetrieval?: boolean;
    assignments?: AssignmentsInput;
    /** take over an existing profile of the same name that this tool did not create */
    adoptExisting?: boolean;
}

/** Inputs after `check`: defaults filled, assignments canonical, desired setting lines derived. */
export interface CheckedCloudTrustInputs extends CloudTrustPolicyInputs {
    scope: CloudTrustScope;
    useWindowsHelloForBusiness: boolean;
    useCloudTrustForOnPremAuth: boolean;
    assignments?: Assignments;
    settings?: string[];
}


export const KIND = "settings catalog policy";
/** The user's part of the profile description (the ownership marker is appended to it). */
const MAX_DESCRIPTION = 1000;
const what = (displayName: unknown) => `CloudTrustPolicy "${String(displayName)}"`;

// ---- check / diff (no I/O) -----------------------------------------------------------------------

export function checkCloudTrustPolicy(news: Record<string, any>): { inputs: CheckedCloudTrustInputs; failures: Failure[] } {
    const failures: Failure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    failures.push(...checkGraphConnection(news.graph));
    checkDisplayName(news.displayName, fail);
    if (news.description !== undefined && !isUnknown(news.description)) {
        const problem = freeTextProblem("description", news.description, MAX_DESCRIPTION);
        if (problem) fail("description", problem);
    }
    if (news.scope !== undefined && !isUnknown(news.scope) && !SCOPES.includes(news.scope)) fail("scope", `scope must be one of ${SCOPES.join(", ")}, got ${described(news.scope)}`);
    for (const k of ["useWindowsHelloForBusiness", "useCloudTrustForOnPremAuth", "useSecurityKeyForSignIn", "cloudKerberosTicketRetrieval", "adoptExisting"]) {
        checkOptionalBoolean(k, news[k], fail);
    }
    if (news.scope === "user") {
        // Device-only settings have no user variant. Cloud trust defaults to on, so with scope "user"
        // it must be switched off explicitly rather than silently dropped; the others must stay unset.
        const device = `is a device setting (Windows has no user variant), so scope "user" cannot carry it; use scope "device" or "both"`;
        if (news.useCloudTrustForOnPremAuth !== false) fail("useCloudTrustForOnPremAuth", `useCloudTrustForOnPremAuth ${device}, or set useCloudTrustForOnPremAuth: false`);
        for (const k of DEVICE_ONLY_INPUTS.filter((x) => x !== "useCloudTrustForOnPremAuth")) {
            if (news[k] !== undefined) fail(k, `${k} ${device}, or leave ${k} unset`);
        }
    }
    failures.push(...checkAssignments(news.assignments));
    checkKnownKeys(news, INPUT_KEYS, OUTPUT_KEYS, fail);

    const inputs: CheckedCloudTrustInputs = compact({
        graph: news.graph,
        displayName: news.displayName,
        description: news.description === "" ? undefined : news.description,
        scope: news.scope ?? "device",
        useWindowsHelloForBusiness: news.useWindowsHelloForBusiness ?? true,
        useCloudTrustForOnPremAuth: news.useCloudTrustForOnPremAuth ?? true,
        useSecurityKeyForSignIn: news.useSecurityKeyForSignIn,
        cloudKerberosTicketRetrieval: news.cloudKerberosTicketRetrieval,
        // only valid assignments have a canonical form (a list that is not one would throw here)
        assignments: failures.length > 0 || containsUnknown(news.assignments) ? news.assignments : normalizeAssignments(news.assignments),
        adoptExisting: news.adoptExisting,
    });
    if (failures.length === 0) inputs.settings = desiredLines(inputs);
    return { inputs, failures };
}

/** The setting lines the inputs produce (undefined while some of them are unknown). */
export function desiredLines(i: CheckedCloudTrustInputs): string[] | undefined {
    const relevant = [i.scope, i.useWindowsHelloForBusiness, i.useCloudTrustForOnPremAuth, i.useSecurityKeyForSignIn, i.cloudKerberosTicketRetrieval];
    if (relevant.some(isUnknown)) return undefined;
    return flattenSettings(cloudTrustSettings(i));
}

/** Changes = the program differs from what the last read saw (olds are the stored outputs). */
export function diffCloudTrustPolicy(olds: Record<string, any>, news: CheckedCloudTrustInputs): { changes: boolean; reasons: string[] } {
    if (containsUnknown(news)) return { changes: true, reasons: ["some inputs are not known yet"] };
    const reasons: string[] = [];
    if (olds.displayName !== news.displayName) reasons.push("displayName");
    if ((olds.description ?? "") !== (news.description ?? "")) reasons.push("description");
    if (!sameSettings(olds.settings ?? [], desiredLines(news) ?? [])) reasons.push("settings");
    if (!sameAssignments(olds.assignments, news.assignments)) reasons.push("assignments");
    if (Array.isArray(olds.drift) && olds.drift.length > 0) reasons.push("drift");
    for (const k of ["graph", "scope", "useWindowsHelloForBusiness", "useCloudTrustForOnPremAuth", "useSecurityKeyForSignIn", "cloudKerberosTicketRetrieval", "adoptExisting"] as const) {
        if (!deepEqual(olds[k], news[k])) reasons.push(k);
    }
    return { changes: reasons.length > 0, reasons };
}

// ---- outputs ---------------------------------------------------------------------------------------

function outputs(inputs: CheckedCloudTrustInputs, observed: ObservedPolicy, res: Resolution | undefined): Record<string, unknown> {
    const desc = parseDescription(observed.description);
    const drift: string[] = [];
    if (!desc.marked) drift.push("the description lost the pulumi-entra-kerberos marker, which keeps later runs from duplicating the profile");
    if (definitionIds(observed.settings).includes(LEGACY_SECURITY_KEY_FOR_SIGN_IN)) {
        drift.push(`the policy holds the legacy setting id "${LEGACY_SECURITY_KEY_FOR_SIGN_IN}", which no real settings catalog defines; `
            + `the update replaces it with "${SECURITY_KEY_FOR_SIGN_IN}"`);
    }
    return compact({
        ...inputs,
        displayName: observed.name,
        description: desc.userDescription === "" ? undefined : desc.userDescription,
        settings: flattenSettings(observed.settings),
        assignments: inputs.assignments ? observedAssignments(observed.assignments, res?.resolvedGroups ?? {}) : undefined,
        policyId: observed.id,
        settingCount: observed.settingCount,
        lastModifiedDateTime: observed.lastModifiedDateTime,
        ...(inputs.assignments && res ? res : {}),
        drift: drift.length > 0 ? drift : undefined,
    });
}

function desiredBody(inputs: CheckedCloudTrustInputs, roleScopeTagIds?: string[]) {
    return policyBody({
        name: inputs.displayName,
        description: markedDescription(inputs.description),
        settings: cloudTrustSettings(inputs),
        roleScopeTagIds,
    });
}

// ---- create / read / update / delete ------------------------------------------------------------

export async function createCloudTrustPolicy(inputs: CheckedCloudTrustInputs, opts: SessionOptions): Promise<{ id: string; outs: Record<string, unknown> }> {
    const w = what(inputs.displayName);
    return withGraph(inputs.graph, opts, async (gc) => {
        // Groups first: a name that does not resolve fails before anything is created.
        const resolved = inputs.assignments ? await resolveGroups(graphGroupLookup(gc, w), inputs.assignments, w) : {};
        const found = await findPoliciesByName(gc, inputs.displayName, w);
        const decision = decideAdoption(found.map((p) => ({ id: p.id, description: p.description, kind: KIND })),
            { displayName: inputs.displayName, adoptExisting: inputs.adoptExisting === true, what: w });
        let id: string;
        if (decision.action === "adopt") {
            id = decision.candidate.id;
            const existing = await readPolicy(gc, id, w);
            if (existing) refuseTemplateBased(existing, { displayName: inputs.displayName, what: w });
            await putPolicy(gc, id, desiredBody(inputs, existing?.roleScopeTagIds), w);
        } else {
            id = await createPolicy(gc, desiredBody(inputs), w);
        }
        try {
            if (inputs.assignments) await assignPolicy(gc, id, assignBody(inputs.assignments, resolved), w);
            const observed = await readPolicy(gc, id, w);
            if (!observed) throw new ProviderError("POLICY_GONE", `${w}: policy ${id} disappeared right after it was written`);
            return { id, outs: outputs(inputs, observed, resolution(inputs.assignments, resolved)) };
        } catch (e) {
            throw withPartialState(e, id, { ...inputs, policyId: id });
        }
    });
}

/**
 * The refreshed state in the shape of the inputs. Pulumi 3.248 previews an update of a provider
 * without preview support by comparing the stored *inputs* with the program's, so returning these
 * from `read` is what makes a preview after refresh print the drift itself (`settings[1]: "... =
 * false" => "... = true"`). Without drift they equal what `check` returns: no perpetual diff.
 */
export function observedInputs(outs: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of [...INPUT_KEYS, "settings", "drift"]) if (outs[k] !== undefined) out[k] = outs[k];
    return out;
}

export async function readCloudTrustPolicy(id: string, props: Record<string, any>, opts: SessionOptions): Promise<{ id: string; props: Record<string, unknown>; inputs?: Record<string, unknown> }> {
    const inputs = storedInputs(props, "refreshed");
    return withGraph(inputs.graph, opts, async (gc) => {
        const observed = await readPolicy(gc, id, what(inputs.displayName));
        // gone: an empty id makes the engine plan a create
        if (!observed) return { id: "", props: {} };
        const outs = outputs(inputs, observed, storedResolution(props));
        return { id, props: outs, inputs: observedInputs(outs) };
    });
}

export async function updateCloudTrustPolicy(id: string, news: CheckedCloudTrustInputs, opts: SessionOptions): Promise<Record<string, unknown>> {
    const w = what(news.displayName);
    return withGraph(news.graph, opts, async (gc) => {
        const observed = await readPolicy(gc, id, w);
        if (!observed) {
            throw new ProviderError("POLICY_GONE",
                `${w}: policy ${id} was deleted outside Pulumi; run \`pulumi up --refresh\` (or \`pulumi refresh\`) so that Pulumi creates it again`);
        }
        const resolved = news.assignments ? await resolveGroups(graphGroupLookup(gc, w), news.assignments, w) : {};
        const body = desiredBody(news, observed.roleScopeTagIds);
        if (observed.name !== body.name || observed.description !== body.description || !sameSettings(flattenSettings(observed.settings), flattenSettings(body.settings))) {
            await putPolicy(gc, id, body, w); // the whole policy: settings are replaced wholesale
        }
        if (news.assignments && !sameAssignments(observedAssignments(observed.assignments, resolved), news.assignments)) {
            await assignPolicy(gc, id, assignBody(news.assignments, resolved), w);
        }
        const after = await readPolicy(gc, id, w);
        if (!after) throw new ProviderError("POLICY_GONE", `${w}: policy ${id} disappeared during the update`);
        return outputs(news, after, resolution(news.assignments, resolved));
    });
}

export async function deleteCloudTrustPolicy(id: string, props: Record<string, any>, opts: SessionOptions): Promise<void> {
    const inputs = storedInputs(props, "deleted");
    await withGraph(inputs.graph, opts, (gc) => deletePolicy(gc, id, what(inputs.displayName)));
}

/** The inputs part of stored state (refresh and delete get nothing else). */
function storedInputs(props: Record<string, any>, verb: string): CheckedCloudTrustInputs {
    if (!props?.graph || typeof props.displayName !== "string") {
        throw new ProviderError("StateInvalid", `the state of this CloudTrustPolicy lacks its graph connection or displayName; it cannot be ${verb}`);
    }
    const out: Record<string, unknown> = {};
    for (const k of INPUT_KEYS) if (props[k] !== undefined) out[k] = props[k];
    const inputs = out as unknown as CheckedCloudTrustInputs;
    // after a refresh the stored `assignments` are the observed ones; what matters here is only
    // whether the resource manages assignments at all
    return { ...inputs, scope: inputs.scope ?? "device", useWindowsHelloForBusiness: inputs.useWindowsHelloForBusiness ?? true, useCloudTrustForOnPremAuth: inputs.useCloudTrustForOnPremAuth ?? true };
}
