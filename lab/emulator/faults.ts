// Fault injection for resilience tests: latency, error statuses (429 with or without Retry-After,
// 5xx), TCP resets and hangs, per method + path glob, optionally only N times or every Nth request.
import type { FaultRule, FaultRuleState } from "./types";

export type FaultAction =
    | { kind: "none"; latencyMs: number }
    | { kind: "status"; latencyMs: number; status: number; retryAfter?: number }
    | { kind: "reset"; latencyMs: number }
    | { kind: "hang"; latencyMs: number };

function globToRegExp(glob: string): RegExp {
    const escaped = glob.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    return new RegExp(`^${escaped}$`, "i");
}

export class FaultController {
    private rules: (FaultRuleState & { re: RegExp })[] = [];
    private seq = 0;

    /** Adds a rule; rules are tried in the order added and the first match wins. Returns its id. */
    add(rule: FaultRule): string {
        validateRule(rule);
        const id = rule.id ?? `fault-${++this.seq}`;
        this.rules = this.rules.filter((r) => r.id !== id);
        this.rules.push({ ...rule, id, matched: 0, applied: 0, re: globToRegExp(rule.path) });
        return id;
    }

    remove(id: string): boolean {
        const before = this.rules.length;
        this.rules = this.rules.filter((r) => r.id !== id);
        return this.rules.length !== before;
    }

    clear(): void {
        this.rules = [];
    }

    list(): FaultRuleState[] {
        return this.rules.map(({ re: _re, ...r }) => ({ ...r }));
    }

    /** Decides what to do with one request; counts matches and applications. */
    decide(method: string, path: string): FaultAction {
        for (const r of this.rules) {
            if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
            if (!r.re.test(path)) continue;
            r.matched++;
            if (r.everyNth && r.matched % r.everyNth !== 0) return { kind: "none", latencyMs: 0 };
            if (r.times !== undefined && r.applied >= r.times) return { kind: "none", latencyMs: 0 };
            r.applied++;
            const latencyMs = r.latencyMs ?? 0;
            if (r.hang) return { kind: "hang", latencyMs };
            if (r.reset) return { kind: "reset", latencyMs };
            if (r.status) return { kind: "status", latencyMs, status: r.status, retryAfter: r.retryAfter };
            return { kind: "none", latencyMs };
        }
        return { kind: "none", latencyMs: 0 };
    }
}

function validateRule(rule: FaultRule): void {
    if (typeof rule.path !== "string" || !rule.path.startsWith("/")) throw new Error("fault rule: path must be a glob starting with '/'");
    if (rule.path.startsWith("/_emulator")) throw new Error("fault rule: the admin API cannot be faulted");
    if (rule.status !== undefined && (!Number.isInteger(rule.status) || rule.status < 400 || rule.status > 599)) {
        throw new Error("fault rule: status must be an HTTP error status (400-599)");
    }
    for (const k of ["latencyMs", "retryAfter", "times", "everyNth"] as const) {
        const v = rule[k];
        if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new Error(`fault rule: ${k} must be a non-negative integer`);
    }
}
