// Read-modify-write of one policy's exclusions, safe against other writers as far as Graph allows.
// Graph has no ETag for Conditional Access (docs/sources.md, Graph §4), so a write cannot be made
// conditional. What we do instead (docs/resources/conditional-access-exclusion.md, "How a write works, and what Graph cannot guarantee"):
//  - every write is built from the read made immediately before it, and that read is SETTLED
//    (graph/settled-read.ts): consecutive reads agree and none is older than a version already
//    seen, so a replica that lags behind another client's write cannot hand us the old list;
//  - a write is sent once: after a throttled or failed attempt its body is stale by definition, so
//    we wait, read again, merge again and send a NEW body (never the old one, see graph/retry.ts);
//  - write only the sub-objects we change, each as read with only our entries changed;
//  - read back until our write is visible, and check that every entry we sent, ours and everyone
//    else's, is there and every entry we removed is gone; if not, someone wrote in between: start
//    again from that read-back.
// A writer that does the same (every ConditionalAccessExclusion, in any stack) therefore never
// loses its entries for good: whichever write lands last, the other side sees its entries missing
// and merges them back in. Bounded: after `maxRounds` writes we give up with an error.
import { ProviderError } from "../core/errors";
import type { SendFailure } from "../graph/request";
import { CONSISTENT_READS, MAX_SETTLE_READS, settledRead } from "../graph/settled-read";
import { decideOwnership } from "./ownership";
import { exclusionsOf, planMerge, verifyMerge, type CaPolicy, type PatchBody, type Verification } from "./merge";
import { EXCLUSION_KINDS, KINDS, type ExclusionIds } from "./model";

/** The policy operations the read-modify-write needs (Graph in production, fakes in unit tests). */
export interface PolicyApi {
    /** the policy, or undefined when it does not exist (404) */
    get(id: string): Promise<CaPolicy | undefined>;
    /**
     * One attempt of the write, never repeated with the same body (graphSendOnce): undefined when
     * it succeeded, else the failure after the retry policy's wait. `attempt` counts this write's tries.
     */
    patchOnce(id: string, body: PatchBody, attempt: number): Promise<SendFailure | undefined>;
}

export interface ReconcileRequest {
    policyId: string;
    /** how messages name the policy: `"Require MFA" (0a1b...)` */
    policyLabel: string;
    /** ids the inputs ask for; empty on delete */
    want: ExclusionIds;
    /** ids the state says this resource added before; empty on create */
    previouslyOwned: ExclusionIds;
    /** a read of the policy made just before (the name lookup returns whole policies): the first of the settled reads */
    firstRead?: CaPolicy;
    /** a policy that does not exist is an error (create, update) or means nothing is left to remove (delete) */
    ifMissing: "error" | "done";
    maxRounds?: number;
}

export interface ReconcileResult {
    /** the policy as last read; undefined when it is gone and ifMissing is "done" */
    policy?: CaPolicy;
    owned: ExclusionIds;
    /** PATCH requests that succeeded */
    writes: number;
    /** PATCH attempts that failed and were followed by a fresh read instead of a re-send */
    failedAttempts: number;
}

export const DEFAULT_MAX_ROUNDS = 5;

/** A policy's version: Graph sets modifiedDateTime on every change (null until the first one). */
export const policyVersion = (p: CaPolicy): string | undefined => p.modifiedDateTime ?? p.createdDateTime ?? undefined;

/** Settled reads of one policy that never go back behind a version already seen. */
export class PolicyReads {
    private newest: string | undefined;

    constructor(private readonly api: Pick<PolicyApi, "get">, private readonly policyId: string, private readonly policyLabel: string) {}

