// Least privilege in Active Directory: docs/resources/azure-ad-kerberos-server.md "Active Directory (the `directory` account)" says the
// provider's own LDAP work reads the SCP, the AzureADKerberos computer, krbtgt_AzureAD (with
// replPropertyMetaData), the domain head and groups as any authenticated user, and writes exactly
// msDS-RevealOnDemandGroup and msDS-NeverRevealGroup on CN=AzureADKerberos plus its list claims
// (serviceConnectionPoints and a lock in CN=EntraKerberosListClaims,CN=System). Against the
// reliability lab's contoso DC, with plain users a domain admin delegated to (samba-tool dsacl set):
//   - a plain user with no delegation refreshes the server in sync, key metadata included;
//   - with WriteProperty on exactly those two attributes of that one object, and full control of a
//     pre-created claims container, it updates the lists both ways; the plan needs no publish;
//   - with no delegation, with only the two attributes, or with only the claims container, the same
//     update fails with DirectoryAccessDenied naming the object it could not write, and the lists
//     on the DC are as they were;
//   - the docs' other way, no pre-created container: create/delete child container and
//     serviceConnectionPoint on CN=System works when inherited by its descendants (the lock and the
//     claims go into the container the account creates), not on "this object only"; and it covers
//     only claims this account created (one another account wrote earlier it cannot rewrite);
//   - the reads rely on Authenticated Users being in Pre-Windows 2000 Compatible Access (the default):
//     where a hardening removed it, refresh sees krbtgt_AzureAD without its branch id and key stamp,
//     until the account may read those two attributes.
// The server itself is created and removed as the domain admin (Set-AzureADKerberosServer needs it).
import { randomBytes } from "node:crypto";
import { ProviderError } from "../../provider/core/errors";
import { newContext } from "../../provider/kerberos/context";
import type { AzureADKerberosServerInputs } from "../../provider/kerberos/model";
import { converge, readServer, removeServer } from "../../provider/kerberos/reconciler";
import { kerberosDns, readDc, readKeyVersion, readListClaims, sameDnSet } from "../support/kerberos-lab";
import { withAdminLdap } from "../support/lab";
import {
    createPlainUser, deleteContainer, deleteUsers, ensureContainer, explicitAcesFor, grantAces, readSddl, restoreSecurityDescriptor, saveSecurityDescriptor,
    schemaIdGuid, setAuthenticatedUsersInPreWin2k, sidString, type PlainUser,
} from "./support/ad-delegation";
import { serverArgs } from "./support/inputs";
import { forest, reliabilityLab, requestLog } from "./support/lab";
import { propertyCheck } from "./support/results";
import { scanForSecrets } from "./support/secret-scan";

jest.setTimeout(300_000);

const lab = reliabilityLab();
const contoso = forest(lab, "contoso");
const dns = kerberosDns(contoso);
const CLAIMS = `CN=EntraKerberosListClaims,CN=System,${contoso.baseDn}`;
const LOCK = `CN=lock,${CLAIMS}`;
const OWNER = `(no owner)/${contoso.domain}`;
const PREFIX = "svc-prp-";
const run = randomBytes(3).toString("hex");

const START = ["Domain Users"];
const NEXT = ["Domain Users", "Domain Guests"];
const groupDn = (cn: string) => `CN=${cn},CN=Users,${contoso.baseDn}`;

// schemaIDGUIDs of the two attributes (MS-ADA2); read from the schema below and checked against these
const REVEAL_GUID = "303d9f4a-1dd6-4b38-8fc5-33afe8c988ad"; // msDS-RevealOnDemandGroup
const NEVER_GUID = "15585999-fd49-4d66-b25d-eeb96aba8174"; // msDS-NeverRevealGroup
/** WriteProperty on the two list attributes of the one object they are set on (not inherited) */
const attrsSddl = (sid: string) => `(OA;;WP;${REVEAL_GUID};;${sid})(OA;;WP;${NEVER_GUID};;${sid})`;
/** full control (every right, in the order Samba writes them) of the claims container, inherited by the claims and the lock in it */
const claimsSddl = (sid: string) => `(A;CI;RPWPCRCCDCLCLORCWOWDSDDTSW;;;${sid})`;

