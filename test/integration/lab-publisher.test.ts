// The lab Kerberos publisher against a real Samba AD DC on 127.0.0.33, with a recording audit
// sink (the publisher's own logic is under test; the Graph emulator has its own tests).
// AD state is checked with an independent raw ldapts client.
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { Attribute, Change, Client } from "ldapts";
import { Agent, fetch } from "undici";
import { ensureLabCa, issueServerCert } from "../../lab/ca";
import { GraphEmulator, LAB_APP_CLIENT_ID, labApp } from "../../lab/emulator";
import type { EmulatorRequest } from "../../lab/emulator/types";
import {
    DirectoryAuditEvent, DomainRequest, LabKerberosPublisher, PUBLISHER_MOUNT_PREFIX, publisherHandler, ROTATION_INTERVAL_MS,
} from "../../lab/publisher";
import { ProviderError } from "../../provider/core/errors";
import { kerberosServerDns } from "../../provider/ad/kerberos-objects";
import { sidToString } from "../../provider/ad/sid";
import { OwnDc, startOwnDc, unicodePwd } from "./own-samba-dc";

const DOMAIN = "pubtest.lab.test";
const dns = kerberosServerDns("DC=pubtest,DC=lab,DC=test");

let dc: OwnDc;
let raw: Client;
let events: DirectoryAuditEvent[];
let clock: Date;
let pub: LabKerberosPublisher;
let req: DomainRequest;
const actor = { app: { appId: "11111111-0000-0000-0000-000000000001", displayName: "lab admin app" } };

function newPublisher(): LabKerberosPublisher {
    return new LabKerberosPublisher({
        forests: [dc.forest], caPem: dc.caPem, storePath: path.join(dc.labDir, "kerberos-domains.json"),
        auditSink: { recordDirectoryAudit: (e) => { events.push(e); } }, tenantId: "7d0b1a2c-3e4f-4a5b-8c6d-7e8f9a0b1c2d", now: () => clock,
    });
}

async function rawCount(filter: string): Promise<number> {
    const { searchEntries } = await raw.search(dns.domain, { scope: "sub", filter, attributes: ["1.1"] });
    return searchEntries.length;
}

/** Exactly one of each object, whatever happened before. */
async function expectNoDuplicates(): Promise<void> {
    expect(await rawCount("(sAMAccountName=AzureADKerberos$)")).toBe(1);
    expect(await rawCount("(&(objectClass=user)(msDS-SecondaryKrbTgtNumber=*))")).toBe(1);
    expect(await rawCount("(cn=900274c4-b7d2-43c8-90ee-00a9f650e335)")).toBe(1);
}

async function rawExists(dn: string): Promise<boolean> {
    try {
        await raw.search(dn, { scope: "base", attributes: ["1.1"] });
        return true;
    } catch {
        return false;
    }
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
    const e = await p.then(() => { throw new Error("expected a failure"); }, (err) => err);
    expect(e).toBeInstanceOf(ProviderError);
    expect(`${(e as Error).message} ${JSON.stringify(e)}`).not.toContain(dc.adminPassword);
    return e as ProviderError;
}

beforeAll(async () => {
    dc = await startOwnDc("pubtest", DOMAIN, "127.0.0.33");
    raw = await dc.raw();
    events = [];
    clock = new Date();
    pub = newPublisher();
    req = { domain: DOMAIN, domainCredential: { username: dc.forest.adminUpn, password: dc.adminPassword } };
}, 240_000);

afterAll(async () => {
    await dc?.stop();
}, 60_000);

