// Read-modify-write of one policy's exclusions, safe against other writers as far as Graph allows.
// Graph has no ETag for Conditional Access (graph-apis.md §4), so a write cannot be made
// conditional. What we do instead:
//  - read, then write immediately (all lookups happen before the read; nothing but the tenant's
//    request pacing sits between read and write);
//  - write only the sub-objects we change, each as read with only our entries changed;
//  - read back and check that every entry we sent, ours and everyone else's, is there and every
//    entry we removed is gone; if not, someone wrote in between: start again from that read-back.
// A writer that does the same (every ConditionalAccessExclusion, in any stack) therefore never
// loses its entries for good: whichever write lands last, the other side sees its entries missing
// and merges them back in. Bounded: after `maxRounds` writes we give up with an error.
import { ProviderError } from "../core/errors";
import { decideOwnership } from "./ownership";
import { exclusionsOf, planMerge, verifyMerge, type CaPolicy, type PatchBody, type Verification } from "./merge";
import { EXCLUSION_KINDS, KINDS, type ExclusionIds } from "./model";

/** The policy operations the read-modify-write needs (Graph in production, fakes in unit tests). */
export interface PolicyApi {
    /** the policy, or undefined when it does not exist (404) */
    get(id: string): Promise<CaPolicy | undefined>;
    patch(id: string, body: PatchBody): Promise<void>;
}

export interface ReconcileRequest {
    policyId: string;
    /** how messages name the policy: `"Require MFA" (0a1b...)` */
    policyLabel: string;
    /** ids the inputs ask for; empty on delete */
    want: ExclusionIds;
    /** ids the state says this resource added before; empty on create */
    previouslyOwned: ExclusionIds;
    /** a read of the policy made moments ago (the name lookup returns whole policies); saves one request */
    firstRead?: CaPolicy;
    /** a policy that does not exist is an error (create, update) or means nothing is left to remove (delete) */
    ifMissing: "error" | "done";
    maxRounds?: number;
}

export interface ReconcileResult {
    /** the policy as last read; undefined when it is gone and ifMissing is "done" */
    policy?: CaPolicy;
    owned: ExclusionIds;
    /** PATCH requests sent */
    writes: number;
}

export const DEFAULT_MAX_ROUNDS = 5;

export async function reconcileExclusions(api: PolicyApi, req: ReconcileRequest): Promise<ReconcileResult> {
    const maxRounds = req.maxRounds ?? DEFAULT_MAX_ROUNDS;
    let policy = req.firstRead ?? await api.get(req.policyId);
    if (!policy) return missing(req);
    // ownership is decided against the policy as it was before we wrote anything
    const { owned, remove } = decideOwnership(req.want, req.previouslyOwned, exclusionsOf(policy));

    let last: Verification | undefined;
    for (let writes = 0; ; ) {
        const plan = planMerge(policy, req.want, remove);
        if (!plan.body) return { policy, owned, writes };
        if (writes >= maxRounds) throw concurrentWrites(req, writes, last);
        await api.patch(req.policyId, plan.body);
        writes++;
        const readBack = await api.get(req.policyId);
        if (!readBack) return missing(req);
        last = verifyMerge(readBack, plan);
        if (last.ok) return { policy: readBack, owned, writes };
        // someone changed the policy between our read and our read-back: merge again from what is there now
        policy = readBack;
    }
}

function missing(req: ReconcileRequest): ReconcileResult {
    if (req.ifMissing === "done") return { owned: { applications: [], groups: [], users: [] }, writes: 0 };
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