type Who = "delegated" | "none" | "attrsOnly" | "claimsOnly" | "systemOnly" | "systemTree" | "hardened";
const users = {} as Record<Who, PlainUser>;
const passwordEnv = (who: Who) => `REL_ADLP_${who.toUpperCase()}_PASSWORD`;

// the admin's context has the lab's secrets; a user's has its own password and the Graph client secret only
const adminCtx = () => newContext({ env: { ...process.env, ...lab.secrets }, callTimeoutMs: 30_000 });
const userCtx = (who: Who) => newContext({
    env: { ...process.env, [lab.emulator.app.clientSecretEnv]: lab.secrets[lab.emulator.app.clientSecretEnv], [passwordEnv(who)]: users[who].password },
    callTimeoutMs: 30_000,
});
const adminInputs = (allowed: string[]) => serverArgs(lab, contoso, { allowedGroups: allowed }) as AzureADKerberosServerInputs;
function userInputs(who: Who, allowed: string[]): AzureADKerberosServerInputs {
    const a = adminInputs(allowed);
    return { ...a, directory: { ...a.directory, username: users[who].upn, password: { env: passwordEnv(who) } } };
}

async function cleanUp(): Promise<void> {
    // a run stopped in the middle of the hardening test: back to the provisioned default
    await setAuthenticatedUsersInPreWin2k(lab, contoso, true);
    await removeServer(adminInputs(START), adminCtx()).catch(() => undefined);
    await deleteContainer(lab, contoso, CLAIMS);
    await deleteUsers(lab, contoso, PREFIX);
}

/** What the DC holds that a list update could change: both lists and every claim (read as admin). */
async function listsOnDc() {
    const dc = await readDc(lab, contoso);
    return { allowed: dc.allowed.map((x) => x.toLowerCase()).sort(), denied: dc.denied.map((x) => x.toLowerCase()).sort(), claims: await readListClaims(lab, contoso) };
}

/** The SIDs of groups, read as admin (for what the claim must say). */
async function sidsOf(cns: string[]): Promise<string[]> {
    return withAdminLdap(lab, contoso, async (c) => Promise.all(cns.map(async (cn) => {
        const { searchEntries: [e] } = await c.search(groupDn(cn), { scope: "base", attributes: ["objectSid"], explicitBufferAttributes: ["objectSid"] });
        return sidString(e.objectSid as Buffer);
    })));
}

/** Runs the update as `who`; returns the ProviderError it failed with (and checks it carries no secret). */
async function refusedUpdate(who: Who): Promise<ProviderError> {
    const e = await converge(userInputs(who, NEXT), { existing: true }, userCtx(who)).then(() => undefined, (err: unknown) => err);
    if (e === undefined) throw new Error(`the list update as ${users[who].upn} succeeded; expected it to be refused`);
    expect(e).toBeInstanceOf(ProviderError);
    const secrets = [...Object.entries(lab.secrets), ...Object.entries(users).map(([k, u]) => [`${k} user's password`, u.password])].map(([name, value]) => ({ name, value }));
    expect(scanForSecrets(`AD least privilege: ${who} error`, `${(e as Error).message}\n${(e as Error).stack ?? ""}`, secrets)).toEqual([]);
    return e as ProviderError;
}

