// The Entra audit-log cross-check: the newest KerberosDomain directoryAudit for this domain's
// branch, and the OriginatingUsn in its KerberosDomainDescription, i.e. the cloud key version as
// Entra itself logged it (docs/sources.md, Kerberos §2.2, §3.1). Independent of the publisher's own
// report, so a publisher that claims success without publishing is caught.
import type { GraphClient } from "../graph/client";
import { graphRequestRaw, graphRequestUrl } from "../graph/request";
import type { AuditObservation } from "./drift";
import { normalizeDomain } from "./model";

interface ModifiedProperty { displayName?: string; oldValue?: string | null; newValue?: string | null }
export interface AuditEvent {
    activityDisplayName?: string;
    activityDateTime?: string;
    operationType?: string;
    targetResources?: { displayName?: string; modifiedProperties?: ModifiedProperty[] }[];
}

export interface KeyDescription {
    branchId?: number;
    originatingUsn?: number;
    originatingTime?: string;
}

/**
 * KerberosDomainDescription as the audit log shows it: `[{"Version":0,"BranchId":30775,
 * "OriginatingUsn":1585708,"OriginatingTime":"…"}]`, sometimes wrapped once more as a JSON string.
 */
export function parseKerberosDomainDescription(value: string | null | undefined): KeyDescription[] {
    if (!value) return [];
    let v: unknown;
    try { v = JSON.parse(value); } catch { return []; }
    const list = Array.isArray(v) ? v : [v];
    return list.flatMap((item): KeyDescription[] => {
        let o = item;
        if (typeof o === "string") { try { o = JSON.parse(o); } catch { return []; } }
        if (!o || typeof o !== "object") return [];
        const r = o as Record<string, unknown>;
        const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : typeof x === "string" && /^\d+$/.test(x) ? Number(x) : undefined);
        return [{ branchId: num(r.BranchId), originatingUsn: num(r.OriginatingUsn), originatingTime: typeof r.OriginatingTime === "string" ? r.OriginatingTime : undefined }];
    });
}

/** The one string inside a property value such as `["corp.example.com"]`. */
function firstString(value: string | null | undefined): string | undefined {
    if (!value) return undefined;
    try {
        const v = JSON.parse(value);
        if (Array.isArray(v) && typeof v[0] === "string") return v[0];
        if (typeof v === "string") return v;
    } catch { /* not JSON */ }
    return value;
}

function prop(e: AuditEvent, name: string): ModifiedProperty | undefined {
    for (const t of e.targetResources ?? []) {
        const p = (t.modifiedProperties ?? []).find((m) => m.displayName === name);
        if (p) return p;
    }
    return undefined;
}

/** True if the event is about this domain's KerberosDomain with this branch id. */
export function isEventFor(e: AuditEvent, domain: string, branchId: number): boolean {
    const dnsProp = prop(e, "KerberosDomainDnsName");
    const dns = firstString(dnsProp?.newValue) ?? firstString(dnsProp?.oldValue);
    if (dns && normalizeDomain(dns) !== normalizeDomain(domain)) return false;
    if ((e.targetResources ?? []).some((t) => t.displayName === `krbtgt_${branchId}`)) return true;
    const desc = prop(e, "KerberosDomainDescription");
    return [...parseKerberosDomainDescription(desc?.newValue), ...parseKerberosDomainDescription(desc?.oldValue)].some((d) => d.branchId === branchId);
}

/**
 * Pure: from events newest first, what the log says about this branch's key: the first Delete, or
 * the first event that states a key (the highest OriginatingUsn of that branch in it); null if none.
 */
export function auditObservation(events: AuditEvent[], domain: string, branchId: number): AuditObservation | null | undefined {
    for (const e of events) {
        if (!isEventFor(e, domain, branchId)) continue;
        const at = e.activityDateTime ?? "";
        const activity = e.activityDisplayName ?? e.operationType ?? "event";
        if (e.operationType === "Delete" || /^Delete/i.test(activity)) return { keyVersion: null, activity, at, deleted: true };
        const keys = parseKerberosDomainDescription(prop(e, "KerberosDomainDescription")?.newValue)
            .filter((k) => k.originatingUsn !== undefined && (k.branchId === undefined || k.branchId === branchId));
        if (keys.length) {
            const newest = keys.reduce((a, b) => (b.originatingUsn! > a.originatingUsn! ? b : a));
            return { keyVersion: newest.originatingUsn!, keyUpdatedOn: newest.originatingTime ?? null, activity, at, deleted: false };
        }
    }
    return undefined;
}

/** The query every read of the log starts with (audit-log.ts shares its pages across domains). */
export const AUDIT_QUERY = { path: "/auditLogs/directoryAudits", query: { $filter: "category eq 'KerberosDomain'", $top: 100 } } as const;
export const AUDIT_MAX_PAGES = 10;

export interface AuditQueryOptions {
    /** per request */
    timeoutMs?: number;
    /** stop after this many pages (the log of a busy tenant is long); default 10 */
    maxPages?: number;
}

/**
 * Reads KerberosDomain events newest first (Graph's default order for directoryAudits) and stops
 * at the first one that settles this branch's key. Needs AuditLog.Read.All.
 */
export async function readAuditObservation(gc: GraphClient, domain: string, branchId: number, opts: AuditQueryOptions = {}): Promise<AuditObservation | null> {
    const description = `read the Entra audit log (KerberosDomain) for ${domain}`;
    let page = await graphRequestRaw<{ value?: AuditEvent[]; "@odata.nextLink"?: string }>(gc, {
        method: "GET", version: "v1.0", path: AUDIT_QUERY.path, query: { ...AUDIT_QUERY.query }, timeoutMs: opts.timeoutMs, description,
    });
    for (let n = 1; ; n++) {
        const found = auditObservation(page.body?.value ?? [], domain, branchId);
        if (found !== undefined) return found;
        const next = page.body?.["@odata.nextLink"];
        if (!next || n >= (opts.maxPages ?? AUDIT_MAX_PAGES)) return null;
        page = await graphRequestUrl(gc, next, { timeoutMs: opts.timeoutMs, description });
    }
}
