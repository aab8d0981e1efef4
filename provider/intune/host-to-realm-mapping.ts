// HostToRealmMapping: Kerberos host-to-realm mappings for Windows clients (docs/resources/), delivered
// through the settings catalog when the tenant's catalog has a HostToRealm definition (discovered
// at create), otherwise as a Windows custom configuration profile with the ADMX-backed OMA-URI.
// The delivery chosen at create is kept for the life of the resource (`deliveredAs`).
//
// Drift detection differs by delivery:
// - settings catalog: values are plain strings, so `mappings` holds what Intune has, exactly.
// - custom OMA-URI: Graph masks the value on every read. What is visible: the OMA-URI rows (a
//   removed or added row), the description's content hash (edited or removed), and the row's
//   secretReferenceValueId, which Intune renews whenever the value is written, so a value rewritten
//   outside Pulumi is detected (not what it was changed to). `drift` says which; `pulumi up`
//   writes the value again. Unchanged rows with an unchanged reference cannot be verified further.
import { ProviderError } from "../core/errors";
import type { GraphClient, GraphConnection } from "../graph";
import { checkGraphConnection } from "../graph/check-connection";
import { decideAdoption, refuseTemplateBased, type Candidate } from "./adoption";
import {
    assignBody, checkAssignments, graphGroupLookup, normalizeAssignments, observedAssignments, resolution, resolveGroups, sameAssignments, storedResolution,
    type Assignments, type AssignmentsInput, type Resolution,
} from "./assignments";
import { checkDisplayName, checkKnownKeys, checkOptionalBoolean, compact, containsUnknown, deepEqual, type Failure } from "./check-common";
import {
    assignPolicy, createPolicy, deletePolicy, findPoliciesByName, putPolicy, readPolicy,
} from "./configuration-policies";
import {
    assignProfile, createProfile, CUSTOM_CONFIGURATION, deleteProfile, findProfilesByName, OMA_STRING, patchProfile, readProfile,
    type CustomProfileBody,
} from "./device-configurations";
import { withGraph, type SessionOptions } from "./graph-session";
import { canonicalMappings, checkMappings, encodeHostToRealm, HOST_TO_REALM_OMA_URI, mappingsHash, sameMappings, type RealmMapping } from "./host-to-realm";
import { decodeHostToRealmSettings, discoverHostToRealmDefinition, hostToRealmInstance, type HostToRealmDefinition } from "./host-to-realm-catalog";
import { markedDescription, parseDescription } from "./marker";
import { HOST_TO_REALM_INPUT_KEYS as INPUT_KEYS, HOST_TO_REALM_OUTPUT_KEYS as OUTPUT_KEYS, type Delivery } from "./model";
import { withPartialState } from "./partial-create";
import { policyBody } from "./settings-catalog";
import { flattenSettings, sameSettings } from "./settings-compare";

export interface HostToRealmMappingInputs {
    graph: GraphConnection;
    displayName: string;
    mappings: RealmMapping[];
    assignments?: AssignmentsInput;
    adoptExisting?: boolean;
}

export interface CheckedHostToRealmInputs extends HostToRealmMappingInputs {
    assignments?: Assignments;
    /** sha256 of the canonical payload, derived in check */
    contentHash?: string;
}


const CATALOG_KIND = "settings catalog policy";
const OMA_KIND = "custom OMA-URI profile";
const what = (displayName: unknown) => `HostToRealmMapping "${String(displayName)}"`;

export type { Delivery } from "./model";

// ---- check / diff ----------------------------------------------------------------------------------

export function checkHostToRealmMapping(news: Record<string, any>): { inputs: CheckedHostToRealmInputs; failures: Failure[] } {
    const failures: Failure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    failures.push(...checkGraphConnection(news.graph));
    checkDisplayName(news.displayName, fail);
    failures.push(...checkMappings(news.mappings));
    failures.push(...checkAssignments(news.assignments));
    checkOptionalBoolean("adoptExisting", news.adoptExisting, fail);
    checkKnownKeys(news, INPUT_KEYS, OUTPUT_KEYS, fail);
    const known = failures.length === 0 && !containsUnknown(news.mappings);
    const inputs: CheckedHostToRealmInputs = compact({
        graph: news.graph,
        displayName: news.displayName,
        mappings: known ? canonicalMappings(news.mappings) : news.mappings,
        // only valid assignments have a canonical form (a list that is not one would throw here)
        assignments: failures.length > 0 || containsUnknown(news.assignments) ? news.assignments : normalizeAssignments(news.assignments),
        adoptExisting: news.adoptExisting,
        contentHash: known ? mappingsHash(news.mappings) : undefined,
    });
    return { inputs, failures };
}

