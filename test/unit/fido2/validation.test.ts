// Fido2SecurityKeyMethod's check: bad input is refused naming the field, with no I/O at all.
import { validateInputs } from "../../../provider/fido2/validation";
import { UNKNOWN_VALUE } from "../../../provider/core/unknown";

const graph = { tenantId: "7b0f2c3e-5d1a-4c8e-9f60-1a2b3c4d5e6f", credential: { type: "clientSecret", clientId: "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c", clientSecret: { env: "X" } } };
const YUBIKEY = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
const props = (news: Record<string, unknown>) => validateInputs({ graph, ...news }).map((f) => f.property);
const reasons = (news: Record<string, unknown>) => validateInputs({ graph, ...news }).map((f) => f.reason).join("\n");

describe("Fido2SecurityKeyMethod check", () => {
    test("a pilot group and declared settings pass", () => {
        expect(validateInputs({
            graph, includeGroups: ["WHfB Pilot Users", "0a1b2c3d-0001-4000-8000-000000000001"], state: "enabled",
            isSelfServiceRegistrationAllowed: true, isAttestationEnforced: false,
            keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY] },
        })).toEqual([]);
    });

    test("unknown keys, at the top and inside keyRestrictions, are refused by name", () => {
        // a key that is not an input is reported on the resource as a whole (no such property to point at)
        expect(validateInputs({ graph, includeGroups: ["A"], includeGroup: ["B"] })).toEqual([{ property: "", reason: expect.stringContaining('"includeGroup" is not an input of Fido2SecurityKeyMethod') }]);
        expect(props({ keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [], aaguids: [] } })).toEqual(["keyRestrictions.aaguids"]);
    });

    test("a malformed AAGUID is refused, naming its index", () => {
        expect(props({ keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY, "cb69481e-8ff7-4039-93ec-0a2729a154a"] } })).toEqual(["keyRestrictions.aaGuids[1]"]);
        expect(reasons({ keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: ["yubikey"] } })).toContain('"yubikey" is not an AAGUID');
    });

    test("a repeated AAGUID (in any case) is refused", () => {
        expect(props({ keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY, YUBIKEY.toUpperCase()] } })).toEqual(["keyRestrictions.aaGuids[1]"]);
    });

    test("conflicting settings: restrictions enforced with no AAGUID, a disabled method with pilot groups", () => {
        expect(reasons({ keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [] } })).toMatch(/keyRestrictions.isEnforced is true but keyRestrictions.aaGuids is empty: allowing no model/);
        expect(props({ includeGroups: ["A"], state: "disabled" })).toEqual(["state"]);
        // disabling the method without pilot groups is a legitimate declaration
        expect(props({ state: "disabled" })).toEqual([]);
    });

    test("wrong types and values are refused per field", () => {
        expect(props({ state: "on", isAttestationEnforced: "yes", isSelfServiceRegistrationAllowed: 1 })).toEqual(["state", "isSelfServiceRegistrationAllowed", "isAttestationEnforced"]);
        expect(props({ keyRestrictions: { enforcementType: "deny", aaGuids: "x" } })).toEqual(["keyRestrictions.isEnforced", "keyRestrictions.enforcementType", "keyRestrictions.aaGuids"]);
        expect(props({ includeGroups: "WHfB Pilot" })).toEqual(["includeGroups"]);
    });

    test("group entries: empty, padded, broken GUIDs and repeats are refused", () => {
        expect(props({ includeGroups: ["", " A", "0a1b2c3d-0001-4000-8000-00000000001", "B", "b"] })).toEqual(["includeGroups[0]", "includeGroups[1]", "includeGroups[2]", "includeGroups[4]"]);
    });

    test("a resource declaring nothing is refused; unknown values (preview) are not judged", () => {
        expect(props({})).toEqual(["includeGroups"]);
        expect(props({ includeGroups: [] })).toEqual(["includeGroups"]);
        expect(props({ includeGroups: UNKNOWN_VALUE })).toEqual([]);
        expect(props({ includeGroups: [UNKNOWN_VALUE], keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: UNKNOWN_VALUE } })).toEqual([]);
    });

    test("the connection is checked too, and a secret value is never taken", () => {
        expect(validateInputs({ graph: { ...graph, credential: { ...graph.credential, clientSecret: "plain" } }, includeGroups: ["A"] }).map((f) => f.property)).toEqual(["graph.credential.clientSecret"]);
    });
});