describe("Set-AzureADKerberosServer", () => {
    it("creates the three objects, the record and one Add audit event", async () => {
        const r = await pub.set(req, actor);
        expect(r.createdObjects).toEqual([dns.krbtgt, dns.computer, dns.scp]);
        expect(r.published).toBe("added");
        expect(r.rotated).toBe(false);
        // bind, read (objects + the domain's DSAs beside them; the domain head stands in for the rootDSE
        // and gives the domain SID), krbtgt check/add/read-back, rootDSE (the DC's name, only when a
        // computer is created), one search for the ten groups, computer add/password/SID, container
        // delete/add, SCP add, re-read (objects; the DSAs are known by then)
        expect(r.ldapRoundTrips).toBe(15);

        // the AD objects, read independently
        const { searchEntries: [k] } = await raw.search(dns.krbtgt, {
            scope: "base", attributes: ["objectSid", "sAMAccountName", "msDS-SecondaryKrbTgtNumber", "msDS-KrbTgtLinkBl"], explicitBufferAttributes: ["objectSid"],
        });
        const n = Number(k["msDS-SecondaryKrbTgtNumber"]);
        expect(n).toBeGreaterThanOrEqual(1);
        expect(n).toBeLessThanOrEqual(65535);
        expect(k.sAMAccountName).toBe(`krbtgt_${n}`);
        expect(k["msDS-KrbTgtLinkBl"]).toBe(dns.computer);
        const { searchEntries: [c] } = await raw.search(dns.computer, {
            scope: "base", attributes: ["objectSid", "sAMAccountName", "userAccountControl", "primaryGroupID", "msDS-KrbTgtLink", "msDS-RevealOnDemandGroup", "msDS-NeverRevealGroup", "description", "pwdLastSet"],
            explicitBufferAttributes: ["objectSid"],
        });
        expect(c).toMatchObject({
            sAMAccountName: "AzureADKerberos$", userAccountControl: "83890176", primaryGroupID: "521", "msDS-KrbTgtLink": dns.krbtgt,
            "msDS-RevealOnDemandGroup": `CN=Domain Users,CN=Users,${dns.domain}`,
            description: "Azure AD Kerberos Server computer account for this domain",
        });
        expect(c.pwdLastSet).not.toBe("0"); // the computer got its own password
        expect(new Set(c["msDS-NeverRevealGroup"] as string[])).toEqual(new Set([
            "CN=Account Operators,CN=Builtin", "CN=Server Operators,CN=Builtin", "CN=Domain Admins,CN=Users", "CN=Cert Publishers,CN=Users",
            "CN=Enterprise Admins,CN=Users", "CN=Schema Admins,CN=Users", "CN=Domain Controllers,CN=Users", "CN=Backup Operators,CN=Builtin",
            "CN=Administrators,CN=Builtin",
        ].map((x) => `${x},${dns.domain}`)));
        const { searchEntries: [scp] } = await raw.search(dns.scp, { scope: "base", attributes: ["objectClass", "keywords", "showInAdvancedViewOnly", "description"] });
        expect(scp.objectClass).toContain("serviceConnectionPoint");
        expect(scp.showInAdvancedViewOnly).toBe("TRUE");
        expect(JSON.parse(String(scp.keywords))).toEqual({
            Id: "7d0b1a2c-3e4f-4a5b-8c6d-7e8f9a0b1c2d", UserAccountSid: sidToString(k.objectSid as Buffer), ComputerAccountSid: sidToString(c.objectSid as Buffer),
        });

        // the record and the Get table agree with AD
        const rec = pub.record(DOMAIN)!;
        expect(rec).toMatchObject({ domainDnsName: DOMAIN, branchId: n, displayName: `krbtgt_${n}`, keyUpdatedFrom: dc.forest.dcHostName });
        expect(r.server).toEqual({
            Id: n, UserAccount: dns.krbtgt, ComputerAccount: dns.computer, DisplayName: `krbtgt_${n}`, DomainDnsName: DOMAIN,
            KeyVersion: rec.keyVersion, KeyUpdatedOn: rec.keyUpdatedOn, KeyUpdatedFrom: dc.forest.dcHostName,
            CloudDisplayName: `krbtgt_${n}`, CloudDomainDnsName: DOMAIN, CloudId: n, CloudKeyVersion: rec.keyVersion, CloudKeyUpdatedOn: rec.keyUpdatedOn,
        });

        // the audit event
        expect(events).toHaveLength(1);
        const e = events[0];
        expect(e).toMatchObject({ category: "KerberosDomain", activityDisplayName: "Add kerberos domain", operationType: "Add", initiatedBy: { app: { appId: actor.app.appId } } });
        expect(e.targetResources[0].displayName).toBe(`krbtgt_${n}`);
        const desc = e.targetResources[0].modifiedProperties.find((p) => p.displayName === "KerberosDomainDescription")!;
        expect(JSON.parse(desc.newValue!)).toEqual([{ Version: 0, BranchId: n, OriginatingUsn: rec.keyVersion, OriginatingTime: rec.keyUpdatedOn.replace(/\.\d{3}Z$/, "Z") }]);
        await expectNoDuplicates();
    });

    it("changes nothing when run again (no write, no event, no duplicate)", async () => {
        const rec = pub.record(DOMAIN);
        const r = await pub.set(req, actor);
        expect(r).toMatchObject({ createdObjects: [], rotated: false, published: "none" });
        expect(r.ldapRoundTrips).toBeLessThanOrEqual(5); // bind + the 4 searches of one read
        expect(events).toHaveLength(1);
        expect(pub.record(DOMAIN)).toEqual(rec);
        await expectNoDuplicates();
    });

    it("keeps records across a restart (a new publisher on the same store file)", async () => {
        expect(newPublisher().record(DOMAIN)).toEqual(pub.record(DOMAIN));
    });
});

