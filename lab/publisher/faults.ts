// Fault injection for tests of the "failed publish, then converge" paths: per domain, one-shot
// or counted. Only the publisher's own test hooks and the loopback admin endpoint set these.
import { ProviderError } from "../../provider/core/errors";

/**
 * afterAdObjects: the AD objects exist, the cloud record is not written yet (set).
 * afterRotation:  the new key is set on-prem, not yet published (set with rotateServerKey).
 * delay:          a call for the domain waits delayMs: at its start (default), or `at` one of the
 *                 two points above, before set reads the objects back (a test can stop the DC then).
 */
export type FaultPoint = "afterAdObjects" | "afterRotation" | "delay";
export type DelayAt = "start" | "afterAdObjects" | "afterRotation";
const DELAY_AT: DelayAt[] = ["start", "afterAdObjects", "afterRotation"];

export interface FaultSpec {
    domain: string;
    point: FaultPoint;
    /** how many times it fires; default 1 */
    times?: number;
    /** for "delay" */
    delayMs?: number;
    /** for "delay": where in the call it waits; default "start" */
    at?: DelayAt;
}

interface ArmedFault extends Required<Omit<FaultSpec, "delayMs" | "at">> { delayMs: number; at: DelayAt; fired: number }

export class Faults {
    private armed: ArmedFault[] = [];

    add(spec: FaultSpec): void {
        const points: FaultPoint[] = ["afterAdObjects", "afterRotation", "delay"];
        if (!spec || typeof spec.domain !== "string" || !spec.domain) throw new ProviderError("BadRequest", "fault: domain is required", { input: "domain" });
        if (!points.includes(spec.point)) throw new ProviderError("BadRequest", `fault: point must be one of ${points.join(", ")}`, { input: "point" });
        const times = spec.times ?? 1;
        if (!Number.isInteger(times) || times < 1) throw new ProviderError("BadRequest", "fault: times must be a positive integer", { input: "times" });
        const delayMs = spec.delayMs ?? 0;
        if (spec.point === "delay" && !(Number.isFinite(delayMs) && delayMs > 0 && delayMs <= 120_000)) {
            throw new ProviderError("BadRequest", "fault: delay needs delayMs in 1..120000", { input: "delayMs" });
        }
        const at = spec.at ?? "start";
        if (!DELAY_AT.includes(at) || (spec.at !== undefined && spec.point !== "delay")) {
            throw new ProviderError("BadRequest", `fault: at applies to delay only and must be one of ${DELAY_AT.join(", ")}`, { input: "at" });
        }
        this.armed.push({ domain: spec.domain.toLowerCase(), point: spec.point, times, delayMs, at, fired: 0 });
    }

    clear(domain?: string): void {
        this.armed = domain ? this.armed.filter((f) => f.domain !== domain.toLowerCase()) : [];
    }

    list(): FaultSpec[] {
        return this.armed.map((f) => ({ domain: f.domain, point: f.point, times: f.times - f.fired, ...(f.point === "delay" ? { delayMs: f.delayMs, at: f.at } : {}) }));
    }

    /** Consumes one firing of the first armed fault at this point, if any. */
    private take(domain: string, point: FaultPoint, at: DelayAt = "start"): ArmedFault | undefined {
        const f = this.armed.find((x) => x.domain === domain.toLowerCase() && x.point === point && (point !== "delay" || x.at === at));
        if (!f) return undefined;
        f.fired++;
        if (f.fired >= f.times) this.armed = this.armed.filter((x) => x !== f);
        return f;
    }

    /** Throws the injected failure if one is armed for this point. */
    check(domain: string, point: Exclude<FaultPoint, "delay">): void {
        if (!this.take(domain, point)) return;
        const where = point === "afterAdObjects"
            ? "after the Active Directory objects were written, before the Kerberos domain was published"
            : "after the key was rotated in Active Directory, before the new key version was published";
        throw new ProviderError("LabInjectedFault", `Injected fault for ${domain}: failing ${where}`, { retryable: true });
    }

    async delay(domain: string, at: DelayAt = "start"): Promise<void> {
        const f = this.take(domain, "delay", at);
        if (f) await new Promise((r) => setTimeout(r, f.delayMs));
    }
}
