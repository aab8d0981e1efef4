// Which exclusions belong to this resource. The rule (issue 5): the resource owns exactly the
// entries it added. An entry that was already on the policy before this resource wanted it (put
// there by hand, by the policy's owner or by another stack) is not ours: we keep it there while
// we want it, and we never remove it.
import { EXCLUSION_KINDS, emptyIds, idKey, type ExclusionIds } from "./model";

export interface OwnershipDecision {
    /** what the resource owns once the write is done; recorded in state */
    owned: ExclusionIds;
    /** entries to take off the policy: ours, and no longer wanted */
    remove: ExclusionIds;
}

/**
 * @param want            ids the resource's inputs ask for now (empty on delete)
 * @param previouslyOwned ids the state says this resource added earlier (empty on create)
 * @param presentBefore   the policy's lists as read before this operation wrote anything
 */
export function decideOwnership(want: ExclusionIds, previouslyOwned: ExclusionIds, presentBefore: ExclusionIds): OwnershipDecision {
    const owned = emptyIds(), remove = emptyIds();
    for (const kind of EXCLUSION_KINDS) {
        const wanted = new Set(want[kind].map(idKey));
        const hadOwned = new Set(previouslyOwned[kind].map(idKey));
        const present = new Set(presentBefore[kind].map(idKey));
        const ownedKeys = new Set<string>();
        for (const id of want[kind]) {
            const k = idKey(id);
            // still ours, or about to be added by us; an entry someone else put there stays theirs
            if ((hadOwned.has(k) || !present.has(k)) && !ownedKeys.has(k)) {
                ownedKeys.add(k);
                owned[kind].push(id);
            }
        }
        for (const id of previouslyOwned[kind]) {
            if (!wanted.has(idKey(id))) remove[kind].push(id);
        }
    }
    return { owned, remove };
}
