// Opt-in lab data for the readiness report (docs/readiness.md), never part of the default seed:
// pilot users in corp's AD and in the emulator's tenant, synchronised the way Entra Connect does it
// (the Graph user's onPremisesSecurityIdentifier is the AD user's objectSid), made members of the
// stack's FIDO2 pilot group "WHfB Pilot Users". `clean` seeds one user who will get a cloud TGT;
// `withFailures` adds one of each failure the report names:
//   - rd-tier0: in Domain Admins through a nested group (RD Tier0 Operators), a deny-list member
//   - rd-protected: in Protected Users
//   - rd-disabled: disabled in AD (and so in Entra, as sync would make it)
//   - rd-cloudonly: a cloud-only user (no onPremisesSecurityIdentifier)
// The Graph side also nests a group ("RD Pilot Wave 1") in the pilot group, so membership is transitive
// in Graph too. AD writes use a plain admin LDAP client (lab tooling, not the product's code); the
// tenant changes go through the emulator's admin seed API. `clearReadinessSeed` empties the pilot group.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { Attribute, Change, Client, EqualityFilter } from "ldapts";
import { sidToString } from "../provider/ad/sid";
import { groupEntity, userEntity } from "./emulator/state";
import { LAB_TENANT_DOMAIN, SEED } from "./emulator/seed";
import { emulatorAdmin } from "./emulator-admin";
import type { LabForest, LabInfo } from "./layout";
import { labLdapClient } from "./samba/probe";

export const READINESS_PILOT_GROUP_ID = SEED.groups.whfbPilotUsers;
export const READINESS_WAVE_GROUP_ID = "0a1b2c3d-0001-4000-8000-0000000000a1";

/** The seeded users by role, with their Graph ids and UPNs (what the report names). */
export const READINESS_USERS = {
    ready: { cn: "rd-ready", id: "0a1b2c3d-0002-4000-8000-0000000000a1" },
    tier0: { cn: "rd-tier0", id: "0a1b2c3d-0002-4000-8000-0000000000a2" },
    protected: { cn: "rd-protected", id: "0a1b2c3d-0002-4000-8000-0000000000a3" },
    disabled: { cn: "rd-disabled", id: "0a1b2c3d-0002-4000-8000-0000000000a4" },
    cloudOnly: { cn: "rd-cloudonly", id: "0a1b2c3d-0002-4000-8000-0000000000a5" },
} as const;
export type ReadinessRole = keyof typeof READINESS_USERS;

export const readinessUpn = (role: ReadinessRole): string => `${READINESS_USERS[role].cn}@${LAB_TENANT_DOMAIN}`;

const UAC_NORMAL = 0x200;
const UAC_DISABLED = 0x202;
const TIER0_GROUP_CN = "RD Tier0 Operators";

async function ignoreExisting(work: () => Promise<unknown>): Promise<void> {
    try { await work(); } catch (e) {
        // 68 entryAlreadyExists, 20 attributeOrValueExists: seeded before
        const code = (e as { code?: number }).code;
        if (code !== 68 && code !== 20) throw e;
    }
}

async function addUser(c: Client, forest: LabForest, cn: string, uac: number): Promise<string> {
    const dn = `CN=${cn},CN=Users,${forest.baseDn}`;
    // a random password nobody needs (AD wants a quoted UTF-16LE value); never printed or kept
    const password = Buffer.from(`"Rd-${randomBytes(12).toString("base64url")}-aA1!"`, "utf16le");
    await ignoreExisting(() => c.add(dn, [
        new Attribute({ type: "objectClass", values: ["top", "person", "organizationalPerson", "user"] }),
        new Attribute({ type: "sAMAccountName", values: [cn] }),
        new Attribute({ type: "userPrincipalName", values: [`${cn}@${forest.domain}`] }),
        new Attribute({ type: "unicodePwd", values: [password] }),
        new Attribute({ type: "userAccountControl", values: [String(uac)] }),
    ]));
    return dn;
}

async function addMember(c: Client, groupDn: string, memberDn: string): Promise<void> {
    await ignoreExisting(() => c.modify(groupDn, new Change({ operation: "add", modification: new Attribute({ type: "member", values: [memberDn] }) })));
}

