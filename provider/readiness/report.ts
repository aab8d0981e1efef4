// The readiness report (docs/readiness.md): from the root program's own stack config, what would
// keep cloud Kerberos trust from working for the pilot's users, per domain and per pilot group.
// Reads only: LDAP searches through provider/ad, Graph GETs through provider/graph. Every secret
// reference is resolved before the first connection, so a missing one fails before any network
// call; every value resolved is scrubbed from errors on the way out.
import type { ResolvedDirectoryConnection } from "../ad/connection";
import { parseCloudKerberosTrustConfig } from "../components/cloud-kerberos-trust-config";
import type { CloudKerberosTrustSpec } from "../components/cloud-kerberos-trust-types";
import { isSecretRef, type SecretConfig } from "../core/secrets";
import type { GraphClientOptions } from "../graph";
import { withGraph } from "../intune/graph-session";
import { newContext, resolveDirectory, scrubError, secretResolver, type OperationContext } from "../kerberos/context";
import { reportDomain, type DomainContext, type DomainReport } from "./domain-report";
import { finding, verdictOf, type Finding, type Verdict } from "./findings";
import { reportPilotGroup, type PilotGroupReport } from "./pilot-report";
import { reportTenant, type TenantReport } from "./tenant-report";
import { otherTenantFindings } from "./tenant-rules";

export interface ReadinessOptions {
    env?: NodeJS.ProcessEnv;
    /** stack config values for { config: "key" } references */
    config?: SecretConfig;
    now?: () => Date;
    /** pilot groups (names or object ids) checked besides the stack's own */
    extraPilotGroups?: readonly string[];
    /** one line per step, for stderr */
    progress?: (line: string) => void;
    graphClient?: GraphClientOptions;
}

export interface ReadinessReport {
    /** the version of this document's shape (readiness-report.schema.json) */
    schemaVersion: 1;
    generatedAt: string;
    tenantId: string;
    verdict: Verdict;
    counts: { blocking: number; warning: number; info: number };
    domains: DomainReport[];
    pilotGroups: PilotGroupReport[];
    /** Intune, Conditional Access and FIDO2, when Graph could be read */
    tenant?: TenantReport;
    findings: Finding[];
}

/**
 * The pilot groups of a stack: the FIDO2 method's targets and the cloud trust profile's assigned
 * groups (a device group holds no users and adds none), then the caller's, each once.
 */
export function pilotGroupsOf(spec: CloudKerberosTrustSpec, extra: readonly string[] = []): string[] {
    const all = [...(spec.fido2SecurityKeyMethod?.includeGroups ?? []), ...(spec.cloudTrustPolicy?.assignments?.includeGroups ?? []), ...extra];
    return all.filter((g, i) => all.findIndex((h) => h.toLowerCase() === g.toLowerCase()) === i);
}

/** Every SecretRef under `value`, resolved now (throws SECRET_NOT_FOUND naming the first one missing). */
function resolveAllRefs(value: unknown, path: string, ctx: OperationContext): void {
    if (isSecretRef(value)) { secretResolver(ctx)(value, path); return; }
    if (Array.isArray(value)) value.forEach((v, i) => resolveAllRefs(v, `${path}[${i}]`, ctx));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) resolveAllRefs(v, `${path}.${k}`, ctx);
}

interface DomainPlan { forest: string; domain: string; directory: ResolvedDirectoryConnection; deniedGroups: string[]; maxKeyAgeDays?: number }

function planDomains(spec: CloudKerberosTrustSpec, ctx: OperationContext): DomainPlan[] {
    return spec.forests.flatMap((forest) => forest.domains.map((d) => ({
        forest: forest.name, domain: d.domain, directory: resolveDirectory(d.directory, ctx), deniedGroups: d.deniedGroups ?? [],
        maxKeyAgeDays: d.keyRotation?.maxAgeDays ?? spec.keyRotation?.maxAgeDays,
    })));
}

/** The report of a `cloudKerberosTrust` config value (as the root program reads it). */
export async function readinessReport(configValue: unknown, opts: ReadinessOptions = {}): Promise<ReadinessReport> {
    const spec = parseCloudKerberosTrustConfig(configValue);
    const ctx = newContext({ env: opts.env, config: opts.config, now: opts.now });
    const progress = opts.progress ?? (() => undefined);
    // the connections the report uses (not the publishers'): every reference resolved before any I/O
    resolveAllRefs(spec.graph, "cloudKerberosTrust.graph", ctx);
    const plans = planDomains(spec, ctx);
    const now = ctx.now();
    try {
        const findings: Finding[] = [];
        const domains: DomainReport[] = [];
        const contexts: DomainContext[] = [];
        // domains in parallel; one that cannot be read is a finding, the others are still reported
        const results = await Promise.all(plans.map(async (p) => {
            progress(`domain ${p.domain}: reading ${p.directory.urls.join(", ")}`);
            try { return { ok: true as const, r: await reportDomain(p, now) }; }
            catch (e) { return { ok: false as const, plan: p, error: scrubError(e, ctx) }; }
        }));
        for (const res of results) {
            if (res.ok) {
                domains.push(res.r.report); contexts.push(res.r.context); findings.push(...res.r.findings);
                const ks = res.r.report.kerberosServer;
                findings.push(...otherTenantFindings(res.r.report.domain, { dn: ks?.scpDn, id: ks?.scpId }, spec.graph.tenantId));
            }
            else {
                domains.push({ forest: res.plan.forest, domain: res.plan.domain, domainControllers: [] });
                findings.push(finding("domain-unreadable", res.plan.domain, { domain: res.plan.domain, facts: { error: res.error.message } }));
            }
        }
        const groups = pilotGroupsOf(spec, opts.extraPilotGroups);
        const pilotGroups: PilotGroupReport[] = [];
        let tenant: TenantReport | undefined;
        if (groups.length === 0) findings.push(finding("no-pilot-groups", "cloudKerberosTrust"));
        else {
            try {
                await withGraph(spec.graph, { env: ctx.env, config: ctx.config, client: opts.graphClient }, async (gc) => {
                    for (const g of groups) {
                        const r = await reportPilotGroup(gc, g, contexts, progress);
                        pilotGroups.push(r.report);
                        findings.push(...r.findings);
                    }
                    const t = await reportTenant(gc, spec, pilotGroups, opts.extraPilotGroups ?? [], (e) => scrubError(e, ctx).message, progress);
                    tenant = t.report;
                    findings.push(...t.findings);
                });
            } catch (e) {
                findings.push(finding("pilot-groups-unreadable", groups.join(", "), { facts: { error: scrubError(e, ctx).message } }));
            }
        }
        const count = (s: Finding["severity"]) => findings.filter((f) => f.severity === s).length;
        return {
            schemaVersion: 1, generatedAt: now.toISOString(), tenantId: spec.graph.tenantId, verdict: verdictOf(findings),
            counts: { blocking: count("blocking"), warning: count("warning"), info: count("info") },
            domains, pilotGroups, ...(tenant ? { tenant } : {}), findings,
        };
    } catch (e) {
        throw scrubError(e, ctx);
    }
}
