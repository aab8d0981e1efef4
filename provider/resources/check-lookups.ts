// The read-only directory lookups a `check` runs for a resource about to be created: `pulumi preview`
// of a new resource calls only `check`, so an unknown or ambiguous name must fail there. A lookup
// failure that names an input becomes a check failure on that input; anything else is thrown.
import { ProviderError } from "../core/errors";
import { containsUnknown } from "../intune/check-common";

export interface LookupFailure {
    property: string;
    reason: string;
}

async function lookupFailures(lookups: () => Promise<void>): Promise<LookupFailure[]> {
    try {
        await lookups();
        return [];
    } catch (e) {
        if (!(e instanceof ProviderError) || !e.input) throw e;
        return [{ property: e.input, reason: e.message }];
    }
}

/**
 * `check` of a resource whose names only the directory can resolve: the input rules' failures, and
 * when there are none, the resource is about to be created and every input is known, the failures
 * of its read-only lookups (an existing resource does them in diff).
 */
export async function checkWithLookups(news: Record<string, unknown>, failures: LookupFailure[], creating: boolean, lookups: () => Promise<void>): Promise<{ inputs: Record<string, unknown>; failures: LookupFailure[] }> {
    if (failures.length === 0 && creating && !containsUnknown(news)) failures.push(...await lookupFailures(lookups));
    return { inputs: news, failures };
}
