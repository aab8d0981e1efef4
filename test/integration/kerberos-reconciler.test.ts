// The AzureADKerberosServer reconciler with the lab publisher adapter against the shared lab's corp
// forest (the lab publisher over HTTPS with a Graph-emulator token, Samba over LDAPS, the emulator's
// audit log). What is on the DC is checked with an independent admin LDAP client.
import { Attribute, Change } from "ldapts";
import { ProviderError } from "../../provider/core/errors";
import { newContext, type OperationContext } from "../../provider/kerberos/context";
import type { AzureADKerberosServerInputs } from "../../provider/kerberos/model";
import { converge, readServer, removeServer } from "../../provider/kerberos/reconciler";
import { createLabPublisher } from "../../provider/publisher/lab";
import { requireLab, labCa, labSecretEnv, withAdminLdap, expectNoLabSecret } from "../support/lab";
import {
    builtinDeniedDns, clearListClaims, clearPublisherFaults, editListByHand, injectPublisherFault, kerberosDns, labServerInputs, readDc, readListClaims,
    rotateOutOfBand, sameDnSet,
} from "../support/kerberos-lab";

jest.setTimeout(120_000);

const lab = requireLab();
const corp = lab.forests.find((f) => f.name === "corp")!;
const dns = kerberosDns(corp);
const suffix = `${process.pid}`;
const staff = `kerb-int-staff-${suffix}`;
const nested = `kerb-int-nested-${suffix}`;
const groupDn = (cn: string) => `CN=${cn},CN=Users,${corp.baseDn}`;
const domainUsers = `CN=Domain Users,CN=Users,${corp.baseDn}`;
const domainAdmins = `CN=Domain Admins,CN=Users,${corp.baseDn}`;

const ctx = (over: Partial<OperationContext> = {}) => newContext({ env: { ...process.env, ...labSecretEnv(lab) }, ...over });
const inputs = (extra: Record<string, unknown> = {}) => labServerInputs(lab, corp, extra) as AzureADKerberosServerInputs;

async function failure(p: Promise<unknown>): Promise<ProviderError> {
    const e = await p.then(() => { throw new Error("expected a failure"); }, (err) => err);
    expect(e).toBeInstanceOf(ProviderError);
    const text = `${e.message} ${JSON.stringify(e)}`;
    expectNoLabSecret(lab, [text]);
    return e;
}

async function expectOneOfEach(): Promise<void> {
    const dc = await readDc(lab, corp);
    expect(dc.computers).toHaveLength(1);
    expect(dc.krbtgts).toHaveLength(1);
    expect(dc.scps).toHaveLength(1);
}

beforeAll(async () => {
    await clearListClaims(lab, corp); // leftovers from an interrupted run
    await removeServer(inputs(), ctx());
    await withAdminLdap(lab, corp, async (c) => {
        for (const cn of [staff, nested]) await c.add(groupDn(cn), { objectClass: "group", sAMAccountName: cn });
    });
});

afterAll(async () => {
    await clearPublisherFaults(lab, corp.domain).catch(() => undefined);
    await removeServer(inputs(), ctx()).catch(() => undefined);
    await withAdminLdap(lab, corp, async (c) => {
        await c.modify(domainAdmins, [new Change({ operation: "delete", modification: new Attribute({ type: "member", values: [groupDn(nested)] }) })]).catch(() => undefined);
        for (const cn of [staff, nested]) await c.del(groupDn(cn)).catch(() => undefined);
    });
});

