// Create or adopt. Before creating a profile, the resource looks for existing ones with the same
// display name. One that carries this tool's marker (it was created by an earlier run whose result
// was lost, or by a stack that was since removed without deleting it) is adopted instead of being
// duplicated. One without the marker belongs to someone else: it is refused, naming it, unless the
// program says `adoptExisting: true`. Several with that name are refused, since Intune names are not
// unique and the wrong one would be overwritten.
import { ProviderError } from "../core/errors";
import { parseDescription } from "./marker";

export interface Candidate {
    id: string;
    description: string | null;
    /** "settings catalog policy" / "custom OMA-URI profile" */
    kind: string;
}

export type Adoption = { action: "create" } | { action: "adopt"; candidate: Candidate };

export function decideAdoption(candidates: readonly Candidate[], opts: { displayName: string; adoptExisting: boolean; what: string }): Adoption {
    if (candidates.length === 0) return { action: "create" };
    const list = candidates.map((c) => `${c.kind} ${c.id}${parseDescription(c.description).marked ? "" : " (not created by pulumi-entra-kerberos)"}`).join(", ");
    if (candidates.length > 1) {
        throw new ProviderError("POLICY_AMBIGUOUS",
            `${opts.what}: ${candidates.length} profiles are already named "${opts.displayName}" (${list}); delete the extra ones in Intune or choose another displayName`,
            { input: "displayName" });
    }
    const [c] = candidates;
    if (parseDescription(c.description).marked || opts.adoptExisting) return { action: "adopt", candidate: c };
    throw new ProviderError("POLICY_NOT_OURS",
        `${opts.what}: a ${c.kind} named "${opts.displayName}" already exists (id ${c.id}) and was not created by pulumi-entra-kerberos; ` +
        "set adoptExisting: true to manage it (its settings and assignments will be replaced by this program's), or choose another displayName",
        { input: "displayName" });
}

/**
 * A settings catalog policy made from a template (an Endpoint security profile, say) keeps its
 * template's settings and references (real-exports/oib-settings-catalog-whfb-configuration-
 * template-v3.2.json): a PUT of a plain catalog policy over it would drop them, so it is not adopted.
 */
export function refuseTemplateBased(policy: { id: string; templateId: string }, opts: { displayName: string; what: string }): void {
    if (policy.templateId === "") return;
    throw new ProviderError("POLICY_TEMPLATE_BASED",
        `${opts.what}: the settings catalog policy named "${opts.displayName}" (id ${policy.id}) was made from template ${policy.templateId}, ` +
        "and this resource writes a policy without a template; choose another displayName",
        { input: "displayName" });
}