beforeAll(async () => {
    await cleanUp();
    // what a domain admin does once: pre-create the claims container, create the server (needs
    // Domain Admins: Set-AzureADKerberosServer), create the service accounts and delegate
    expect(await ensureContainer(lab, contoso, CLAIMS)).toBe("created");
    const created = await converge(adminInputs(START), { existing: false }, adminCtx());
    expect(created.outputs.inSync).toBe(true);
    expect(await schemaIdGuid(lab, contoso, "msDS-RevealOnDemandGroup")).toBe(REVEAL_GUID);
    expect(await schemaIdGuid(lab, contoso, "msDS-NeverRevealGroup")).toBe(NEVER_GUID);
    users.delegated = await createPlainUser(lab, contoso, `${PREFIX}${run}`);
    users.none = await createPlainUser(lab, contoso, `${PREFIX}${run}-n`);
    users.attrsOnly = await createPlainUser(lab, contoso, `${PREFIX}${run}-a`);
    users.claimsOnly = await createPlainUser(lab, contoso, `${PREFIX}${run}-c`);
    for (const who of ["delegated", "attrsOnly"] as Who[]) {
        const after = await grantAces(lab, contoso, dns.computer, users[who].dn, attrsSddl(users[who].sid));
        expect(explicitAcesFor(after, users[who].sid).sort()).toEqual(attrsSddl(users[who].sid).match(/\([^)]*\)/g)!.sort());
    }
    for (const who of ["delegated", "claimsOnly"] as Who[]) {
        const after = await grantAces(lab, contoso, CLAIMS, users[who].dn, claimsSddl(users[who].sid));
        expect(explicitAcesFor(after, users[who].sid)).toEqual([claimsSddl(users[who].sid)]);
    }
});

afterAll(async () => {
    await cleanUp();
    // the server, the claims container (with the ACEs on both) and the users are gone
    expect(await readDc(lab, contoso)).toMatchObject({ computers: [], krbtgts: [], scps: [] });
    expect(await readListClaims(lab, contoso)).toEqual({});
    expect(await deleteUsers(lab, contoso, PREFIX)).toEqual([]);
});

test("the delegation is exactly what the docs name: nothing on the domain head, CN=System or the krbtgt account", async () => {
    for (const who of Object.keys(users) as Who[]) {
        for (const dn of [contoso.baseDn, `CN=System,${contoso.baseDn}`, dns.krbtgt, dns.scp]) {
            expect(explicitAcesFor(await readSddl(lab, contoso, dn), users[who].sid)).toEqual([]);
        }
    }
    // and the users are in no group but Domain Users
    await withAdminLdap(lab, contoso, async (c) => {
        for (const u of Object.values(users)) {
            const { searchEntries: [e] } = await c.search(u.dn, { scope: "base", attributes: ["memberOf", "userAccountControl"] });
            expect(e.memberOf ?? []).toEqual([]);
            expect(String(e.userAccountControl)).toBe("512");
        }
    });
});

test("a plain authenticated user (no delegation) refreshes the server in sync, key metadata included", async () => {
    await propertyCheck("privilege", "AD: a plain user reads the Kerberos server (SCP, computer, krbtgt_AzureAD with replPropertyMetaData, head, groups) in sync", async () => {
        const asAdmin = await readServer(adminInputs(START), {}, adminCtx());
        const asUser = await readServer(userInputs("none", START), {}, userCtx("none"));
        expect(asUser.driftReasons).toEqual([]);
        expect(asUser.inSync).toBe(true);
        // the key's version comes from krbtgt_AzureAD's replPropertyMetaData: read, and the same as the admin's
        expect(typeof asUser.keyVersion).toBe("number");
        expect(asUser.keyVersion).toBe(await readKeyVersion(lab, contoso));
        expect(asUser).toEqual(asAdmin);
    });
});

