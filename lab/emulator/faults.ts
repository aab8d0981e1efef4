// Fault injection for resilience tests: latency, error statuses (429 with or without Retry-After,
// 5xx), TCP resets and hangs (before the request is handled, or `after` it: change made, answer
// lost), and races (another client's request served just before the matching
// one), per method + path glob, optionally only N times or every Nth request.
import type { FaultRule, FaultRuleState, InterleavedRequest } from "./types";

export type FaultAction =
    | { kind: "none"; latencyMs: number }
    | { kind: "status"; latencyMs: number; status: number; retryAfter?: number; after?: boolean }
    | { kind: "reset"; latencyMs: number; after?: boolean }
    | { kind: "hang"; latencyMs: number; after?: boolean }
    | { kind: "interleave"; latencyMs: number; request: InterleavedRequest };

function globToRegExp(glob: string): RegExp {
    const escaped = glob.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    return new RegExp(`^${escaped}$`, "i");
}

export class FaultController {
    private rules: (FaultRuleState & { re: RegExp })[] = [];
    private seq = 0;

    /** Adds a rule; rules are tried in the order added and the first match that is not spent wins. Returns its id. */
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
            // a spent rule steps aside: rules armed one after another for one path fire in turn
            if (r.times !== undefined && r.applied >= r.times) continue;
            r.applied++;
            const latencyMs = r.latencyMs ?? 0;
            const after = r.after === true;
            if (r.hang) return { kind: "hang", latencyMs, after };
            if (r.reset) return { kind: "reset", latencyMs, after };
            if (r.status) return { kind: "status", latencyMs, status: r.status, retryAfter: r.retryAfter, after };
            if (r.interleave) return { kind: "interleave", latencyMs, request: r.interleave };
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
    if (rule.interleave !== undefined) validateInterleave(rule);
    if (rule.after !== undefined && (typeof rule.after !== "boolean" || (rule.after && rule.status === undefined && !rule.reset && !rule.hang))) {
        throw new Error("fault rule: after must be a boolean, and only applies with status, reset or hang");
    }
    for (const k of ["latencyMs", "retryAfter", "times", "everyNth"] as const) {
        const v = rule[k];
        if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new Error(`fault rule: ${k} must be a non-negative integer`);
    }
}

const INTERLEAVE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

function validateInterleave(rule: FaultRule): void {
    const i = rule.interleave;
    if (typeof i !== "object" || i === null) throw new Error("fault rule: interleave must be { method, path, body? }");
    if (rule.status !== undefined || rule.reset || rule.hang) throw new Error("fault rule: interleave cannot be combined with status, reset or hang");
    if (!INTERLEAVE_METHODS.includes(String(i.method).toUpperCase())) throw new Error(`fault rule: interleave.method must be one of ${INTERLEAVE_METHODS.join(", ")}`);
    // Graph routes only: the admin API and mounted lab routes are not something a Graph client races on
    if (typeof i.path !== "string" || !/^\/(v1\.0|beta)\//.test(i.path) || i.path.includes("?")) {
        throw new Error("fault rule: interleave.path must be a Graph path below /v1.0/ or /beta/ without a query");
    }
}
