import { kerberosDomainAuditEvent, kerberosDomainDescription } from "../../../lab/publisher/audit";
import { KerberosDomainRecord } from "../../../lab/publisher/types";

const rec: KerberosDomainRecord = {
    objectId: "6a7c1f1e-1111-2222-3333-444455556666", domainDnsName: "corp.lab.test", branchId: 30775, displayName: "krbtgt_30775",
    keyVersion: 1585708, keyUpdatedOn: "2021-04-23T10:26:55.000Z", keyUpdatedFrom: "dc1.corp.lab.test",
    createdOn: "2021-04-23T10:27:00.000Z", updatedOn: "2021-04-23T10:27:00.000Z",
};

describe("KerberosDomain audit events (kerberos-server.md §3.1)", () => {
    it("KerberosDomainDescription has Entra's shape", () => {
        expect(kerberosDomainDescription(rec)).toBe('[{"Version":0,"BranchId":30775,"OriginatingUsn":1585708,"OriginatingTime":"2021-04-23T10:26:55Z"}]');
    });

    it("Add: category, activity, target krbtgt_<N>, client DirectorySync, all properties new", () => {
        const e = kerberosDomainAuditEvent("Add", undefined, rec, { app: { appId: "app-1", servicePrincipalId: "sp-1" } }, new Date("2021-04-23T10:27:01Z"));
        expect(e).toMatchObject({
            category: "KerberosDomain", activityDisplayName: "Add kerberos domain", operationType: "Add", loggedByService: "Core Directory",
            result: "success", activityDateTime: "2021-04-23T10:27:01.000Z",
            initiatedBy: { user: null, app: { appId: "app-1", servicePrincipalId: "sp-1" } },
            additionalDetails: [{ key: "Action Client Name", value: "DirectorySync" }],
        });
        expect(e.targetResources[0]).toMatchObject({ id: rec.objectId, displayName: "krbtgt_30775" });
        const props = Object.fromEntries(e.targetResources[0].modifiedProperties.map((p) => [p.displayName, p]));
        expect(props.DisplayName).toEqual({ displayName: "DisplayName", oldValue: null, newValue: '["krbtgt_30775"]' });
        expect(props.KerberosDomainDnsName.newValue).toBe('["corp.lab.test"]');
        expect(props.Description.newValue).toBe('["An Active Directory Domain Controller object ."]');
        expect(props.KerberosDomainDescription.newValue).toContain('"OriginatingUsn":1585708');
    });

    it("Update lists only what changed, old and new", () => {
        const after = { ...rec, keyVersion: 1586495, keyUpdatedOn: "2021-04-23T11:00:00.000Z" };
        const e = kerberosDomainAuditEvent("Update", rec, after, { user: { userPrincipalName: "admin@corp.example.com" } }, new Date());
        expect(e.activityDisplayName).toBe("Update kerberos domain");
        expect(e.initiatedBy.user).toMatchObject({ userPrincipalName: "admin@corp.example.com" });
        expect(e.targetResources[0].modifiedProperties.map((p) => p.displayName)).toEqual(["KerberosDomainDescription"]);
        expect(e.targetResources[0].modifiedProperties[0].newValue).toContain("1586495");
        expect(e.targetResources[0].modifiedProperties[0].oldValue).toContain("1585708");
    });

    it("Delete carries the old values", () => {
        const e = kerberosDomainAuditEvent("Delete", rec, undefined, undefined, new Date());
        expect(e.operationType).toBe("Delete");
        expect(e.targetResources[0].displayName).toBe("krbtgt_30775");
        expect(e.targetResources[0].modifiedProperties.every((p) => p.newValue === null && p.oldValue !== null)).toBe(true);
    });
});