describe("reconciler + lab publisher on corp", () => {
    let first: Awaited<ReturnType<typeof converge>>;

    test("create publishes, applies the default lists and reads back in sync", async () => {
        first = await converge(inputs(), { existing: false }, ctx());
        const o = first.outputs;
        expect(o).toMatchObject({ inSync: true, driftReasons: [], domainDnsName: corp.domain, computerAccount: dns.computer, userAccount: dns.krbtgt, lastRotatedOn: null });
        expect(o.branchId).toBeGreaterThan(0);
        expect(o.cloudId).toBe(o.branchId);
        expect(o.cloudKeyVersion).toBe(o.keyVersion);
        expect(o.auditKeyVersion).toBe(o.keyVersion); // Entra's (emulated) log agrees
        expect(o.keyUpdatedFrom).toBe(corp.dcHostName);
        expect(first.applied.map((c) => c.kind)).toEqual(["publish", "allowList", "denyList"]);

        const dc = await readDc(lab, corp);
        expect(dc.krbtgts).toEqual([{ dn: dns.krbtgt, sAMAccountName: `krbtgt_${o.branchId}`, branchId: o.branchId }]);
        expect(sameDnSet(dc.allowed, [domainUsers])).toBe(true);
        expect(sameDnSet(dc.denied, builtinDeniedDns(corp))).toBe(true);
    });

    test("the lab adapter's get returns the same table the outputs came from", async () => {
        const port = createLabPublisher({ endpoint: lab.publisher.endpoint, caCertificate: labCa(lab), getToken: labToken });
        const t = await port.get({ domain: corp.domain, domainCredential: { username: corp.adminUpn, password: lab.secrets[corp.adminPasswordEnv] } });
        expect(t).toMatchObject({ Id: first.outputs.branchId, CloudId: first.outputs.branchId, KeyVersion: first.outputs.keyVersion, CloudKeyVersion: first.outputs.keyVersion });
    });

    test("create again adopts the existing server: no duplicates, same branch", async () => {
        const again = await converge(inputs(), { existing: false }, ctx());
        expect(again.outputs.branchId).toBe(first.outputs.branchId);
        expect(again.outputs.keyVersion).toBe(first.outputs.keyVersion);
        expect(again.applied.map((c) => c.kind)).toEqual(["publish"]);
        await expectOneOfEach();
    });

    test("custom allow/deny lists are written exactly; the built-in denied groups stay", async () => {
        const r = await converge(inputs({ allowedGroups: [staff], deniedGroups: [groupDn(nested)] }), { existing: true }, ctx());
        expect(r.applied.map((c) => c.kind)).toEqual(["allowList", "denyList"]);
        const dc = await readDc(lab, corp);
        expect(sameDnSet(dc.allowed, [groupDn(staff)])).toBe(true);
        expect(sameDnSet(dc.denied, [...builtinDeniedDns(corp), groupDn(nested)])).toBe(true);
    });

    test("lists edited by hand are reported by read and restored by update", async () => {
        const want = inputs({ allowedGroups: [staff], deniedGroups: [groupDn(nested)] });
        await editListByHand(lab, corp, "msDS-RevealOnDemandGroup", [groupDn(staff), domainUsers]);
        await editListByHand(lab, corp, "msDS-NeverRevealGroup", builtinDeniedDns(corp).filter((d) => !d.startsWith("CN=Domain Admins")));
        const seen = await readServer(want, {}, ctx());
        expect(seen.inSync).toBe(false);
        expect(seen.driftReasons).toEqual([`allow list: ${domainUsers} not desired`, `deny list: ${domainAdmins} missing; ${groupDn(nested)} missing`]);
        await converge(want, { existing: true }, ctx());
        const dc = await readDc(lab, corp);
        expect(sameDnSet(dc.allowed, [groupDn(staff)])).toBe(true);
        expect(sameDnSet(dc.denied, [...builtinDeniedDns(corp), groupDn(nested)])).toBe(true);
    });

    test("a group that does not exist fails naming the input; refresh reports it instead", async () => {
        const e = await failure(converge(inputs({ allowedGroups: [staff, "no-such-group-x"] }), { existing: true }, ctx()));
        expect(e.code).toBe("GroupNotFound");
        expect(e.message).toMatch(/"no-such-group-x" \(allowedGroups\[1\]\) was not found/);
        const seen = await readServer(inputs({ allowedGroups: ["no-such-group-x"] }), {}, ctx());
        expect(seen.driftReasons).toEqual([expect.stringMatching(/^allow\/deny lists not checked: .*no-such-group-x/)]);
    });

    test("a group nested in Domain Admins is refused unless allowPrivilegedGroups; Domain Admins itself too", async () => {
        await withAdminLdap(lab, corp, (c) => c.modify(domainAdmins, [new Change({ operation: "add", modification: new Attribute({ type: "member", values: [groupDn(nested)] }) })]));
        try {
            const e = await failure(converge(inputs({ allowedGroups: [nested] }), { existing: true }, ctx()));
            expect(e.code).toBe("PrivilegedGroupRefused");
            expect(e.message).toMatch(new RegExp(`${nested} .* is nested in Domain Admins.*allowPrivilegedGroups: true`));
            // by SID, so a renamed Domain Admins is caught too (check catches the name before any I/O)
            const sid = await withAdminLdap(lab, corp, async (c) => {
                const r = await c.search(domainAdmins, { scope: "base", attributes: ["objectSid"], explicitBufferAttributes: ["objectSid"] });
                return require("../../provider/ad/sid").sidToString(r.searchEntries[0].objectSid as Buffer);
            });
            const e2 = await failure(converge(inputs({ allowedGroups: [sid] }), { existing: true }, ctx()));
            expect(e2.message).toMatch(/is Domain Admins/);
            const dc = await readDc(lab, corp);
            expect(sameDnSet(dc.allowed, [groupDn(staff)])).toBe(true); // nothing was written
        } finally {
            await withAdminLdap(lab, corp, (c) => c.modify(domainAdmins, [new Change({ operation: "delete", modification: new Attribute({ type: "member", values: [groupDn(nested)] }) })]));
        }
    });

    test("out-of-band rotation: read names both versions, update rotates and publishes, the 24-hour rule then holds unless forced", async () => {
        const want = inputs({ allowedGroups: [staff], deniedGroups: [groupDn(nested)], keyRotation: { trigger: "t1" } });
        const before = await readServer(want, {}, ctx());
        await rotateOutOfBand(lab, corp);
        const seen = await readServer(want, {}, ctx());
        expect(seen.keyVersion).toBeGreaterThan(before.keyVersion!);
        expect(seen.driftReasons).toEqual([`key version on-prem ${seen.keyVersion} ≠ cloud ${before.keyVersion}`]);

        const fixed = await converge(want, { existing: true, previousTrigger: "t1" }, ctx());
        expect(fixed.applied.map((c) => c.kind)).toEqual(["rotate"]);
        expect(fixed.outputs).toMatchObject({ inSync: true, driftReasons: [] });
        expect(fixed.outputs.keyVersion).toBeGreaterThan(seen.keyVersion!); // a new key, not the out-of-band one
        expect(fixed.outputs.cloudKeyVersion).toBe(fixed.outputs.keyVersion);
        expect(fixed.outputs.auditKeyVersion).toBe(fixed.outputs.keyVersion);
        expect(fixed.outputs.lastRotatedOn).not.toBeNull();

        // a trigger change right after: refused by this resource's own 24-hour rule, before any write
        const t2 = inputs({ allowedGroups: [staff], deniedGroups: [groupDn(nested)], keyRotation: { trigger: "t2" } });
        const e = await failure(converge(t2, { existing: true, previousTrigger: "t1", lastRotatedOn: fixed.outputs.lastRotatedOn }, ctx()));
        expect(e.code).toBe("RotationTooSoon");
        expect(e.message).toMatch(/trigger changed from "t1" to "t2".*less than 24 hours ago.*keyRotation.force: true/);
        // forgetting our own record does not help: the key time AD shows, published, holds the rule
        const e2 = await failure(converge(t2, { existing: true, previousTrigger: "t1" }, ctx()));
        expect(e2.code).toBe("RotationTooSoon");
        expect(e2.message).toMatch(/\(the key time AD shows\), less than 24 hours ago.*keyRotation.force: true/);
        expect((await readServer(t2, {}, ctx())).keyVersion).toBe(fixed.outputs.keyVersion);
        // force rotates
        const forced = await converge({ ...t2, keyRotation: { trigger: "t2", force: true } }, { existing: true, previousTrigger: "t1", lastRotatedOn: fixed.outputs.lastRotatedOn }, ctx());
        expect(forced.applied.map((c) => c.kind)).toEqual(["rotate"]);
        expect(forced.outputs.keyVersion).toBeGreaterThan(fixed.outputs.keyVersion!);
        expect(forced.outputs.inSync).toBe(true);
        await expectOneOfEach();
    });

    test("delete removes the three objects and the cloud record, and is idempotent", async () => {
        await removeServer(inputs(), ctx());
        const dc = await readDc(lab, corp);
        expect(dc).toMatchObject({ computers: [], krbtgts: [], scps: [] });
        const seen = await readServer(inputs(), {}, ctx());
        expect(seen).toMatchObject({ branchId: null, cloudId: null, cloudKeyVersion: null, inSync: false });
        await removeServer(inputs(), ctx());
    });

    test("a publish that fails after the AD objects exist leaves an honest error; the next run converges without duplicates", async () => {
        await injectPublisherFault(lab, corp.domain, "afterAdObjects");
        const e = await failure(converge(inputs(), { existing: false }, ctx()));
        expect(e.message).toMatch(/publishing the Kerberos server of corp\.lab\.test through the lab publisher .* failed: .*Injected fault.*before the Kerberos domain was published.*next `pulumi up`/);
        expect(e.retryable).toBe(true);
        const half = await readServer(inputs(), {}, ctx());
        // the lists come after the publish: this owner's claim on them was not written either
        expect(half.driftReasons).toEqual([`cloud record (KerberosDomain) for ${corp.domain} missing`, expect.stringMatching(/^allow\/deny list claim of .* missing or out of date/)]);
        await expectOneOfEach();
        const r = await converge(inputs(), { existing: false }, ctx());
        expect(r.outputs.inSync).toBe(true);
        expect(r.outputs.branchId).toBe(half.branchId);
        await expectOneOfEach();
    });

    test("lab adapter failures are ProviderErrors naming the input, with no secret in them", async () => {
        const wrongCa = await failure(converge(inputs({ publisher: { type: "lab", endpoint: lab.publisher.endpoint } }), { existing: true }, ctx()));
        expect(wrongCa).toMatchObject({ code: "PublisherTlsFailed", input: "publisher.caCertificate" });
        const down = await failure(readServer(inputs({ publisher: { type: "lab", endpoint: "https://127.0.0.1:1/lab/kerberos", caCertificate: labCa(lab) } }), {}, ctx()));
        expect(down).toMatchObject({ code: "PublisherUnreachable", input: "publisher.endpoint" });
        const env = { ...process.env, ...labSecretEnv(lab), [lab.emulator.app.clientSecretEnv]: "wrong-secret-value-123" };
        const badSecret = await failure(readServer(inputs(), {}, newContext({ env })));
        expect(badSecret.input).toBe("graph.credential");
        expect(badSecret.message).not.toContain("wrong-secret-value-123");
        const missing = await failure(readServer(inputs({ directory: { ...inputs().directory, password: { env: "KERB_INT_NOT_SET" } } }), {}, ctx()));
        expect(missing).toMatchObject({ code: "SECRET_NOT_FOUND", input: "directory.password" });
    });
});