export function diffHostToRealmMapping(olds: Record<string, any>, news: CheckedHostToRealmInputs): { changes: boolean; reasons: string[] } {
    if (containsUnknown(news)) return { changes: true, reasons: ["some inputs are not known yet"] };
    const reasons: string[] = [];
    if (olds.displayName !== news.displayName) reasons.push("displayName");
    if (!Array.isArray(olds.mappings) || !sameMappings(olds.mappings, news.mappings)) reasons.push("mappings");
    if (olds.contentHash !== mappingsHash(news.mappings)) reasons.push("contentHash");
    if (!sameAssignments(olds.assignments, news.assignments)) reasons.push("assignments");
    if (Array.isArray(olds.drift) && olds.drift.length > 0) reasons.push("drift");
    for (const k of ["graph", "adoptExisting"] as const) if (!deepEqual(olds[k], news[k])) reasons.push(k);
    return { changes: reasons.length > 0, reasons };
}

// ---- observation -------------------------------------------------------------------------------------

/** One read of the profile, whichever kind, reduced to what drift detection needs. */
interface Observed {
    id: string;
    displayName: string;
    description: string;
    lastModifiedDateTime: string;
    // any: Graph's JSON as read (settings, assignments)
    assignments: any[];
    /** catalog: the mappings read back; OMA: undefined (masked) */
    mappings?: RealmMapping[];
    /** settings or OMA rows that are not this resource's */
    unexpected: string[];
    /** OMA: the HostToRealm row's secretReferenceValueId */
    valueReference?: string | null;
    /** catalog: the raw settings, for a precise comparison on update */
    settings?: any[];
    roleScopeTagIds?: string[];
}

async function observe(gc: GraphClient, delivery: Delivery, id: string, w: string): Promise<Observed | undefined> {
    if (delivery === "settingsCatalog") {
        const p = await readPolicy(gc, id, w);
        if (!p) return undefined;
        const decoded = decodeHostToRealmSettings(p.settings);
        return {
            id: p.id, displayName: p.name, description: p.description, lastModifiedDateTime: p.lastModifiedDateTime, assignments: p.assignments,
            mappings: canonicalMappings(decoded.mappings), unexpected: decoded.unexpected, settings: p.settings, roleScopeTagIds: p.roleScopeTagIds,
        };
    }
    const d = await readProfile(gc, id, w);
    if (!d) return undefined;
    const ours = d.omaSettings.filter((s) => s.omaUri === HOST_TO_REALM_OMA_URI && s.odataType === OMA_STRING);
    const unexpected = d.omaSettings.filter((s) => !ours.includes(s)).map((s) => `OMA-URI ${s.omaUri} (${s.odataType.replace("#microsoft.graph.", "")}) was added outside Pulumi`);
    if (ours.length === 0) unexpected.push(`the OMA-URI ${HOST_TO_REALM_OMA_URI} (string) was removed outside Pulumi`);
    if (ours.length > 1) unexpected.push(`the OMA-URI ${HOST_TO_REALM_OMA_URI} appears ${ours.length} times`);
    if (d.odataType !== CUSTOM_CONFIGURATION) unexpected.push(`profile ${id} is a ${d.odataType}, not a ${CUSTOM_CONFIGURATION}`);
    return {
        id: d.id, displayName: d.displayName, description: d.description, lastModifiedDateTime: d.lastModifiedDateTime, assignments: d.assignments,
        unexpected, valueReference: ours.length === 1 ? ours[0].secretReferenceValueId : null,
    };
}

function outputs(inputs: CheckedHostToRealmInputs, delivery: Delivery, observed: Observed, recordedReference: string | null | undefined, res: Resolution | undefined): Record<string, unknown> {
    const desc = parseDescription(observed.description);
    const drift = [...observed.unexpected];
    if (!desc.marked) drift.push("the description lost the pulumi-entra-kerberos marker and content hash");
    if (delivery === "customOmaUri" && recordedReference && observed.valueReference && observed.valueReference !== recordedReference) {
        drift.push(`the HostToRealm value was rewritten outside Pulumi; Graph masks it, so it will be written again (secret reference ${recordedReference} -> ${observed.valueReference})`);
    }
    return compact({
        ...inputs,
        displayName: observed.displayName,
        mappings: observed.mappings ?? inputs.mappings,
        contentHash: desc.contentHash,
        assignments: inputs.assignments ? observedAssignments(observed.assignments, res?.resolvedGroups ?? {}) : undefined,
        policyId: observed.id,
        deliveredAs: delivery,
        lastModifiedDateTime: observed.lastModifiedDateTime,
        valueReference: delivery === "customOmaUri" ? recordedReference ?? undefined : undefined,
        ...(inputs.assignments && res ? res : {}),
        drift: drift.length > 0 ? drift : undefined,
    });
}