test("WriteProperty on the two list attributes + full control of the claims container: the lists update both ways, no publish", async () => {
    await propertyCheck("privilege", "AD: WriteProperty on msDS-RevealOnDemandGroup/msDS-NeverRevealGroup + the claims container is enough to update the lists", async () => {
        const [usersSid, guestsSid] = await sidsOf(["Domain Users", "Domain Guests"]);
        const before = await listsOnDc();
        const key = await readKeyVersion(lab, contoso);
        for (const [allowed, sids] of [[NEXT, [usersSid, guestsSid]], [START, [usersSid]]] as const) {
            const logFrom = (await requestLog(lab)).length;
            const r = await converge(userInputs("delegated", [...allowed]), { existing: true }, userCtx("delegated"));
            // the server is complete and in sync: the plan is the allow list only, never a publish
            expect(r.applied.map((c) => c.kind)).toEqual(["allowList"]);
            expect(r.outputs).toMatchObject({ inSync: true, driftReasons: [] });
            const sent = (await requestLog(lab)).slice(logFrom).filter((x) => x.path.startsWith("/lab/kerberos/"));
            expect(sent.some((x) => x.path.endsWith("/get"))).toBe(true); // the publisher was asked, for reads only
            expect(sent.filter((x) => !x.path.endsWith("/get"))).toEqual([]);
            // independently, as admin: the new allow list, the deny list untouched, the claim in the container
            const now = await listsOnDc();
            expect(sameDnSet(now.allowed, allowed.map(groupDn))).toBe(true);
            expect(now.denied).toEqual(before.denied);
            expect(Object.keys(now.claims)).toEqual([OWNER]);
            expect(now.claims[OWNER].filter((k) => k.startsWith("allow:"))).toEqual(sids.map((s) => `allow:${s}`).sort());
            expect(await readKeyVersion(lab, contoso)).toBe(key); // no rotation, no publish
        }
        // the lock was released (the user deleted the lock it added)
        await withAdminLdap(lab, contoso, async (c) => {
            const { searchEntries } = await c.search(CLAIMS, { scope: "one", filter: "(objectClass=container)", attributes: ["1.1"] });
            expect(searchEntries).toEqual([]);
        });
    });
});

test("no delegation at all: the list update fails with DirectoryAccessDenied naming the claims lock; nothing on the DC changed", async () => {
    await propertyCheck("privilege", "AD: without any delegation the list update fails with a clear DirectoryAccessDenied", async () => {
        const before = await listsOnDc();
        const e = await refusedUpdate("none");
        expect(e.code).toBe("DirectoryAccessDenied");
        expect(e.serviceCode).toBe("insufficientAccessRights");
        // the first write of a list update is taking the lock in the claims container
        expect(e.message).toContain(`LDAP add ${LOCK} on ${contoso.ldapsUrl} failed (set allow/deny lists of ${contoso.domain})`);
        expect(e.message).toMatch(/LDAP insufficientAccessRights, 50/);
        expect(e.message).toMatch(/The directory account needs Write Property on msDS-RevealOnDemandGroup and msDS-NeverRevealGroup .* full control of CN=EntraKerberosListClaims,CN=System/);
        expect(e.input).toBe("directory.username");
        expect(await listsOnDc()).toEqual(before);
    });
});

test("only the two list attributes, no rights on the claims container: fails naming the claims lock; nothing changed", async () => {
    await propertyCheck("privilege", "AD: with the two attributes but not the claims container the list update fails naming the claims lock", async () => {
        const before = await listsOnDc();
        const e = await refusedUpdate("attrsOnly");
        expect(e.code).toBe("DirectoryAccessDenied");
        expect(e.serviceCode).toBe("insufficientAccessRights");
        expect(e.message).toContain(`LDAP add ${LOCK} on ${contoso.ldapsUrl} failed (set allow/deny lists of ${contoso.domain})`);
        expect(await listsOnDc()).toEqual(before);
    });
});