describe("key rotation", () => {
    it("an out-of-band password change shows as KeyVersion ≠ CloudKeyVersion; rotateServerKey converges", async () => {
        await raw.modify(dns.krbtgt, new Change({ operation: "replace", modification: new Attribute({ type: "unicodePwd", values: [unicodePwd(`Oob-${Date.now()}-aA1!`)] }) }));
        const drifted = await pub.get(req);
        expect(drifted.KeyVersion).not.toBe(drifted.CloudKeyVersion);
        expect(drifted.KeyVersion!).toBeGreaterThan(drifted.CloudKeyVersion!);

        const r = await pub.set({ ...req, rotateServerKey: true }, actor);
        expect(r).toMatchObject({ rotated: true, published: "updated", createdObjects: [] });
        expect(r.ldapRoundTrips).toBe(4); // bind, read (1: the DSAs are known to this process), unicodePwd modify, re-read
        expect(r.server.KeyVersion!).toBeGreaterThan(drifted.KeyVersion!);
        expect(r.server.CloudKeyVersion).toBe(r.server.KeyVersion);
        const after = await pub.get(req);
        expect(after.CloudKeyVersion).toBe(after.KeyVersion);
        expect(after.CloudKeyUpdatedOn).toBe(after.KeyUpdatedOn);
        expect(events.map((e) => e.activityDisplayName)).toEqual(["Add kerberos domain", "Update kerberos domain"]);
        const changed = events[1].targetResources[0].modifiedProperties;
        expect(changed.map((p) => p.displayName)).toEqual(["KerberosDomainDescription"]);
        expect(changed[0].newValue).toContain(`"OriginatingUsn":${after.KeyVersion}`);
    });

    it("refuses a second rotation within 24 h unless forced, before touching AD", async () => {
        const before = await pub.get(req);
        const e = await failure(pub.set({ ...req, rotateServerKey: true }, actor));
        expect(e.code).toBe("RotationTooSoon");
        expect(e.message).toMatch(/^Failed to rotate the Azure AD Kerberos Server key for pubtest.lab.test: it was last rotated at .*less than 24 hours ago.*-Force/);
        expect((await pub.get(req)).KeyVersion).toBe(before.KeyVersion);
        expect(events).toHaveLength(2);

        const forced = await pub.set({ ...req, rotateServerKey: true, force: true }, actor);
        expect(forced.rotated).toBe(true);
        expect(forced.server.KeyVersion!).toBeGreaterThan(before.KeyVersion!);
        expect(events).toHaveLength(3);

        clock = new Date(clock.getTime() + ROTATION_INTERVAL_MS + 60_000); // a day later: allowed again
        const later = await pub.set({ ...req, rotateServerKey: true }, actor);
        expect(later.rotated).toBe(true);
        expect(later.server.CloudKeyVersion).toBe(later.server.KeyVersion);
        expect(events).toHaveLength(4);
        await expectNoDuplicates();
    });

    it("a failure between the on-prem rotation and the publish is converged by the next set", async () => {
        pub.faults.add({ domain: DOMAIN, point: "afterRotation" });
        const e = await failure(pub.set({ ...req, rotateServerKey: true, force: true }, actor));
        expect(e.code).toBe("LabInjectedFault");
        const drifted = await pub.get(req);
        expect(drifted.KeyVersion).not.toBe(drifted.CloudKeyVersion);
        expect(events).toHaveLength(4);
        const r = await pub.set(req, actor);
        expect(r).toMatchObject({ rotated: false, published: "updated" });
        expect(r.server.CloudKeyVersion).toBe(drifted.KeyVersion);
        expect(events).toHaveLength(5);
    });
});

