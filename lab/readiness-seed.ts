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
// in Graph too. The tenant side: `clean` sets the tenant as the stack's tenant resources leave it
// (the FIDO2 method also targets the pilot group, "Require MFA for all users" excludes the storage
// app); `withFailures` leaves both out and adds
//   - "RD WHfB User Override": a custom OMA-URI profile setting UsePassportForWork in user scope
//   - "RD Require MFA for Files": an enabled MFA policy naming the storage app, without excluding it
//   - an AzureADKerberos SCP in corp whose keywords carry another tenant's id (RD_OTHER_TENANT_ID)
// AD writes use a plain admin LDAP client (lab tooling, not the product's code); the tenant changes
// go through the emulator's admin seed API. `clearReadinessSeed` empties the pilot group, puts the
// FIDO2 method and the MFA policy back as the lab seeds them, turns the added policy off and the
// added profile empty (the seed API replaces, it does not delete) and deletes the SCP.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { Attribute, Change, Client, EqualityFilter } from "ldapts";
import { sidToString } from "../provider/ad/sid";
import { domainDnOf, kerberosServerDns, scpKeywordsJson } from "../provider/ad/kerberos-objects";
import { fido2Configuration } from "./emulator/routes/authentication-methods";
import { groupEntity, userEntity } from "./emulator/state";
import { LAB_TENANT_DOMAIN, SEED, seedTenant } from "./emulator/seed";
import { emulatorAdmin } from "./emulator-admin";
import type { LabForest, LabInfo } from "./layout";
import { labLdapClient } from "./samba/probe";

export const READINESS_PILOT_GROUP_ID = SEED.groups.whfbPilotUsers;
export const READINESS_WAVE_GROUP_ID = "0a1b2c3d-0001-4000-8000-0000000000a1";
/** the tenant whose Kerberos server objects corp still holds in the failure seed */
export const RD_OTHER_TENANT_ID = "0a1b2c3d-0009-4000-8000-0000000000a1";
export const RD_PROFILE = { id: "0a1b2c3d-0005-4000-8000-0000000000a1", name: "RD WHfB User Override" };
export const RD_CA_POLICY = { id: "0a1b2c3d-0006-4000-8000-0000000000a1", name: "RD Require MFA for Files" };

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

/** The OMA-URI profile of the failure seed, in the shape the emulator stores (the real export oib-custom-omauri-whfb-hybrid-cloud-trust-2022.json). */
function userScopeProfile(tenantId: string, withSetting: boolean): any {
    return {
        "@odata.type": "#microsoft.graph.windows10CustomConfiguration", id: RD_PROFILE.id, displayName: RD_PROFILE.name, description: null,
        createdDateTime: "2024-01-15T09:00:00Z", lastModifiedDateTime: "2024-01-15T09:00:00Z", roleScopeTagIds: ["0"], supportsScopeTags: true,
        deviceManagementApplicabilityRuleOsEdition: null, deviceManagementApplicabilityRuleOsVersion: null, deviceManagementApplicabilityRuleDeviceMode: null, version: 1,
        omaSettings: withSetting ? [{
            "@odata.type": "#microsoft.graph.omaSettingBoolean", displayName: "Use Windows Hello for Business (User)", description: null,
            omaUri: `./User/Vendor/MSFT/PassportForWork/${tenantId}/Policies/UsePassportForWork`, value: false, isEncrypted: false, secretReferenceValueId: null,
        }] : [],
        assignments: [],
    };
}

/**
 * The tenant side from the lab's own seed entities: `cleared` as the lab seeds it, `clean` as the
 * stack's tenant resources leave it, `failures` with the added policy and profile. The added two are
 * in every mode (the seed API replaces, never deletes): off and empty unless `failures`.
 */
function tenantSide(lab: LabInfo, mode: "clean" | "failures" | "cleared"): Record<string, unknown[]> {
    const base = seedTenant(lab.emulator.tenantId);
    const requireMfa = structuredClone(base.policies.find((p: any) => p.id === SEED.policies.requireMfa));
    const fido2 = structuredClone(base.authenticationMethodConfigurations[0]);
    const files = structuredClone(requireMfa);
    Object.assign(files, { id: RD_CA_POLICY.id, displayName: RD_CA_POLICY.name, state: mode === "failures" ? "enabled" : "disabled" });
    files.conditions.applications.includeApplications = [SEED.storageAppId];
    files.conditions.users = { ...files.conditions.users, includeUsers: [], includeGroups: [READINESS_PILOT_GROUP_ID] };
    if (mode === "clean") {
        // as after the stack's ConditionalAccessExclusion and Fido2SecurityKeyMethod
        requireMfa.conditions.applications.excludeApplications = [SEED.storageAppId];
        fido2.includeTargets = fido2Configuration([...fido2.includeTargets, { id: READINESS_PILOT_GROUP_ID, targetType: "group" }]).includeTargets;
    }
    return { policies: [requireMfa, files], deviceConfigurations: [userScopeProfile(lab.emulator.tenantId, mode === "failures")], authenticationMethodConfigurations: [fido2] };
}

/** corp's AzureADKerberos SCP as another tenant left it (the module's SCP: keywords JSON with Id, UserAccountSid, ComputerAccountSid). */
async function otherTenantScp(lab: LabInfo, forest: LabForest, present: boolean): Promise<void> {
    const dns = kerberosServerDns(domainDnOf(forest.domain));
    const c = labLdapClient(forest, fs.readFileSync(lab.caCertPath, "utf8"));
    try {
        await c.bind(forest.adminUpn, lab.secrets[forest.adminPasswordEnv]);
        if (present) {
            await ignoreExisting(() => c.add(dns.container, { objectClass: "container", showInAdvancedViewOnly: "TRUE" }));
            await ignoreExisting(() => c.add(dns.scp, {
                objectClass: "serviceConnectionPoint", showInAdvancedViewOnly: "TRUE",
                keywords: scpKeywordsJson({ Id: RD_OTHER_TENANT_ID, UserAccountSid: "S-1-5-21-900-900-900-1601", ComputerAccountSid: "S-1-5-21-900-900-900-1602" }),
            }));
        } else {
            for (const dn of [dns.scp, dns.container]) {
                // 32 noSuchObject: not seeded
                await c.del(dn).catch((e) => { if ((e as { code?: number }).code !== 32) throw e; });
            }
        }
    } finally {
        await c.unbind().catch(() => undefined);
    }
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
    await otherTenantScp(lab, corp, opts.withFailures);
    await emulatorAdmin(lab, "POST", "/_emulator/seed", {
        ...tenantSide(lab, opts.withFailures ? "failures" : "clean"),
        users,
        groups: [groupEntity({ id: READINESS_WAVE_GROUP_ID, displayName: "RD Pilot Wave 1" })],
        groupMembers: [
            { id: READINESS_PILOT_GROUP_ID, members: pilotMembers },
            { id: READINESS_WAVE_GROUP_ID, members: [u.tier0.id, u.protected.id] },
        ],
    });
}

/** The pilot group back to no members (the AD users stay; nothing reads them without the group), the tenant side as the lab seeds it. */
export async function clearReadinessSeed(lab: LabInfo): Promise<void> {
    const corp = lab.forests.find((f) => f.name === "corp");
    if (corp) await otherTenantScp(lab, corp, false);
    await emulatorAdmin(lab, "POST", "/_emulator/seed", {
        ...tenantSide(lab, "cleared"),
        groupMembers: [{ id: READINESS_PILOT_GROUP_ID, members: [] }],
    });
}