test("only the claims container, not the two attributes: fails naming CN=AzureADKerberos and the attribute; the lists are unchanged", async () => {
    await propertyCheck("privilege", "AD: with the claims container but not the two attributes the list update fails naming CN=AzureADKerberos", async () => {
        const before = await listsOnDc();
        const e = await refusedUpdate("claimsOnly");
        expect(e.code).toBe("DirectoryAccessDenied");
        expect(e.serviceCode).toBe("insufficientAccessRights");
        expect(e.message).toContain(`LDAP modify ${dns.computer} (add msDS-RevealOnDemandGroup) on ${contoso.ldapsUrl} failed (set allow/deny lists of ${contoso.domain})`);
        expect(e.message).toContain("The directory account needs Write Property on msDS-RevealOnDemandGroup and msDS-NeverRevealGroup of the AzureADKerberos computer");
        const after = await listsOnDc();
        expect(after.allowed).toEqual(before.allowed);
        expect(after.denied).toEqual(before.denied);
        // The claim is written before the lists (so a concurrent owner already keeps these entries):
        // it now names Domain Guests too, which refresh reports and the next successful run repairs.
        const [usersSid, guestsSid] = await sidsOf(["Domain Users", "Domain Guests"]);
        expect(after.claims[OWNER].filter((k) => k.startsWith("allow:"))).toEqual([`allow:${usersSid}`, `allow:${guestsSid}`].sort());
        const seen = await readServer(adminInputs(START), {}, adminCtx());
        expect(seen.driftReasons).toEqual([expect.stringMatching(/allow\/deny list claim of .* missing or out of date/)]);
        const repaired = await converge(userInputs("delegated", START), { existing: true }, userCtx("delegated"));
        expect(repaired.applied.map((c) => c.kind)).toEqual(["listClaim"]);
        expect(await listsOnDc()).toEqual(before);
    });
});

test("the docs' other way: create/delete child container + serviceConnectionPoint on CN=System (no pre-created container)", async () => {
    const system = `CN=System,${contoso.baseDn}`;
    const [containerClass, scpClass] = [await schemaIdGuid(lab, contoso, "container"), await schemaIdGuid(lab, contoso, "serviceConnectionPoint")];
    const systemSddl = (sid: string, flags: string) => `(OA;${flags};CCDC;${containerClass};;${sid})(OA;${flags};CCDC;${scpClass};;${sid})`;
    const saved = await saveSecurityDescriptor(lab, contoso, system);
    const sddlBefore = await readSddl(lab, contoso, system);
    try {
        users.systemOnly = await createPlainUser(lab, contoso, `${PREFIX}${run}-o`);
        users.systemTree = await createPlainUser(lab, contoso, `${PREFIX}${run}-s`);
        for (const [who, flags] of [["systemOnly", ""], ["systemTree", "CI"]] as [Who, string][]) {
            await grantAces(lab, contoso, dns.computer, users[who].dn, attrsSddl(users[who].sid));
            const after = await grantAces(lab, contoso, system, users[who].dn, systemSddl(users[who].sid, flags));
            expect(explicitAcesFor(after, users[who].sid).sort()).toEqual(systemSddl(users[who].sid, flags).match(/\([^)]*\)/g)!.sort());
        }
        // as if no stack had declared the lists yet: no container, no claim
        await deleteContainer(lab, contoso, CLAIMS);
        const before = await listsOnDc();
        expect(before.claims).toEqual({});

        await propertyCheck("privilege", "AD: create/delete child on CN=System for this object only fails naming the claims lock", async () => {
            const e = await refusedUpdate("systemOnly");
            expect(e.code).toBe("DirectoryAccessDenied");
            // it may create the container, but not the lock inside it
            expect(e.message).toContain(`LDAP add ${LOCK} on ${contoso.ldapsUrl} failed (set allow/deny lists of ${contoso.domain})`);
            expect(await listsOnDc()).toEqual(before);
            await deleteContainer(lab, contoso, CLAIMS);
        });

        await propertyCheck("privilege", "AD: create/delete child container + serviceConnectionPoint on CN=System and descendants is enough to update the lists", async () => {
            const [usersSid, guestsSid] = await sidsOf(["Domain Users", "Domain Guests"]);
            for (const [allowed, sids] of [[NEXT, [usersSid, guestsSid]], [START, [usersSid]]] as const) {
                const r = await converge(userInputs("systemTree", [...allowed]), { existing: true }, userCtx("systemTree"));
                expect(r.applied.map((c) => c.kind)).toEqual(["allowList"]);
                expect(r.outputs).toMatchObject({ inSync: true, driftReasons: [] });
                const now = await listsOnDc();
                expect(sameDnSet(now.allowed, allowed.map(groupDn))).toBe(true);
                expect(now.denied).toEqual(before.denied);
                expect(now.claims[OWNER].filter((k) => k.startsWith("allow:"))).toEqual(sids.map((s) => `allow:${s}`).sort());
            }
        });

        await propertyCheck("privilege", "AD: with create/delete child only, a claim another account wrote cannot be rewritten: clear DirectoryAccessDenied naming the claim", async () => {
            // the claim written by the admin (say, the first `pulumi up` ran as a domain admin)
            await deleteContainer(lab, contoso, CLAIMS);
            await converge(adminInputs(START), { existing: true }, adminCtx());
            const now = await listsOnDc();
            const e = await refusedUpdate("systemTree");
            expect(e.code).toBe("DirectoryAccessDenied");
            expect(e.message).toMatch(new RegExp(`LDAP modify CN=[0-9a-f]{32},${CLAIMS} \\(replace keywords\\) on .* failed`));
            expect(await listsOnDc()).toEqual(now);
        });
    } finally {
        await restoreSecurityDescriptor(lab, contoso, system, saved);
    }
    expect(await readSddl(lab, contoso, system)).toBe(sddlBefore);
});

