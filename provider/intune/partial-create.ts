// A create that made the profile but failed afterwards (assignment, read-back) must not lose it:
// the dynamic-provider host turns an error carrying `id` and `properties` into Pulumi's
// "created but failed to initialize" state, so the next `pulumi up` updates that profile instead of
// creating a second one. (The description marker covers the case where even the id was lost.)
import { isProviderError, ProviderError } from "../core/errors";

export function withPartialState(e: unknown, id: string, properties: Record<string, unknown>): ProviderError {
    const err = isProviderError(e) ? e : new ProviderError("INTERNAL_ERROR", String((e as Error)?.message ?? e));
    Object.assign(err, { id, properties, reasons: [err.message] });
    return err;
}