describe("failed publish, then converge", () => {
    it("a failure after the AD objects exist leaves no record; the next set publishes without duplicates", async () => {
        await pub.remove(req, actor);
        events.length = 0;
        pub.faults.add({ domain: DOMAIN, point: "afterAdObjects" });
        const e = await failure(pub.set(req, actor));
        expect(e.code).toBe("LabInjectedFault");
        expect(e.message).toContain("after the Active Directory objects were written, before the Kerberos domain was published");
        expect(pub.record(DOMAIN)).toBeUndefined();
        expect(events).toHaveLength(0);
        await expectNoDuplicates(); // the objects are there
        const half = await pub.get(req);
        expect(half.KeyVersion).not.toBeNull();
        expect(half.CloudKeyVersion).toBeNull();

        const r = await pub.set(req, actor);
        expect(r).toMatchObject({ createdObjects: [], published: "added" });
        expect(r.server.CloudKeyVersion).toBe(r.server.KeyVersion);
        expect(events.map((x) => x.activityDisplayName)).toEqual(["Add kerberos domain"]);
        await expectNoDuplicates();
    });

    it("completes half-created objects (computer and SCP missing) instead of starting over", async () => {
        const branch = pub.record(DOMAIN)!.branchId;
        await raw.del(dns.computer);
        await raw.del(dns.scp);
        const r = await pub.set(req, actor);
        expect(r.createdObjects).toEqual([dns.computer, dns.scp]);
        expect(r.server.Id).toBe(branch); // the krbtgt account was kept
        expect(r.published).toBe("none"); // the key did not change, so the cloud record is still right
        await expectNoDuplicates();
    });
});

describe("HTTP surface on a real DC", () => {
    it("set/get through the handler with a bearer token; the password is never echoed", async () => {
        const handler = publisherHandler(pub, { verifyAccessToken: (h) => { if (h !== "Bearer lab-token") throw new Error("bad token"); return { appid: "app-http" }; } });
        const call = (sub: string, body: unknown, auth = "Bearer lab-token") => {
            const url = new URL(`https://127.0.0.1/lab/kerberos${sub}`);
            const r: EmulatorRequest = {
                method: "POST", path: url.pathname, subPath: sub, url, query: url.searchParams, headers: { authorization: auth }, body,
                rawBody: Buffer.alloc(0), requestId: "r", clientRequestId: "c", remoteAddress: "127.0.0.1", origin: "https://127.0.0.1",
            };
            return handler(r);
        };
        const got = await call("/get", req);
        expect(got?.status).toBe(200);
        expect((got?.body as any).CloudId).toBe(pub.record(DOMAIN)!.branchId);
        const bad = await call("/get", { ...req, domainCredential: { ...req.domainCredential, password: `${dc.adminPassword}x` } });
        expect(bad?.status).toBe(403);
        expect((bad?.body as any).error.code).toBe("DirectoryAuthFailed");
        const noToken = await call("/set", req, "Bearer nope");
        expect(noToken?.status).toBe(401);
        for (const r of [got, bad, noToken]) expect(JSON.stringify(r)).not.toContain(dc.adminPassword);
    });
});

