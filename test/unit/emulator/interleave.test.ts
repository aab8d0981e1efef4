// The emulator's race injection rule: validated like every fault rule, applied once per `times`.
import { FaultController } from "../../../lab/emulator/faults";

const PATCH = { method: "PATCH" as const, path: "/v1.0/identity/conditionalAccess/policies/p1", body: { conditions: {} } };

describe("interleave fault rules", () => {
    test("apply to the matching request, at most `times` times, and hand out the request to serve first", () => {
        const f = new FaultController();
        f.add({ method: "PATCH", path: "/v1.0/identity/conditionalAccess/policies/*", times: 1, interleave: PATCH });
        expect(f.decide("GET", "/v1.0/identity/conditionalAccess/policies/p1")).toEqual({ kind: "none", latencyMs: 0 });
        expect(f.decide("PATCH", "/v1.0/identity/conditionalAccess/policies/p1")).toEqual({ kind: "interleave", latencyMs: 0, request: PATCH });
        expect(f.decide("PATCH", "/v1.0/identity/conditionalAccess/policies/p1")).toEqual({ kind: "none", latencyMs: 0 });
    });

    test.each([
        [{ interleave: { ...PATCH, path: "/_emulator/state/reset" } }, /Graph path/],
        [{ interleave: { ...PATCH, path: "/v1.0/groups?$top=1" } }, /without a query/],
        [{ interleave: { ...PATCH, method: "TRACE" } }, /interleave.method/],
        [{ interleave: PATCH, status: 429 }, /cannot be combined/],
    ])("refuses %j", (extra, message) => {
        expect(() => new FaultController().add({ path: "/v1.0/*", ...(extra as object) })).toThrow(message);
    });
});