    /**
     * `newerThan`: a read counts only once it shows a version after this one (our own write).
     * `first`: a read just made (the name lookup's), counted as the first of the settled reads.
     */
    async settled(newerThan?: CaPolicy, first?: CaPolicy): Promise<CaPolicy | undefined> {
        const after = newerThan ? policyVersion(newerThan) : undefined;
        const r = await settledRead(() => this.api.get(this.policyId), {
            agree: CONSISTENT_READS, maxReads: MAX_SETTLE_READS,
            spacingMs: 0, // every read waits for the tenant's 1 request/second slot already
            version: policyVersion, floor: this.newest, first,
            // a policy without any version (never the case on Graph) cannot show when our write is visible
            accept: after === undefined ? undefined : (p) => p === undefined || (policyVersion(p) ?? "") > after,
            what: `Conditional Access policy ${this.policyLabel}`,
        });
        this.newest = r.newest ?? this.newest;
        return r.value;
    }
}

export async function reconcileExclusions(api: PolicyApi, req: ReconcileRequest): Promise<ReconcileResult> {
    const maxRounds = req.maxRounds ?? DEFAULT_MAX_ROUNDS;
    const reads = new PolicyReads(api, req.policyId, req.policyLabel);
    let policy = await reads.settled(undefined, req.firstRead);
    if (!policy) return missing(req);
    // ownership is decided against the policy as it was before we wrote anything
    const { owned, remove } = decideOwnership(req.want, req.previouslyOwned, exclusionsOf(policy));

    let last: Verification | undefined;
    let writes = 0, failedAttempts = 0;
    for (let attempt = 1; ; ) {
        const plan = planMerge(policy, req.want, remove);
        if (!plan.body) return { policy, owned, writes, failedAttempts };
        if (writes >= maxRounds) throw concurrentWrites(req, writes, last);
        const failure = await api.patchOnce(req.policyId, plan.body, attempt);
        if (failure) {
            // the body is stale now: read again (our failed write may even have landed) and merge again
            failedAttempts++;
            attempt++;
            policy = await reads.settled();
            if (!policy) return missing(req);
            continue;
        }
        writes++;
        attempt = 1;
        const readBack = await reads.settled(policy);
        if (!readBack) return missing(req);
        last = verifyMerge(readBack, plan);
        if (last.ok) return { policy: readBack, owned, writes, failedAttempts };
        // someone changed the policy between our read and our read-back: merge again from what is there now
        policy = readBack;
    }
}

function missing(req: ReconcileRequest): ReconcileResult {
    if (req.ifMissing === "done") return { owned: { applications: [], groups: [], users: [] }, writes: 0, failedAttempts: 0 };
    throw policyGone(req.policyLabel);
}

/** The one message for "the policy is not there any more" (refresh, update, create after lookup). */
export function policyGone(policyLabel: string): ProviderError {
    return new ProviderError("CA_POLICY_DELETED",
        `Conditional Access policy ${policyLabel} no longer exists (deleted outside this stack?). ` +
        "ConditionalAccessExclusion never re-creates a policy it does not own: restore the policy, point `policy` at another one, " +
        "or remove this resource from the program (its delete has nothing left to remove)",
        { input: "policy" });
}

function concurrentWrites(req: ReconcileRequest, writes: number, v: Verification | undefined): ProviderError {
    const detail = v ? describe(v) : "";
    return new ProviderError("CA_CONCURRENT_WRITES",
        `Conditional Access policy ${req.policyLabel} kept changing while this resource wrote its exclusions ` +
        `(${writes} writes, each read back different from what was sent${detail ? `: ${detail}` : ""}). ` +
        "Another client is editing the same policy at the same time; run the operation again.",
        { input: "policy", retryable: true });
}

function describe(v: Verification): string {
    const parts: string[] = [];
    for (const kind of EXCLUSION_KINDS) {
        const { subObject, list } = KINDS[kind];
        if (v.missing[kind].length) parts.push(`conditions.${subObject}.${list} lacks ${v.missing[kind].join(", ")}`);
        if (v.lingering[kind].length) parts.push(`conditions.${subObject}.${list} still has ${v.lingering[kind].join(", ")}`);
    }
    return parts.join("; ");
}
