// Request pacing for Graph services whose limit is "N requests per second per tenant" and that
// answer 429 WITHOUT Retry-After (conditional access: 1 request/second/tenant, docs/sources.md, Graph §4).
// Backoff after a 429 (retry.ts) handles other clients of the tenant; pacing keeps this process
// from throttling itself when many resources of one `pulumi up` talk to the same tenant at once.
// Used through GraphRequestSpec.pace, so every attempt, retries included, takes its own turn.
//
// The gap is measured from the END of one request to the START of the next: the start of an
// attempt includes getting a token and a TLS handshake, so two starts a second apart can reach the
// service less than a second apart. One request in flight at a time is no loss at 1 request/second.

export class RequestPacer {
    /** resolves with the time the latest request settled (-Infinity: none yet) */
    private tail: Promise<number> = Promise.resolve(-Infinity);

    /**
     * @param intervalMs minimum gap between the end of one request and the start of the next
     * @param clock injectable for tests
     * @param sleep injectable for tests
     */
    constructor(
        readonly intervalMs: number,
        private readonly clock: () => number = Date.now,
        private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    ) {}

    /**
     * Resolves when the caller may send its request (first come, first served), with the function
     * to call once the request has settled (answered, failed or timed out).
     */
    async wait(): Promise<() => void> {
        const previous = this.tail;
        let settle!: (at: number) => void;
        this.tail = new Promise<number>((r) => { settle = r; });
        // no timer runs unless someone waits: an idle pacer keeps no process alive
        const gap = (await previous) + this.intervalMs - this.clock();
        if (gap > 0) await this.sleep(gap);
        let once = false;
        return () => { if (!once) { once = true; settle(this.clock()); } };
    }
}

/** One pacer per key (e.g. tenant + Graph endpoint), shared by everything in this process. */
export class PacerRegistry {
    private readonly pacers = new Map<string, RequestPacer>();

    constructor(private readonly intervalMs: number) {}

    for(key: string): RequestPacer {
        let p = this.pacers.get(key);
        if (!p) this.pacers.set(key, (p = new RequestPacer(this.intervalMs)));
        return p;
    }
}
