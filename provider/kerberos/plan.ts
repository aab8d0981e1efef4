// The plan of one create/update: named changes derived from the observation and the rotation
// decision. Pure; the reconciler executes it in this order: publish (with rotation), then the
// allow/deny lists with this owner's claim (publishing creates the computer, and with it
// Microsoft's default lists).
import { isListInSync } from "../ad/prp";
import { adReasons, auditReasons, cloudReasons, type Observation } from "./drift";
import { reasonText } from "./reasons";
import type { RotationDecision } from "./rotation";

export type ChangeKind = "publish" | "rotate" | "allowList" | "denyList" | "listClaim";

export interface PlannedChange {
    kind: ChangeKind;
    why: string;
}

export function planChanges(obs: Observation, rotation: RotationDecision, existing: boolean): PlannedChange[] {
    const changes: PlannedChange[] = [];
    if (rotation.rotate) {
        changes.push({ kind: "rotate", why: rotation.reasons.map(reasonText).join("; ") });
    } else {
        // Set-AzureADKerberosServer is idempotent: it creates what is missing, adopts what exists
        // and re-publishes a stale cloud record. On create it always runs (adoption).
        const why = [...adReasons(obs.ad), ...cloudReasons(obs), ...auditReasons(obs)].map(reasonText);
        if (!existing) changes.push({ kind: "publish", why: why.length ? why.join("; ") : "create (adopts an existing server)" });
        else if (why.length) changes.push({ kind: "publish", why: why.join("; ") });
    }
    // Without a computer there are no lists to compare yet: publishing creates it with the defaults.
    const lists = obs.prp;
    if (!lists || !isListInSync(lists.allow)) changes.push({ kind: "allowList", why: lists ? "allow list differs" : "computer account is new" });
    if (!lists || !isListInSync(lists.deny)) changes.push({ kind: "denyList", why: lists ? "deny list differs" : "computer account is new" });
    // the list writes rewrite the claim too; on its own it is a change of its own
    if (lists && !lists.claim.current && !changes.some((c) => c.kind === "allowList" || c.kind === "denyList")) changes.push({ kind: "listClaim", why: `claim of ${lists.claim.owner} missing or out of date` });
    return changes;
}

/** True if the plan calls the publisher's set. */
export function publishes(plan: PlannedChange[]): boolean {
    return plan.some((c) => c.kind === "publish" || c.kind === "rotate");
}
