// Drift rules: each difference between the observed server and the declared one, as the sentence a
// preview shows. An in-sync server has none.
import { driftReasons, keyAgeDays, keyAgeReason } from "../../../provider/kerberos/drift";
import { adState, cloudTable, DNS, DOMAIN, KEY_TIME, NO_CLOUD, observation, rotatedOnPrem, CLAIM } from "./fixtures";

const NOW = new Date("2026-02-01T00:00:00.000Z");

describe("drift rules", () => {
    test("an in-sync server has no drift", () => {
        expect(driftReasons(observation(), {}, NOW)).toEqual([]);
        expect(driftReasons(observation({ audit: { keyVersion: 1585708, activity: "Add kerberos domain", at: KEY_TIME, deleted: false } }), { maxAgeDays: 180 }, NOW)).toEqual([]);
    });

    test("on-prem key changed without publishing: both versions named", () => {
        expect(driftReasons(observation({ ad: rotatedOnPrem(1586495) }), {}, NOW)).toEqual(["key version on-prem 1586495 ≠ cloud 1585708"]);
    });

    test("the audit log confirming the stale record adds nothing; contradicting the publisher is reported", () => {
        const confirms = observation({ ad: rotatedOnPrem(1586495), audit: { keyVersion: 1585708, activity: "Add kerberos domain", at: KEY_TIME, deleted: false } });
        expect(driftReasons(confirms, {}, NOW)).toEqual(["key version on-prem 1586495 ≠ cloud 1585708"]);
        // the publisher claims 1585708 is published, Entra's own log says 1500000
        const contradicts = observation({ audit: { keyVersion: 1500000, activity: "Update kerberos domain", at: KEY_TIME, deleted: false } });
        expect(driftReasons(contradicts, {}, NOW)).toEqual([
            `key version on-prem 1585708 ≠ Entra audit log 1500000 (Update kerberos domain at ${KEY_TIME}; the publisher reports cloud 1585708)`,
        ]);
        const deleted = observation({ audit: { keyVersion: null, activity: "Delete kerberos domain", at: KEY_TIME, deleted: true } });
        expect(driftReasons(deleted, {}, NOW)).toEqual([`Entra audit log: the Kerberos domain was deleted at ${KEY_TIME} (Delete kerberos domain)`]);
        // no event (retention) or no graph: silence proves nothing
        expect(driftReasons(observation({ audit: null }), {}, NOW)).toEqual([]);
    });

    test("missing cloud record, other branch, other domain name", () => {
        expect(driftReasons(observation({ cloud: cloudTable(NO_CLOUD) }), {}, NOW)).toEqual([`cloud record (KerberosDomain) for ${DOMAIN} missing`]);
        expect(driftReasons(observation({ cloud: cloudTable({ CloudId: 12 }) }), {}, NOW)).toEqual(["branch id on-prem 30775 ≠ cloud 12"]);
        expect(driftReasons(observation({ cloud: cloudTable({ CloudDomainDnsName: "other.example.com" }) }), {}, NOW)).toEqual([`cloud domain name other.example.com ≠ ${DOMAIN}`]);
        expect(driftReasons(observation({ cloud: cloudTable({ CloudDomainDnsName: "CORP.example.com." }) }), {}, NOW)).toEqual([]);
    });

    test("missing AD objects are named by DN", () => {
        const noComputer = adState({ computer: undefined, complete: false, missing: ["computer"] });
        expect(driftReasons(observation({ ad: noComputer, prp: undefined }), {}, NOW)).toEqual([`computer account ${DNS.computer} missing`]);
        const none = adState({ scp: undefined, computer: undefined, krbtgt: undefined, absent: true, complete: false });
        expect(driftReasons(observation({ ad: none, prp: undefined, cloud: cloudTable(NO_CLOUD) }), {}, NOW)).toEqual([
            `Kerberos server objects of ${DOMAIN} are missing (service connection point, computer account, krbtgt account)`,
            `cloud record (KerberosDomain) for ${DOMAIN} missing`,
        ]);
        // read without the module, nothing is known about the cloud: only what AD lacks is named
        expect(driftReasons(observation({ ad: none, prp: undefined, cloud: cloudTable(NO_CLOUD), cloudSource: "none" }), {}, NOW)).toEqual([
            `Kerberos server objects of ${DOMAIN} are missing (service connection point, computer account, krbtgt account)`,
        ]);
        const linkBroken = adState({ complete: false, problems: [`msDS-KrbTgtLink of ${DNS.computer} is empty, not ${DNS.krbtgt}`] });
        expect(driftReasons(observation({ ad: linkBroken }), {}, NOW)).toEqual([`msDS-KrbTgtLink of ${DNS.computer} is empty, not ${DNS.krbtgt}`]);
    });

    test("key age against maxAgeDays", () => {
        expect(keyAgeDays(KEY_TIME, NOW)).toBe(21);
        expect(driftReasons(observation(), { maxAgeDays: 20 }, NOW)).toEqual(["key is 21 days old (maxAgeDays 20)"]);
        expect(driftReasons(observation(), { maxAgeDays: 22 }, NOW)).toEqual([]);
        expect(keyAgeReason(KEY_TIME, 21, new Date(new Date(KEY_TIME).getTime() + 21 * 86_400_000))).toBeUndefined(); // exactly 21 days: not older
        expect(keyAgeReason(null, 1, NOW)).toBeUndefined();
    });

    test("allow and deny lists edited by hand", () => {
        const prp = {
            allow: { missing: ["CN=Staff,OU=Groups,DC=corp,DC=example,DC=com"], extra: ["CN=Domain Users,CN=Users,DC=corp,DC=example,DC=com"] },
            deny: { missing: ["CN=Domain Admins,CN=Users,DC=corp,DC=example,DC=com"], extra: [] },
            claim: CLAIM,
        };
        expect(driftReasons(observation({ prp }), {}, NOW)).toEqual([
            "allow list: CN=Staff,OU=Groups,DC=corp,DC=example,DC=com missing; CN=Domain Users,CN=Users,DC=corp,DC=example,DC=com not desired",
            "deny list: CN=Domain Admins,CN=Users,DC=corp,DC=example,DC=com missing",
        ]);
        expect(driftReasons(observation({ prpError: 'group "Staff" (allowedGroups[0]) was not found' }), {}, NOW))
            .toEqual(['allow/deny lists not checked: group "Staff" (allowedGroups[0]) was not found']);
    });

    test("this owner's list claim missing from AD is drift, naming the owner and where the claim belongs", () => {
        const prp = { allow: { missing: [], extra: [] }, deny: { missing: [], extra: [] }, claim: { ...CLAIM, current: false } };
        expect(driftReasons(observation({ prp }), {}, NOW)).toEqual([`allow/deny list claim of ${CLAIM.owner} missing or out of date (${CLAIM.dn})`]);
    });

    test("several differences are all reported, objects first", () => {
        const r = driftReasons(observation({ ad: rotatedOnPrem(1586495, "2025-01-01T00:00:00.000Z"), prp: { allow: { missing: [], extra: ["CN=X"] }, deny: { missing: [], extra: [] }, claim: CLAIM } }), { maxAgeDays: 180 }, NOW);
        expect(r).toEqual(["key version on-prem 1586495 ≠ cloud 1585708", "key is 396 days old (maxAgeDays 180)", "allow list: CN=X not desired"]);
    });
});