// ---- bodies ----------------------------------------------------------------------------------------

export function omaProfileBody(displayName: string, mappings: readonly RealmMapping[], opts: { forCreate: boolean }): CustomProfileBody {
    return {
        "@odata.type": CUSTOM_CONFIGURATION,
        displayName,
        description: markedDescription(undefined, mappingsHash(mappings)),
        ...(opts.forCreate ? { roleScopeTagIds: ["0"] } : {}), // an update keeps the scope tags set in the portal
        omaSettings: [{ "@odata.type": OMA_STRING, displayName: "HostToRealm", omaUri: HOST_TO_REALM_OMA_URI, value: encodeHostToRealm(mappings) }],
    };
}

export function catalogPolicyBody(displayName: string, def: HostToRealmDefinition, mappings: readonly RealmMapping[], roleScopeTagIds?: string[]) {
    return policyBody({ name: displayName, description: markedDescription(undefined, mappingsHash(mappings)), settings: [hostToRealmInstance(def, mappings)], roleScopeTagIds });
}

async function requireDefinition(gc: GraphClient, inputs: CheckedHostToRealmInputs, w: string): Promise<HostToRealmDefinition> {
    const def = await discoverHostToRealmDefinition(gc, w);
    if (!def) {
        throw new ProviderError("CATALOG_DEFINITION_MISSING",
            `${w}: this profile is a settings catalog policy, but the tenant's settings catalog no longer has a HostToRealm definition; replace the resource to move it to a custom OMA-URI profile`);
    }
    return withinCapacity(def, inputs, w);
}

function withinCapacity(def: HostToRealmDefinition, inputs: CheckedHostToRealmInputs, w: string): HostToRealmDefinition {
    if (def.maximumCount !== undefined && inputs.mappings.length > def.maximumCount) {
        throw new ProviderError("TOO_MANY_REALMS", `${w}: the settings catalog takes at most ${def.maximumCount} realms, mappings has ${inputs.mappings.length}`, { input: "mappings" });
    }
    return def;
}

// ---- create / read / update / delete ------------------------------------------------------------

export async function createHostToRealmMapping(inputs: CheckedHostToRealmInputs, opts: SessionOptions): Promise<{ id: string; outs: Record<string, unknown> }> {
    const w = what(inputs.displayName);
    return withGraph(inputs.graph, opts, async (gc) => {
        const resolved = inputs.assignments ? await resolveGroups(graphGroupLookup(gc, w), inputs.assignments, w) : {};
        // both kinds: an earlier run may have delivered it either way
        const candidates: Candidate[] = [
            ...(await findPoliciesByName(gc, inputs.displayName, w)).map((p) => ({ id: p.id, description: p.description, kind: CATALOG_KIND })),
            ...(await findProfilesByName(gc, inputs.displayName, w)).filter((p) => p.odataType === CUSTOM_CONFIGURATION)
                .map((p) => ({ id: p.id, description: p.description, kind: OMA_KIND })),
        ];
        const decision = decideAdoption(candidates, { displayName: inputs.displayName, adoptExisting: inputs.adoptExisting === true, what: w });
        let delivery: Delivery;
        let id: string;
        if (decision.action === "adopt") {
            id = decision.candidate.id;
            delivery = decision.candidate.kind === CATALOG_KIND ? "settingsCatalog" : "customOmaUri";
            if (delivery === "settingsCatalog") {
                const existing = await readPolicy(gc, id, w);
                if (existing) refuseTemplateBased(existing, { displayName: inputs.displayName, what: w });
                await putPolicy(gc, id, catalogPolicyBody(inputs.displayName, await requireDefinition(gc, inputs, w), inputs.mappings, existing?.roleScopeTagIds), w);
            } else {
                await patchProfile(gc, id, omaProfileBody(inputs.displayName, inputs.mappings, { forCreate: false }), w);
            }
        } else {
            const def = await discoverHostToRealmDefinition(gc, w);
            delivery = def ? "settingsCatalog" : "customOmaUri";
            if (def) {
                id = await createPolicy(gc, catalogPolicyBody(inputs.displayName, withinCapacity(def, inputs, w), inputs.mappings), w);
            } else {
                id = await createProfile(gc, omaProfileBody(inputs.displayName, inputs.mappings, { forCreate: true }), w);
            }
        }
        try {
            if (inputs.assignments) await assign(gc, delivery, id, assignBody(inputs.assignments, resolved), w);
            const observed = await observe(gc, delivery, id, w);
            if (!observed) throw new ProviderError("POLICY_GONE", `${w}: ${id} disappeared right after it was written`);
            return { id, outs: outputs(inputs, delivery, observed, observed.valueReference, resolution(inputs.assignments, resolved)) };
        } catch (e) {
            throw withPartialState(e, id, { ...inputs, policyId: id, deliveredAs: delivery });
        }
    });
}

