// The read-only directory lookups a `check` runs for a resource about to be created: `pulumi preview`
// of a new resource calls only `check`, so an unknown or ambiguous name must fail there. A lookup
// failure that names an input becomes a check failure on that input; anything else is thrown.
import { ProviderError } from "../core/errors";

export interface LookupFailure {
    property: string;
    reason: string;
}

export async function lookupFailures(lookups: () => Promise<void>): Promise<LookupFailure[]> {
    try {
        await lookups();
        return [];
    } catch (e) {
        if (!(e instanceof ProviderError) || !e.input) throw e;
        return [{ property: e.input, reason: e.message }];
    }
}