async function sidOf(c: Client, dn: string): Promise<string> {
    const { searchEntries: [e] } = await c.search(dn, { scope: "base", attributes: ["objectSid"], explicitBufferAttributes: ["objectSid"] });
    if (!e?.objectSid) throw new Error(`${dn} has no objectSid`);
    return sidToString(e.objectSid as Buffer);
}

async function groupDnByName(c: Client, forest: LabForest, cn: string): Promise<string> {
    const { searchEntries: [e] } = await c.search(forest.baseDn, { scope: "sub", filter: new EqualityFilter({ attribute: "sAMAccountName", value: cn }), attributes: ["cn"] });
    if (!e) throw new Error(`group ${cn} not found in ${forest.domain}`);
    return e.dn;
}

/** The AD side in corp: the users, their groups; returns each user's objectSid. */
async function seedCorp(lab: LabInfo, forest: LabForest): Promise<Record<Exclude<ReadinessRole, "cloudOnly">, string>> {
    const c = labLdapClient(forest, fs.readFileSync(lab.caCertPath, "utf8"));
    try {
        await c.bind(forest.adminUpn, lab.secrets[forest.adminPasswordEnv]);
        const u = READINESS_USERS;
        const dns = {
            ready: await addUser(c, forest, u.ready.cn, UAC_NORMAL),
            tier0: await addUser(c, forest, u.tier0.cn, UAC_NORMAL),
            protected: await addUser(c, forest, u.protected.cn, UAC_NORMAL),
            disabled: await addUser(c, forest, u.disabled.cn, UAC_DISABLED),
        };
        const tier0Group = `CN=${TIER0_GROUP_CN},CN=Users,${forest.baseDn}`;
        await ignoreExisting(() => c.add(tier0Group, { objectClass: ["top", "group"], sAMAccountName: TIER0_GROUP_CN }));
        await addMember(c, tier0Group, dns.tier0);
        await addMember(c, await groupDnByName(c, forest, "Domain Admins"), tier0Group);
        await addMember(c, await groupDnByName(c, forest, "Protected Users"), dns.protected);
        return {
            ready: await sidOf(c, dns.ready), tier0: await sidOf(c, dns.tier0),
            protected: await sidOf(c, dns.protected), disabled: await sidOf(c, dns.disabled),
        };
    } finally {
        await c.unbind().catch(() => undefined);
    }
}

function graphUser(role: ReadinessRole, sid: string | undefined, enabled = true): any {
    const { cn, id } = READINESS_USERS[role];
    return {
        ...userEntity({ id, displayName: cn, userPrincipalName: readinessUpn(role) }),
        accountEnabled: enabled, onPremisesSecurityIdentifier: sid ?? null, onPremisesSyncEnabled: sid ? true : null,
    };
}

/** Seeds the readiness users; `withFailures` adds the four that must each produce a finding. */
export async function seedReadinessLab(lab: LabInfo, opts: { withFailures: boolean }): Promise<void> {
    const corp = lab.forests.find((f) => f.name === "corp");
    if (!corp) throw new Error("the lab has no corp forest");
    const sids = await seedCorp(lab, corp);
    const users = [
        graphUser("ready", sids.ready), graphUser("tier0", sids.tier0), graphUser("protected", sids.protected),
        graphUser("disabled", sids.disabled, false), graphUser("cloudOnly", undefined),
    ];
    const u = READINESS_USERS;
    const pilotMembers = opts.withFailures ? [u.ready.id, READINESS_WAVE_GROUP_ID, u.disabled.id, u.cloudOnly.id] : [u.ready.id];
    await emulatorAdmin(lab, "POST", "/_emulator/seed", {
        users,
        groups: [groupEntity({ id: READINESS_WAVE_GROUP_ID, displayName: "RD Pilot Wave 1" })],
        groupMembers: [
            { id: READINESS_PILOT_GROUP_ID, members: pilotMembers },
            { id: READINESS_WAVE_GROUP_ID, members: [u.tier0.id, u.protected.id] },
        ],
    });
}

/** The pilot group back to no members (the AD users stay; nothing reads them without the group). */
export async function clearReadinessSeed(lab: LabInfo): Promise<void> {
    await emulatorAdmin(lab, "POST", "/_emulator/seed", { groupMembers: [{ id: READINESS_PILOT_GROUP_ID, members: [] }] });
}