/** The refreshed state in the shape of the inputs, so a preview prints the drift (see cloud-trust-policy.ts). */
export function observedInputs(outs: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of [...INPUT_KEYS, "contentHash", "drift"]) if (outs[k] !== undefined) out[k] = outs[k];
    return out;
}

export async function readHostToRealmMapping(id: string, props: Record<string, any>, opts: SessionOptions): Promise<{ id: string; props: Record<string, unknown>; inputs?: Record<string, unknown> }> {
    const inputs = storedInputs(props, "refreshed");
    const delivery = storedDelivery(props);
    return withGraph(inputs.graph, opts, async (gc) => {
        const observed = await observe(gc, delivery, id, what(inputs.displayName));
        if (!observed) return { id: "", props: {} };
        const res = storedResolution(props);
        // the reference recorded at the last write stays: it is the evidence a later rewrite is compared with
        const outs = outputs(inputs, delivery, observed, props.valueReference, res);
        return { id, props: outs, inputs: observedInputs(outs) };
    });
}

export async function updateHostToRealmMapping(id: string, olds: Record<string, any>, news: CheckedHostToRealmInputs, opts: SessionOptions): Promise<Record<string, unknown>> {
    const w = what(news.displayName);
    const delivery = storedDelivery(olds);
    return withGraph(news.graph, opts, async (gc) => {
        const observed = await observe(gc, delivery, id, w);
        if (!observed) {
            throw new ProviderError("POLICY_GONE", `${w}: ${id} was deleted outside Pulumi; run \`pulumi up --refresh\` (or \`pulumi refresh\`) so that Pulumi creates it again`);
        }
        const resolved = news.assignments ? await resolveGroups(graphGroupLookup(gc, w), news.assignments, w) : {};
        if (delivery === "settingsCatalog") {
            const body = catalogPolicyBody(news.displayName, await requireDefinition(gc, news, w), news.mappings, observed.roleScopeTagIds);
            if (observed.displayName !== body.name || observed.description !== body.description || !sameSettings(flattenSettings(observed.settings ?? []), flattenSettings(body.settings))) {
                await putPolicy(gc, id, body, w);
            }
        } else {
            const body = omaProfileBody(news.displayName, news.mappings, { forCreate: false });
            const rewritten = olds.valueReference && observed.valueReference !== olds.valueReference;
            if (observed.displayName !== body.displayName || observed.description !== body.description || observed.unexpected.length > 0 || rewritten) {
                await patchProfile(gc, id, body, w); // the complete omaSettings: the collection is replaced
            }
        }
        if (news.assignments && !sameAssignments(observedAssignments(observed.assignments, resolved), news.assignments)) {
            await assign(gc, delivery, id, assignBody(news.assignments, resolved), w);
        }
        const after = await observe(gc, delivery, id, w);
        if (!after) throw new ProviderError("POLICY_GONE", `${w}: ${id} disappeared during the update`);
        return outputs(news, delivery, after, after.valueReference, resolution(news.assignments, resolved));
    });
}

export async function deleteHostToRealmMapping(id: string, props: Record<string, any>, opts: SessionOptions): Promise<void> {
    const inputs = storedInputs(props, "deleted");
    const delivery = storedDelivery(props);
    await withGraph(inputs.graph, opts, (gc) =>
        delivery === "settingsCatalog" ? deletePolicy(gc, id, what(inputs.displayName)) : deleteProfile(gc, id, what(inputs.displayName)));
}

function assign(gc: GraphClient, delivery: Delivery, id: string, body: { assignments: unknown[] }, w: string): Promise<void> {
    return delivery === "settingsCatalog" ? assignPolicy(gc, id, body, w) : assignProfile(gc, id, body, w);
}

function storedInputs(props: Record<string, any>, verb: string): CheckedHostToRealmInputs {
    if (!props?.graph || typeof props.displayName !== "string" || !Array.isArray(props.mappings)) {
        throw new ProviderError("StateInvalid", `the state of this HostToRealmMapping lacks its graph connection, displayName or mappings; it cannot be ${verb}`);
    }
    const out: Record<string, unknown> = {};
    for (const k of INPUT_KEYS) if (props[k] !== undefined) out[k] = props[k];
    return out as unknown as CheckedHostToRealmInputs;
}

function storedDelivery(props: Record<string, any>): Delivery {
    if (props?.deliveredAs !== "settingsCatalog" && props?.deliveredAs !== "customOmaUri") {
        throw new ProviderError("StateInvalid", "the state of this HostToRealmMapping does not say how it was delivered (deliveredAs)");
    }
    return props.deliveredAs;
}