async function labToken(): Promise<string> {
    const { createCredential } = await import("../../provider/graph/credential");
    const { resolveEndpoints } = await import("../../provider/graph/endpoints");
    const { trustList } = await import("../../provider/graph/tls");
    const g = labServerInputs(lab, corp).graph;
    const ep = resolveEndpoints(g);
    const env = { ...process.env, ...labSecretEnv(lab) };
    const cred = createCredential(g, { endpoints: ep, ca: trustList(g.caCertificate), env, resolveSecret: (ref: any) => env[ref.env]! });
    return (await cred.getToken(ep.scope))!.token;
}

describe("two owners declare corp's server (two stacks): each keeps its own list entries", () => {
    const A = `proj/stack-a-${suffix}/corp`;
    const B = `proj/stack-b-${suffix}/corp`;
    const domainGuests = `CN=Domain Guests,CN=Users,${corp.baseDn}`;
    const as = (owner: string, extra: Record<string, unknown> = {}) => inputs({ listOwner: owner, ...extra });

    beforeAll(async () => {
        await removeServer(inputs(), ctx()); // the tests above leave a server owned by "(no owner)"
        await clearListClaims(lab, corp);
    });

    afterAll(async () => {
        await clearListClaims(lab, corp);
        await removeServer(inputs(), ctx()).catch(() => undefined);
    });

    test("both create at once: one server, the union of their lists, each claim in AD, both in sync", async () => {
        const [a, b] = await Promise.all([
            converge(as(A, { allowedGroups: [staff] }), { existing: false }, ctx()),
            converge(as(B, { deniedGroups: [groupDn(nested)] }), { existing: false }, ctx()),
        ]);
        expect([a.outputs.inSync, b.outputs.inSync]).toEqual([true, true]);
        await expectOneOfEach();
        const dc = await readDc(lab, corp);
        expect(sameDnSet(dc.allowed, [groupDn(staff), domainUsers])).toBe(true); // B declared the default
        expect(sameDnSet(dc.denied, [...builtinDeniedDns(corp), groupDn(nested)])).toBe(true);
        expect(Object.keys(await readListClaims(lab, corp)).sort()).toEqual([A, B].sort());
        for (const o of [as(A, { allowedGroups: [staff] }), as(B, { deniedGroups: [groupDn(nested)] })]) {
            expect((await readServer(o, {}, ctx())).driftReasons).toEqual([]);
        }
    });

    test("a hand edit is still reverted, and only what no owner claims goes", async () => {
        await editListByHand(lab, corp, "msDS-RevealOnDemandGroup", [groupDn(staff), domainUsers, domainGuests]);
        const seen = await readServer(as(A, { allowedGroups: [staff] }), {}, ctx());
        expect(seen.driftReasons).toEqual([`allow list: ${domainGuests} not desired`]); // Domain Users is B's, not drift for A
        const r = await converge(as(A, { allowedGroups: [staff] }), { existing: true }, ctx());
        expect(r.applied.map((c) => c.kind)).toEqual(["allowList"]);
        expect(sameDnSet((await readDc(lab, corp)).allowed, [groupDn(staff), domainUsers])).toBe(true);
    });

    test("an owner dropping a group removes it; the other owner's entries stay", async () => {
        await converge(as(A, { allowedGroups: [domainGuests] }), { existing: true }, ctx());
        expect(sameDnSet((await readDc(lab, corp)).allowed, [domainGuests, domainUsers])).toBe(true);
        expect((await readListClaims(lab, corp))[A]).toHaveLength(1);
        expect((await readServer(as(B, { deniedGroups: [groupDn(nested)] }), {}, ctx())).driftReasons).toEqual([]);
    });

    test("a claim deleted by hand is drift, and the next update writes it again", async () => {
        await withAdminLdap(lab, corp, async (c) => {
            const r = await c.search(`CN=EntraKerberosListClaims,CN=System,${corp.baseDn}`, { scope: "one", filter: `(description=${B})`, attributes: ["1.1"] });
            await c.del(r.searchEntries[0].dn);
        });
        const seen = await readServer(as(B, { deniedGroups: [groupDn(nested)] }), {}, ctx());
        expect(seen.driftReasons).toEqual([expect.stringMatching(new RegExp(`^allow/deny list claim of ${B} missing or out of date`))]);
        const r = await converge(as(B, { deniedGroups: [groupDn(nested)] }), { existing: true }, ctx());
        expect(r.applied.map((c) => c.kind)).toEqual(["listClaim"]);
        expect(Object.keys(await readListClaims(lab, corp)).sort()).toEqual([A, B].sort());
    });

    test("a renamed owner moves its claim: the old one is removed", async () => {
        const renamed = `${A}-renamed`;
        await converge(as(renamed, { allowedGroups: [domainGuests] }), { existing: true, previousOwner: A }, ctx());
        expect(Object.keys(await readListClaims(lab, corp)).sort()).toEqual([B, renamed].sort());
        await converge(as(A, { allowedGroups: [domainGuests] }), { existing: true, previousOwner: renamed }, ctx());
    });

    test("the first owner to let go keeps the server for the other and removes only its own entries; the last removes it", async () => {
        await removeServer(as(A, { allowedGroups: [domainGuests] }), ctx());
        await expectOneOfEach();
        const dc = await readDc(lab, corp);
        expect(sameDnSet(dc.allowed, [domainUsers])).toBe(true);
        expect(sameDnSet(dc.denied, [...builtinDeniedDns(corp), groupDn(nested)])).toBe(true);
        expect((await readServer(as(B, { deniedGroups: [groupDn(nested)] }), {}, ctx())).inSync).toBe(true);
        await removeServer(as(B, { deniedGroups: [groupDn(nested)] }), ctx());
        expect(await readDc(lab, corp)).toMatchObject({ computers: [], krbtgts: [], scps: [] });
        expect(await readListClaims(lab, corp)).toEqual({}); // the container is gone with the last claim
    });

    test("while another writer holds the domain's list lock, a write waits for it", async () => {
        const lockDn = `CN=lock,CN=EntraKerberosListClaims,CN=System,${corp.baseDn}`;
        await converge(as(A), { existing: false }, ctx()); // recreates the server (and the container)
        await withAdminLdap(lab, corp, (c) => c.add(lockDn, { objectClass: ["top", "container"], description: "someone else" }));
        let done = false;
        const write = converge(as(A, { allowedGroups: [staff] }), { existing: true }, ctx()).finally(() => { done = true; });
        await new Promise((r) => setTimeout(r, 1500));
        expect(done).toBe(false);
        expect(sameDnSet((await readDc(lab, corp)).allowed, [domainUsers])).toBe(true); // nothing written beside the lock
        await withAdminLdap(lab, corp, (c) => c.del(lockDn));
        await write;
        expect(sameDnSet((await readDc(lab, corp)).allowed, [groupDn(staff)])).toBe(true);
        await removeServer(as(A, { allowedGroups: [staff] }), ctx());
    });
});
