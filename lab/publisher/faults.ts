// Fault injection for tests of the "failed publish, then converge" paths: per domain, one-shot
// or counted. Only the publisher's own test hooks and the loopback admin endpoint set these.
import { ProviderError } from "../../provider/core/errors";

/**
 * afterAdObjects: the AD objects exist, the cloud record is not written yet (set).
 * afterRotation:  the new key is set on-prem, not yet published (set with rotateServerKey).
 * delay:          every call for the domain waits delayMs first.
 */
export type FaultPoint = "afterAdObjects" | "afterRotation" | "delay";

export interface FaultSpec {
    domain: string;
    point: FaultPoint;
    /** how many times it fires; default 1 */
    times?: number;
    /** for "delay" */
    delayMs?: number;
}

interface ArmedFault extends Required<Omit<FaultSpec, "delayMs">> { delayMs: number; fired: number }

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
        this.armed.push({ domain: spec.domain.toLowerCase(), point: spec.point, times, delayMs, fired: 0 });
    }

    clear(domain?: string): void {
        this.armed = domain ? this.armed.filter((f) => f.domain !== domain.toLowerCase()) : [];
    }

    list(): FaultSpec[] {
        return this.armed.map((f) => ({ domain: f.domain, point: f.point, times: f.times - f.fired, ...(f.point === "delay" ? { delayMs: f.delayMs } : {}) }));
    }

    /** Consumes one firing of the first armed fault at this point, if any. */
    private take(domain: string, point: FaultPoint): ArmedFault | undefined {
        const f = this.armed.find((x) => x.domain === domain.toLowerCase() && x.point === point);
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

    async delay(domain: string): Promise<void> {
        const f = this.take(domain, "delay");
        if (f) await new Promise((r) => setTimeout(r, f.delayMs));
    }
}
