// A stack that adds exclusions to Conditional Access policies also keeps the break-glass group
// excluded from each of those policies: whoever reviews the stack sees that emergency access is
// preserved, and a stack that edits a policy cannot be the reason the break-glass accounts are locked out.
import type { StackValidationPolicy } from "@pulumi/policy";
import { CA_EXCLUSION } from "./types";

export const DEFAULT_BREAK_GLASS_GROUPS = ["Break Glass Admins"];

export const breakGlassExcluded: StackValidationPolicy = {
    name: "ca-exclusions-keep-break-glass",
    description: "Every Conditional Access policy this stack adds exclusions to also gets the break-glass group excluded by this stack (configurable: breakGlassGroups, names or object ids).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { breakGlassGroups: { type: "array", items: { type: "string" }, default: DEFAULT_BREAK_GLASS_GROUPS } } },
    validateStack: (args, reportViolation) => {
        const names = (args.getConfig<{ breakGlassGroups: string[] }>().breakGlassGroups ?? DEFAULT_BREAK_GLASS_GROUPS).map((g) => g.toLowerCase());
        const byPolicy = new Map<string, { names: string[]; covered: boolean }>();
        for (const r of args.resources.filter((x) => x.type === CA_EXCLUSION)) {
            const policy = r.props.policy;
            if (typeof policy !== "string") continue; // not known in this preview
            const entry = byPolicy.get(policy) ?? { names: [], covered: false };
            entry.names.push(r.name);
            const groups: unknown[] = Array.isArray(r.props.excludeGroups) ? r.props.excludeGroups : [];
            if (groups.some((g) => typeof g === "string" && names.includes(g.toLowerCase()))) entry.covered = true;
            byPolicy.set(policy, entry);
        }
        for (const [policy, e] of byPolicy) {
            if (!e.covered) {
                reportViolation(`Conditional Access policy "${policy}" gets exclusions from ${e.names.join(", ")}, but none of them excludes the break-glass group (${names.join(" or ")}).`);
            }
        }
    },
};
