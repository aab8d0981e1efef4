// Fault rules, service throttles (with a fake clock) and the admin API's loopback rule.
import { FaultController } from "../../../lab/emulator/faults";
import { DEFAULT_THROTTLING, Throttler } from "../../../lab/emulator/throttle";
import { isLoopback } from "../../../lab/emulator/admin";

test("fault rules: method + glob, times, everyNth, first match wins", () => {
    const f = new FaultController();
    f.add({ method: "GET", path: "/v1.0/groups*", status: 503, times: 1 });
    f.add({ path: "/beta/*", reset: true, everyNth: 3 });
    expect(f.decide("GET", "/v1.0/groups").kind).toBe("status");
    expect(f.decide("GET", "/v1.0/groups/x").kind).toBe("none"); // times exhausted
    expect(f.decide("POST", "/v1.0/groups").kind).toBe("none"); // method does not match
    expect(["/beta/a", "/beta/b", "/beta/c", "/beta/d"].map((p) => f.decide("GET", p).kind)).toEqual(["none", "none", "reset", "none"]);
    expect(() => f.add({ path: "/_emulator/*", hang: true })).toThrow(/admin API/);
    expect(() => f.add({ path: "/v1.0/x", status: 200 })).toThrow(/error status/);
    f.clear();
    expect(f.list()).toEqual([]);
});

test("fault rules: a spent rule steps aside, so rules armed for one path fire in turn", () => {
    const f = new FaultController();
    f.add({ path: "/v1.0/groups", status: 500, times: 1 });
    f.add({ path: "/v1.0/groups", status: 502, times: 1 });
    expect(["GET", "GET", "GET"].map((m) => f.decide(m, "/v1.0/groups"))).toMatchObject([{ status: 500 }, { status: 502 }, { kind: "none" }]);
});

test("fault rules: `after` (request handled, answer lost) only with a status, reset or hang", () => {
    const f = new FaultController();
    f.add({ method: "POST", path: "/beta/deviceManagement/configurationPolicies", reset: true, after: true, times: 1 });
    expect(f.decide("POST", "/beta/deviceManagement/configurationPolicies")).toEqual({ kind: "reset", latencyMs: 0, after: true });
    f.add({ path: "/v1.0/groups", status: 500 });
    expect(f.decide("GET", "/v1.0/groups")).toMatchObject({ kind: "status", after: false });
    expect(() => f.add({ path: "/v1.0/x", latencyMs: 5, after: true })).toThrow(/after .* only applies with status, reset or hang/);
});

test("conditional access: 1 request per second per tenant, no Retry-After", () => {
    let now = 0;
    const t = new Throttler(DEFAULT_THROTTLING, () => now);
    expect(t.check("conditionalAccess", "app-a", false)).toEqual({ throttled: false });
    now = 999;
    expect(t.check("conditionalAccess", "app-b", true)).toEqual({ throttled: true }); // all apps share the tenant budget
    now = 1000;
    expect(t.check("conditionalAccess", "app-b", true)).toEqual({ throttled: false });
});

test("Intune: per-app write budget per window, Retry-After until the oldest request leaves it", () => {
    let now = 0;
    const t = new Throttler({ ...DEFAULT_THROTTLING, intune: { ...DEFAULT_THROTTLING.intune, appWrites: 2, windowMs: 20_000 } }, () => now);
    expect(t.check("intune", "a", true).throttled).toBe(false);
    now = 5000;
    expect(t.check("intune", "a", true).throttled).toBe(false);
    now = 6000;
    expect(t.check("intune", "a", true)).toEqual({ throttled: true, retryAfterSeconds: 14 });
    expect(t.check("intune", "a", false).throttled).toBe(false); // reads have their own (larger) budget
    expect(t.check("intune", "b", true).throttled).toBe(false); // another app
    expect(t.check("deviceConfigurations", "a", true).throttled).toBe(false); // its own bucket
    now = 20_001;
    expect(t.check("intune", "a", true).throttled).toBe(false);
});

test("the admin API is for loopback clients", () => {
    expect(["127.0.0.1", "127.0.0.9", "::1", "::ffff:127.0.0.1"].every(isLoopback)).toBe(true);
    expect(["10.0.0.1", "::ffff:192.168.1.2", "0.0.0.0", ""].some(isLoopback)).toBe(false);
});
