// Read-modify-write of the tenant's FIDO2 configuration, safe against other writers as far as Graph
// allows, the same way as a Conditional Access policy's exclusions (conditional-access/reconcile.ts):
// every write is built from a settled read, sent once (a failed attempt is followed by a new read
// and a new merge, never a re-send), read back settled and verified (every target we sent, ours and
// everyone else's, there; every target we removed gone; every declared setting as declared), and
// merged again from the read-back when someone wrote in between. Bounded by `maxRounds` writes.
//
// The configuration carries no version (no modifiedDateTime, no ETag: the v1.0 CSDL gives it none),
// so a settled read cannot drop replicas older than one already seen. Instead its agreeing reads are
// spaced: CONSISTENT_READS reads that span (CONSISTENT_READS - 1) * SPACING_MS agree only once every
// replica serves the same object, for any replica lag shorter than that span.
import { ProviderError } from "../core/errors";
import { CONSISTENT_READS, MAX_SETTLE_READS, settledRead } from "../graph/settled-read";
import { decideOwnership } from "../conditional-access/ownership";
import { emptyIds } from "../conditional-access/model";
import type { Fido2Api } from "./gateway";
import { planFido2Merge, targetIdsOf, verifyFido2Merge, type Fido2Verification } from "./merge";
import type { Fido2Config, Fido2Settings } from "./model";

export const SPACING_MS = 800;
export const DEFAULT_MAX_ROUNDS = 5;

export interface Fido2ReconcileRequest {
    /** group ids the inputs ask for; empty on delete */
    want: string[];
    /** group ids the state says this resource added before; empty on create */
    previouslyOwned: string[];
    /** declared settings; none on delete (destroy restores nothing) */
    settings: Fido2Settings;
    maxRounds?: number;
    spacingMs?: number;
}

export interface Fido2ReconcileResult {
    config: Fido2Config;
    owned: string[];
    writes: number;
    failedAttempts: number;
}

/** Settled reads of the configuration (see the header for why they are spaced). */
export async function settledConfig(api: Pick<Fido2Api, "get">, spacingMs = SPACING_MS): Promise<Fido2Config> {
    const r = await settledRead(() => api.get(), {
        agree: CONSISTENT_READS, maxReads: MAX_SETTLE_READS, spacingMs, version: () => undefined, what: "the FIDO2 method configuration",
    });
    return r.value as Fido2Config;
}

/** Which targets are ours: the rule of ConditionalAccessExclusion (conditional-access/ownership.ts), for groups. */
export function decideTargetOwnership(want: string[], previouslyOwned: string[], presentBefore: string[]): { owned: string[]; remove: string[] } {
    const d = decideOwnership({ ...emptyIds(), groups: want }, { ...emptyIds(), groups: previouslyOwned }, { ...emptyIds(), groups: presentBefore });
    return { owned: d.owned.groups, remove: d.remove.groups };
}

export async function reconcileFido2(api: Fido2Api, req: Fido2ReconcileRequest): Promise<Fido2ReconcileResult> {
    const maxRounds = req.maxRounds ?? DEFAULT_MAX_ROUNDS;
    let config = await settledConfig(api, req.spacingMs);
    // ownership is decided against the configuration as it was before we wrote anything
    const { owned, remove } = decideTargetOwnership(req.want, req.previouslyOwned, targetIdsOf(config));
    let last: Fido2Verification | undefined;
    let writes = 0, failedAttempts = 0;
    for (let attempt = 1; ; ) {
        const plan = planFido2Merge(config, req.want, remove, req.settings);
        if (!plan.body) return { config, owned, writes, failedAttempts };
        if (writes >= maxRounds) throw concurrentWrites(writes, last);
        const failure = await api.patchOnce(plan.body, attempt);
        if (failure) {
            // the body is stale now: read again (our failed write may even have landed) and merge again
            failedAttempts++;
            attempt++;
            config = await settledConfig(api, req.spacingMs);
            continue;
        }
        writes++;
        attempt = 1;
        const readBack = await settledConfig(api, req.spacingMs);
        last = verifyFido2Merge(readBack, plan);
        if (last.ok) return { config: readBack, owned, writes, failedAttempts };
        config = readBack;
    }
}

function concurrentWrites(writes: number, v: Fido2Verification | undefined): ProviderError {
    const detail = v ? [
        v.missing.length ? `includeTargets lacks ${v.missing.join(", ")}` : "",
        v.lingering.length ? `includeTargets still has ${v.lingering.join(", ")}` : "",
        v.settings.length ? `${v.settings.join(", ")} read back different` : "",
    ].filter(Boolean).join("; ") : "";
    return new ProviderError("FIDO2_CONCURRENT_WRITES",
        `the FIDO2 method configuration kept changing while this resource wrote it (${writes} writes, each read back different from what was sent` +
        `${detail ? `: ${detail}` : ""}). Another client is editing it at the same time; run the operation again.`,
        { input: "includeGroups", retryable: true });
}
