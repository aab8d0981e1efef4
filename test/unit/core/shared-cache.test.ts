// The process-wide cache behind the shared credentials, audit-log pages and DC names: in-flight
// sharing, failures never remembered, expiry, bounded size, and keys that hold no secret.
import { fingerprint, SharedCache } from "../../../provider/core/shared-cache";
import { secureContextFor } from "../../../provider/core/tls-context";

function clock(start = 1_000) {
    let t = start;
    return { now: () => t, advance: (ms: number) => { t += ms; } };
}

describe("SharedCache", () => {
    test("callers that arrive while a value is being computed share it (one computation)", async () => {
        const cache = new SharedCache<Promise<number>>({ ttlMs: 60_000 });
        let computed = 0;
        let release!: (v: number) => void;
        const create = () => { computed++; return new Promise<number>((r) => { release = r; }); };
        const a = cache.get("k", create);
        const b = cache.get("k", create);
        expect(b).toBe(a);
        release(7);
        expect(await Promise.all([a, b, cache.get("k", create)])).toEqual([7, 7, 7]);
        expect(computed).toBe(1);
    });

    test("a rejected value is forgotten: every waiter sees the failure, the next caller tries again", async () => {
        const cache = new SharedCache<Promise<string>>({ ttlMs: 60_000 });
        const failing = cache.get("k", () => Promise.reject(new Error("down")));
        const joined = cache.get("k", () => Promise.resolve("never"));
        await expect(failing).rejects.toThrow("down");
        await expect(joined).rejects.toThrow("down");
        expect(await cache.get("k", () => Promise.resolve("up"))).toBe("up");
    });

    test("entries expire ttlMs after they were created", () => {
        const c = clock();
        const cache = new SharedCache<string>({ ttlMs: 100, now: c.now });
        let n = 0;
        const create = () => `v${++n}`;
        expect(cache.get("k", create)).toBe("v1");
        c.advance(99);
        expect(cache.get("k", create)).toBe("v1");
        expect(cache.peek("k")).toBe("v1");
        c.advance(1);
        expect(cache.peek("k")).toBeUndefined();
        expect(cache.get("k", create)).toBe("v2");
    });

    test("invalidate: holders keep their value, the next caller gets a new one; an old failure cannot evict the new one", async () => {
        const cache = new SharedCache<Promise<string>>({ ttlMs: 60_000 });
        let reject!: (e: Error) => void;
        const old = cache.get("k", () => new Promise<string>((_, r) => { reject = r; }));
        old.catch(() => undefined);
        cache.invalidate("k");
        const fresh = cache.get("k", () => Promise.resolve("fresh"));
        reject(new Error("late failure of the old value"));
        await expect(old).rejects.toThrow("late failure");
        expect(cache.get("k", () => Promise.resolve("other"))).toBe(fresh);
        expect(await fresh).toBe("fresh");
    });

    test("holds at most maxEntries, dropping the oldest", () => {
        const cache = new SharedCache<number>({ ttlMs: 60_000, maxEntries: 2 });
        cache.get("a", () => 1);
        cache.get("b", () => 2);
        cache.get("c", () => 3);
        expect(cache.size).toBe(2);
        expect(cache.peek("a")).toBeUndefined();
        expect([cache.peek("b"), cache.peek("c")]).toEqual([2, 3]);
    });
});

describe("fingerprint", () => {
    test("tells secrets apart without containing them", () => {
        const secret = "s3cr3t-Value-0123456789";
        const a = fingerprint(secret);
        expect(a).not.toContain(secret);
        expect(a).not.toContain(secret.slice(0, 6));
        expect(fingerprint(secret)).toBe(a);
        expect(fingerprint(`${secret}x`)).not.toBe(a);
        // parts are delimited: ("ab","c") is not ("a","bc"), and undefined is not ""
        expect(fingerprint("ab", "c")).not.toBe(fingerprint("a", "bc"));
        expect(fingerprint(undefined)).not.toBe(fingerprint(""));
    });
});

describe("secureContextFor", () => {
    test("one TLS context per trust list and minimum version, shared", () => {
        const tls = require("node:tls") as typeof import("node:tls");
        const [a, b] = tls.rootCertificates;
        expect(secureContextFor([a])).toBe(secureContextFor([a]));
        expect(secureContextFor([a])).not.toBe(secureContextFor([b]));
        expect(secureContextFor([a], "TLSv1.2")).not.toBe(secureContextFor([a]));
    });
});
