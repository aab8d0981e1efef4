// The tenant's KerberosDomain audit log, read ONCE per tenant and credential for every Kerberos
// server of this process, instead of once per domain. The query does not depend on the domain
// (category eq 'KerberosDomain', newest first); each domain then looks for its own branch in the
// shared pages (audit.ts's auditObservation), and a page is fetched only when some domain needs it,
// at most once (concurrent readers wait for the same request).
//
// Shared pages are short-lived (60 s) and never outlive what this process itself changed: a
// publish forgets them (invalidate). A page read before someone else's change can disagree with
// the publisher's fresh answer; observe.ts then asks for pages taken after its own read began
// (pagesSince) before it reports the disagreement as drift, so sharing never invents drift.
// Keys: Graph endpoint + tenant + the credential's key (credential-cache.ts, no secret in it).
import { SharedCache, type SharedCacheOptions } from "../core/shared-cache";
import { createGraphClient } from "../graph/client";
import { credentialKey } from "../graph/credential-cache";
import { resolveEndpoints } from "../graph/endpoints";
import { graphRequestRaw, graphRequestUrl } from "../graph/request";
import { trustList } from "../graph/tls";
import type { GraphConnection, SecretResolver } from "../graph/types";
import { AUDIT_MAX_PAGES, AUDIT_QUERY, auditObservation, type AuditEvent } from "./audit";
import type { AuditObservation } from "./drift";

export interface AuditPage {
    events: AuditEvent[];
    /** @odata.nextLink, when there is a next page */
    next?: string;
}

/** A lazily paged view of the log: page i is fetched at most once, after page i-1 named it. */
export class AuditLogPages {
    private readonly pages: Promise<AuditPage | undefined>[] = [];
    readonly createdAt: number;

    constructor(private readonly fetchPage: (nextLink?: string) => Promise<AuditPage>, now: () => number = Date.now) {
        this.createdAt = now();
    }

    /** Page i (0 = newest), or undefined past the last one. A failed fetch is forgotten, so a later reader retries it. */
    page(i: number): Promise<AuditPage | undefined> {
        const have = this.pages[i];
        if (have) return have;
        const p = i === 0 ? this.fetchPage() : this.page(i - 1).then((prev) => (prev?.next ? this.fetchPage(prev.next) : undefined));
        this.pages[i] = p;
        p.catch(() => { if (this.pages[i] === p) this.pages.length = i; });
        return p;
    }
}

/** What the log says about this branch: the first page that settles it, as readAuditObservation does. */
export async function observeFromPages(pages: AuditLogPages, domain: string, branchId: number, maxPages = AUDIT_MAX_PAGES): Promise<AuditObservation | null> {
    for (let i = 0; i < maxPages; i++) {
        const page = await pages.page(i);
        if (!page) return null;
        const found = auditObservation(page.events, domain, branchId);
        if (found !== undefined) return found;
    }
    return null;
}

/** Where and as whom to read the log: one resource's graph connection, resolved in its operation. */
export interface AuditLogSource {
    graph: GraphConnection;
    resolveSecret: SecretResolver;
    env: NodeJS.ProcessEnv;
    /** per request */
    timeoutMs?: number;
}

function pageFetcher(src: AuditLogSource): (nextLink?: string) => Promise<AuditPage> {
    const description = "read the Entra audit log (KerberosDomain)";
    return async (nextLink) => {
        // a client per page: its pool is closed at once; the credential (and its token) is the process's
        const gc = createGraphClient(src.graph, src.resolveSecret, { env: src.env });
        try {
            const r = nextLink
                ? await graphRequestUrl<{ value?: AuditEvent[]; "@odata.nextLink"?: string }>(gc, nextLink, { timeoutMs: src.timeoutMs, description })
                : await graphRequestRaw<{ value?: AuditEvent[]; "@odata.nextLink"?: string }>(gc, {
                    method: "GET", version: "v1.0", path: AUDIT_QUERY.path, query: { ...AUDIT_QUERY.query }, timeoutMs: src.timeoutMs, description,
                });
            return { events: r.body?.value ?? [], next: r.body?.["@odata.nextLink"] };
        } finally {
            await gc.close();
        }
    };
}

export class SharedAuditLog {
    private readonly cache: SharedCache<AuditLogPages>;
    private readonly now: () => number;

    constructor(options: Partial<SharedCacheOptions> = {}) {
        this.now = options.now ?? Date.now;
        this.cache = new SharedCache<AuditLogPages>({ ttlMs: 60_000, maxEntries: 32, ...options });
    }

    /** The cache key: Graph endpoint, tenant, credential (resolving the credential's secret, never containing it). */
    key(src: AuditLogSource): string {
        const endpoints = resolveEndpoints(src.graph);
        return `${endpoints.graphEndpoint}|${String(src.graph.tenantId).toLowerCase()}|` +
            credentialKey(src.graph, { endpoints, ca: trustList(src.graph.caCertificate), resolveSecret: src.resolveSecret, env: src.env });
    }

    /** The shared pages for this tenant and credential. */
    pages(src: AuditLogSource, fetchPage?: (nextLink?: string) => Promise<AuditPage>): AuditLogPages {
        return this.cache.get(this.key(src), () => new AuditLogPages(fetchPage ?? pageFetcher(src), this.now));
    }

    /** Pages taken at or after `since` (ms): the shared ones if young enough, else new ones (then shared). */
    pagesSince(src: AuditLogSource, since: number, fetchPage?: (nextLink?: string) => Promise<AuditPage>): AuditLogPages {
        const key = this.key(src);
        const have = this.cache.peek(key);
        if (have && have.createdAt < since) this.cache.invalidate(key);
        return this.pages(src, fetchPage);
    }

    /** Forget this tenant's pages (after this process changed the log, e.g. by publishing a key). */
    invalidate(src: AuditLogSource): void {
        this.cache.invalidate(this.key(src));
    }

    clear(): void {
        this.cache.clear();
    }
}

/** The process's shared audit log. */
export const sharedAuditLog = new SharedAuditLog();