describe("mounted on the Graph emulator (HTTPS, real tokens, the tenant's audit log)", () => {
    it("publishes a missing record through /lab/kerberos/set and the event shows in auditLogs/directoryAudits", async () => {
        const ca = ensureLabCa(dc.labDir);
        const cert = issueServerCert(ca, "emulator-pubtest", ["localhost"], ["127.0.0.33"]);
        const secret = randomBytes(24).toString("base64url");
        const emu = new GraphEmulator({ host: "127.0.0.33", port: 0, certPath: cert.certPath, keyPath: cert.keyPath, apps: [labApp(secret)] });
        // a second publisher with its own (empty) store: the objects exist, its record does not
        const p2 = new LabKerberosPublisher({ forests: [dc.forest], caPem: dc.caPem, storePath: path.join(dc.labDir, "emu-store.json"), auditSink: emu });
        emu.mount(PUBLISHER_MOUNT_PREFIX, publisherHandler(p2, emu));
        const dispatcher = new Agent({ connect: { ca: dc.caPem } });
        await emu.start();
        try {
            const tok = await fetch(`${emu.url}/${emu.tenantId}/oauth2/v2.0/token`, {
                method: "POST", dispatcher,
                body: new URLSearchParams({ grant_type: "client_credentials", client_id: LAB_APP_CLIENT_ID, client_secret: secret, scope: "https://graph.microsoft.com/.default" }),
            });
            expect(tok.status).toBe(200);
            const { access_token } = (await tok.json()) as { access_token: string };
            const post = (route: string, body: unknown, token?: string) => fetch(`${emu.url}${PUBLISHER_MOUNT_PREFIX}${route}`, {
                method: "POST", dispatcher, body: JSON.stringify(body),
                headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
            });
            const anonymous = await post("/set", req);
            expect(anonymous.status).toBe(401);
            const set = await post("/set", req, access_token);
            const setText = await set.text();
            expect(setText).not.toContain(dc.adminPassword);
            expect(set.status).toBe(200);
            const body = JSON.parse(setText);
            expect(body).toMatchObject({ createdObjects: [], published: "added" });
            expect(body.server.CloudKeyVersion).toBe(body.server.KeyVersion);

            const audits = await fetch(`${emu.url}/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent("category eq 'KerberosDomain'")}`, {
                dispatcher, headers: { authorization: `Bearer ${access_token}` },
            });
            expect(audits.status).toBe(200);
            const list = ((await audits.json()) as { value: any[] }).value;
            expect(list).toHaveLength(1);
            expect(list[0]).toMatchObject({
                category: "KerberosDomain", activityDisplayName: "Add kerberos domain", loggedByService: "Core Directory",
                initiatedBy: { app: { appId: LAB_APP_CLIENT_ID } },
                targetResources: [{ displayName: body.server.DisplayName }],
            });
        } finally {
            await emu.stop();
            await dispatcher.close();
        }
    });
});

describe("Remove-AzureADKerberosServer", () => {
    it("deletes the objects, the record, and writes one Delete event; a second remove is harmless", async () => {
        const n = events.length;
        const rec = pub.record(DOMAIN)!;
        const r = await pub.remove(req, actor);
        expect(r.recordDeleted).toBe(true);
        expect(r.deletedObjects).toEqual([dns.computer, dns.krbtgt, dns.container]);
        for (const dn of [dns.computer, dns.krbtgt, dns.container, dns.scp]) expect(await rawExists(dn)).toBe(false);
        expect(pub.record(DOMAIN)).toBeUndefined();
        expect(events).toHaveLength(n + 1);
        expect(events[n]).toMatchObject({ activityDisplayName: "Delete kerberos domain", operationType: "Delete" });
        expect(events[n].targetResources[0]).toMatchObject({ id: rec.objectId, displayName: rec.displayName });

        const again = await pub.remove(req, actor);
        expect(again).toMatchObject({ deletedObjects: [], recordDeleted: false });
        expect(events).toHaveLength(n + 1);
        const table = await pub.get(req);
        expect(table).toMatchObject({ Id: null, KeyVersion: null, CloudId: null, CloudKeyVersion: null, DomainDnsName: DOMAIN });
    });
});
