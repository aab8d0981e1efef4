// Service limits the real tenant enforces, so the provider's backoff is exercised in the lab.
//
// - conditionalAccessPolicy: "1 request per second per tenant (all apps)", and these resources do
//   NOT return Retry-After on 429 (docs/sources.md, Graph §4, from Graph's throttling-limits page).
// - Intune device configuration v2 (configurationPolicies, their settings and assignments, and
//   settingDefinitions): per tenant 200 writes / 20 s and 2000 requests / 20 s; per app per tenant
//   100 writes / 20 s and 1000 requests / 20 s; 429 with Retry-After (docs/sources.md, Graph §3).
// Both as quoted in docs-excerpts/passportforwork-securitykey-and-intune-docs.md ("throttling").
//   deviceConfigurations has "its own, similar bucket": same figures, separate counters.
import type { ThrottleSettings, DeepPartial } from "./types";

export const DEFAULT_THROTTLING: ThrottleSettings = {
    conditionalAccess: { enabled: true, requests: 1, windowMs: 1000 },
    intune: { enabled: true, windowMs: 20_000, tenantWrites: 200, tenantAll: 2000, appWrites: 100, appAll: 1000 },
};

export function mergeThrottling(base: ThrottleSettings, patch: DeepPartial<ThrottleSettings> | undefined): ThrottleSettings {
    return {
        conditionalAccess: { ...base.conditionalAccess, ...(patch?.conditionalAccess ?? {}) },
        intune: { ...base.intune, ...(patch?.intune ?? {}) },
    };
}

/** Timestamps of accepted requests in a sliding window. */
class Window {
    private hits: number[] = [];
    prune(now: number, windowMs: number): void {
        while (this.hits.length && this.hits[0] <= now - windowMs) this.hits.shift();
    }
    count(): number {
        return this.hits.length;
    }
    oldest(): number | undefined {
        return this.hits[0];
    }
    add(now: number): void {
        this.hits.push(now);
    }
}

export type ThrottleBucket = "conditionalAccess" | "intune" | "deviceConfigurations";

export type ThrottleVerdict = { throttled: false } | { throttled: true; retryAfterSeconds?: number };

export class Throttler {
    private windows = new Map<string, Window>();

    constructor(public settings: ThrottleSettings, private clock: () => number = Date.now) {}

    reset(): void {
        this.windows.clear();
    }

    private win(key: string): Window {
        let w = this.windows.get(key);
        if (!w) this.windows.set(key, (w = new Window()));
        return w;
    }

    /** Checks and, when allowed, records one request. Only accepted requests use up the budget. */
    check(bucket: ThrottleBucket, appId: string, isWrite: boolean): ThrottleVerdict {
        const now = this.clock();
        if (bucket === "conditionalAccess") {
            const s = this.settings.conditionalAccess;
            if (!s.enabled) return { throttled: false };
            const w = this.win("ca:tenant");
            w.prune(now, s.windowMs);
            if (w.count() >= s.requests) return { throttled: true }; // no Retry-After, as documented
            w.add(now);
            return { throttled: false };
        }
        const s = this.settings.intune;
        if (!s.enabled) return { throttled: false };
        const limits: [string, number][] = [
            [`${bucket}:tenant:all`, s.tenantAll],
            [`${bucket}:app:${appId}:all`, s.appAll],
        ];
        if (isWrite) limits.push([`${bucket}:tenant:write`, s.tenantWrites], [`${bucket}:app:${appId}:write`, s.appWrites]);
        let waitMs = 0;
        for (const [key, limit] of limits) {
            const w = this.win(key);
            w.prune(now, s.windowMs);
            if (w.count() >= limit) waitMs = Math.max(waitMs, (w.oldest() ?? now) + s.windowMs - now);
        }
        if (waitMs > 0) return { throttled: true, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
        for (const [key] of limits) this.win(key).add(now);
        return { throttled: false };
    }
}