test("hardened domain (Authenticated Users not in Pre-Windows 2000 Compatible Access): a plain user is told what to grant and nothing is written; reading two attributes of krbtgt_AzureAD is enough", async () => {
    await propertyCheck("privilege", "AD: without Pre-Windows 2000 Compatible Access a plain user needs ReadProperty on msDS-SecondaryKrbTgtNumber and replPropertyMetaData of krbtgt_AzureAD", async () => {
        users.hardened = await createPlainUser(lab, contoso, `${PREFIX}${run}-h`);
        const asAdmin = await readServer(adminInputs(START), {}, adminCtx());
        expect(asAdmin.inSync).toBe(true);
        expect(await setAuthenticatedUsersInPreWin2k(lab, contoso, false)).toBe(true);
        try {
            const blind = await readServer(userInputs("hardened", START), {}, userCtx("hardened"));
            // the account cannot read the branch id nor the key's replication stamp: refresh says so
            // (and what to grant) instead of reporting them missing
            expect(blind.inSync).toBe(false);
            expect(blind).toMatchObject({ branchId: null, keyVersion: null });
            const grant = `the key metadata of ${dns.krbtgt} is not readable with this account: grant it Read Property on msDS-SecondaryKrbTgtNumber and replPropertyMetaData`;
            expect(blind.driftReasons).toEqual([expect.stringContaining(grant)]);
            // and an update refuses before writing anything: no publish of a server that only looks incomplete
            const before = await listsOnDc();
            const logFrom = (await requestLog(lab)).length;
            const e = await refusedUpdate("hardened");
            expect(e.code).toBe("DirectoryAccessDenied");
            expect(e.message).toContain(grant);
            expect((await requestLog(lab)).slice(logFrom).filter((x) => x.path.startsWith("/lab/kerberos/") && !x.path.endsWith("/get"))).toEqual([]);
            expect(await listsOnDc()).toEqual(before);
            const [secondary, meta] = [await schemaIdGuid(lab, contoso, "msDS-SecondaryKrbTgtNumber"), await schemaIdGuid(lab, contoso, "replPropertyMetaData")];
            const sddl = `(OA;;RP;${secondary};;${users.hardened.sid})(OA;;RP;${meta};;${users.hardened.sid})`;
            expect(explicitAcesFor(await grantAces(lab, contoso, dns.krbtgt, users.hardened.dn, sddl), users.hardened.sid).sort()).toEqual(sddl.match(/\([^)]*\)/g)!.sort());
            // the SCP, the computer, its lists, the groups and the claims stay readable through their own default ACEs
            expect(await readServer(userInputs("hardened", START), {}, userCtx("hardened"))).toEqual(asAdmin);
        } finally {
            await setAuthenticatedUsersInPreWin2k(lab, contoso, true);
        }
    });
});
