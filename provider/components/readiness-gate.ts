// The readiness gate (docs/readiness.md#waves-gated-on-readiness): with `readinessGate: true`, the
// WaveGate after wave N also runs the readiness report on wave N's domains (the same report, its
// config cut down to those forests) and refuses when it has a blocking finding, so wave N+1 starts
// only when the domains before it are ready. Reads only. This file is the pure part: what the gate
// is given, and the refusal made from a report; wave-gate-impl.ts runs it.
import type { ReadinessReport } from "../readiness/report";
import type { Finding } from "../readiness/findings";

/** What a WaveGate is given to run the report: a stack config of the wave's forests, and the pilot groups. */
export interface ReadinessGateInput {
    /** a `cloudKerberosTrust` value: graph, keyRotation and only this wave's forests */
    spec: Record<string, unknown>;
    /** the rollout's pilot groups (the FIDO2 method's and the cloud trust profile's groups) */
    pilotGroups: string[];
}

/** At most this many findings are named in a refusal; the rest are counted (`npm run readiness` lists all). */
export const MAX_NAMED_FINDINGS = 20;

function describe(f: Finding): string {
    const where = f.domain ? `${f.domain}: ` : f.pilotGroup ? `pilot group "${f.pilotGroup}": ` : "";
    const groups = Array.isArray(f.facts?.deniedGroups) ? ` (${(f.facts!.deniedGroups as string[]).join(", ")})` : "";
    return `${where}${f.kind} ${f.object}${groups}`;
}

/**
 * The refusal for a wave whose report blocks, or undefined when it does not. Every blocking finding
 * counts: the report reads only this wave's domains, so a finding is either theirs or one that
 * leaves them unchecked (a pilot group not found or unreadable, a cloud-only pilot user).
 */
export function readinessRefusal(wave: number, domains: readonly string[], report: Pick<ReadinessReport, "findings">): string | undefined {
    const blocking = report.findings.filter((f) => f.severity === "blocking");
    if (blocking.length === 0) return undefined;
    const named = blocking.slice(0, MAX_NAMED_FINDINGS).map(describe);
    const more = blocking.length > named.length ? `; and ${blocking.length - named.length} more` : "";
    return `wave ${wave} is not ready: the readiness report of ${domains.join(", ")} has ${blocking.length} blocking finding${blocking.length === 1 ? "" : "s"}: ` +
        `${named.join("; ")}${more}. Later waves are held back until \`npm run readiness\` reports none for these domains`;
}
