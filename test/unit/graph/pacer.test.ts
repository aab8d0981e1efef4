// RequestPacer: one request at a time, first come first served, the next starting intervalMs
// after the previous one settled.
import { PacerRegistry, RequestPacer } from "../../../provider/graph/pacer";

describe("RequestPacer", () => {
    test("the first request goes at once; the next waits for the previous to settle, then intervalMs", async () => {
        const events: string[] = [];
        let now = 5000;
        const p = new RequestPacer(1100, () => now, async (ms) => { events.push(`sleep ${ms}`); now += ms; });
        const first = await p.wait();
        events.push("first sent");
        const second = p.wait().then((done) => { events.push("second sent"); return done; });
        await new Promise((r) => setImmediate(r));
        expect(events).toEqual(["first sent"]); // still in flight: the second waits
        now += 300; // the first request took 300 ms
        first();
        (await second)();
        expect(events).toEqual(["first sent", "sleep 1100", "second sent"]);
        now += 5000; // idle for longer than the interval: the next one goes at once
        await p.wait();
        expect(events).toHaveLength(3);
    });

    test("starts are spaced by at least the interval plus the previous request's duration", async () => {
        const p = new RequestPacer(40);
        const starts: number[] = [];
        await Promise.all([0, 1, 2].map(async () => {
            const done = await p.wait();
            starts.push(Date.now());
            await new Promise((r) => setTimeout(r, 10)); // the request
            done();
        }));
        expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(48);
        expect(starts[2] - starts[1]).toBeGreaterThanOrEqual(48);
    });

    test("settling twice is harmless", async () => {
        const p = new RequestPacer(0);
        const done = await p.wait();
        done(); done();
        await expect(p.wait()).resolves.toBeInstanceOf(Function);
    });

    test("the registry shares one pacer per key", () => {
        const r = new PacerRegistry(1000);
        expect(r.for("a")).toBe(r.for("a"));
        expect(r.for("a")).not.toBe(r.for("b"));
    });
});
