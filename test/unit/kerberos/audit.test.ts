// The audit-log cross-check's parsing: KerberosDomainDescription → OriginatingUsn, and which event
// speaks for this domain's branch (newest first).
import { auditObservation, parseKerberosDomainDescription } from "../../../provider/kerberos/audit";

const desc = (branch: number, usn: number) => JSON.stringify([{ Version: 0, BranchId: branch, OriginatingUsn: usn, OriginatingTime: "2021-04-23T10:26:55Z" }]);
const event = (op: "Add" | "Update" | "Delete", branch: number, props: Record<string, [string | null, string | null]>, at = "2026-01-01T00:00:00Z") => ({
    activityDisplayName: `${op} kerberos domain`, activityDateTime: at, operationType: op,
    targetResources: [{ displayName: `krbtgt_${branch}`, modifiedProperties: Object.entries(props).map(([displayName, [oldValue, newValue]]) => ({ displayName, oldValue, newValue })) }],
});

describe("KerberosDomainDescription", () => {
    test("the form Entra logs (TN screenshots)", () => {
        expect(parseKerberosDomainDescription('[{"Version":0,"BranchId":30775,"OriginatingUsn":1585708,"OriginatingTime":"2021-04-23T10:26:55Z"}]'))
            .toEqual([{ branchId: 30775, originatingUsn: 1585708, originatingTime: "2021-04-23T10:26:55Z" }]);
    });

    test("entries wrapped as JSON strings, numbers as strings, garbage", () => {
        expect(parseKerberosDomainDescription(JSON.stringify([JSON.stringify({ BranchId: "7", OriginatingUsn: "42" })]))).toEqual([{ branchId: 7, originatingUsn: 42, originatingTime: undefined }]);
        expect(parseKerberosDomainDescription("not json")).toEqual([]);
        expect(parseKerberosDomainDescription(null)).toEqual([]);
        expect(parseKerberosDomainDescription("[1, null]")).toEqual([]);
    });
});

describe("which event counts", () => {
    const domain = "corp.example.com";

    test("the newest event of this branch that states a key", () => {
        const events = [
            event("Update", 999, { KerberosDomainDescription: [desc(999, 5), desc(999, 6)] }),                 // another domain's branch
            event("Update", 30775, { DisplayName: ['["a"]', '["b"]'] }),                                         // no key in it
            event("Update", 30775, { KerberosDomainDescription: [desc(30775, 1585708), desc(30775, 1586495)] }, "2026-01-02T00:00:00Z"),
            event("Add", 30775, { KerberosDomainDnsName: [null, `["${domain}"]`], KerberosDomainDescription: [null, desc(30775, 1585708)] }),
        ];
        expect(auditObservation(events, domain, 30775)).toEqual({ keyVersion: 1586495, keyUpdatedOn: "2021-04-23T10:26:55Z", activity: "Update kerberos domain", at: "2026-01-02T00:00:00Z", deleted: false });
    });

    test("a delete of this branch, another domain's event with a colliding branch, nothing at all", () => {
        expect(auditObservation([event("Delete", 30775, { KerberosDomainDnsName: [`["${domain}"]`, null] })], domain, 30775)).toMatchObject({ deleted: true, keyVersion: null });
        expect(auditObservation([event("Add", 30775, { KerberosDomainDnsName: [null, '["other.example.com"]'], KerberosDomainDescription: [null, desc(30775, 1)] })], domain, 30775)).toBeUndefined();
        expect(auditObservation([], domain, 30775)).toBeUndefined();
    });
});
