// `policy` is an id or an exact display name (docs/resources/). Names are matched exactly, case included:
// Conditional Access allows two policies with the same name, and guessing between "Require MFA"
// and "Require MFA (old)" could put an exclusion on the wrong policy. An unknown or ambiguous
// name fails with the candidates, so the user can pick the id or the right spelling.
import { ProviderError } from "../core/errors";
import type { CaPolicy } from "./merge";
import { isGuid } from "../core/grammar";

export interface PolicyDirectory {
    get(id: string): Promise<CaPolicy | undefined>;
    /** every policy of the tenant, whole (the match doubles as the first read of the write) */
    list(): Promise<CaPolicy[]>;
}

const MAX_CANDIDATES = 10;

export function policyLabel(p: Pick<CaPolicy, "id" | "displayName">): string {
    return `"${p.displayName}" (${p.id})`;
}

/** The policy `ref` names, read just now. */
export async function findPolicy(dir: PolicyDirectory, ref: string): Promise<CaPolicy> {
    if (isGuid(ref)) {
        const p = await dir.get(ref);
        if (!p) throw new ProviderError("CA_POLICY_NOT_FOUND", `policy: no Conditional Access policy has the id ${ref}`, { input: "policy" });
        return p;
    }
    return matchPolicyByName(await dir.list(), ref);
}

/** Exactly one policy named `name`, or an error listing the candidates. */
export function matchPolicyByName(all: CaPolicy[], name: string): CaPolicy {
    const exact = all.filter((p) => p.displayName === name);
    if (exact.length === 1) return exact[0];
    if (exact.length > 1) {
        throw new ProviderError("CA_POLICY_AMBIGUOUS",
            `policy: ${exact.length} Conditional Access policies are named "${name}": ${exact.map((p) => p.id).join(", ")}; give the id of the one you mean`,
            { input: "policy" });
    }
    const candidates = similarNames(all, name);
    const hint = candidates.length
        ? `; similar names: ${candidates.map(policyLabel).join(", ")}`
        : all.length
            ? `; the tenant's policies are: ${all.slice(0, MAX_CANDIDATES).map(policyLabel).join(", ")}${all.length > MAX_CANDIDATES ? `, and ${all.length - MAX_CANDIDATES} more` : ""}`
            : "; the tenant has no Conditional Access policies";
    throw new ProviderError("CA_POLICY_NOT_FOUND",
        `policy: no Conditional Access policy is named exactly "${name}" (names are matched exactly, case included)${hint}`,
        { input: "policy" });
}

/** Names equal but for case, or sharing a word of 3+ letters: the likely intended ones first. */
function similarNames(all: CaPolicy[], name: string): CaPolicy[] {
    const lower = name.toLowerCase();
    const words = new Set(lower.split(/[^a-z0-9]+/).filter((w) => w.length >= 3));
    const score = (p: CaPolicy): number => {
        const n = String(p.displayName ?? "").toLowerCase();
        if (!n) return 0;
        if (n === lower) return 100;
        if (n.includes(lower) || lower.includes(n)) return 50;
        return n.split(/[^a-z0-9]+/).filter((w) => words.has(w)).length;
    };
    return all.map((p) => ({ p, s: score(p) })).filter((x) => x.s > 0)
        .sort((a, b) => b.s - a.s).slice(0, MAX_CANDIDATES).map((x) => x.p);
}
