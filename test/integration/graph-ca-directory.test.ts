// Conditional Access (PATCH whole-array semantics, the 1 rps throttle without Retry-After),
// directory lookups and the audit log, through the provider's Graph client.
import { ClientSecretCredential } from "@azure/identity";
import { Agent } from "undici";
import { kerberosDomainAudit, LAB_APP_CLIENT_ID, SEED } from "../../lab/emulator";
import { graphListAll, graphRequest, graphRequestRaw, type GraphClient } from "../../provider/graph";
import { isProviderError, ProviderError } from "../../provider/core/errors";
import { READER_APP_ID, READER_SECRET_ENV, startGraphLab, type GraphLab } from "./support/graph-lab";

let lab: GraphLab;
let gc: GraphClient;
beforeAll(async () => {
    lab = await startGraphLab({ throttleCa: false });
    gc = lab.client();
});
afterAll(async () => { await lab?.close(); });

async function failure(p: Promise<unknown>): Promise<ProviderError> {
    try { await p; } catch (e) { if (isProviderError(e)) return e; throw e; }
    throw new Error("expected the call to fail");
}

const policyPath = (id: string) => `/identity/conditionalAccess/policies/${id}`;
const getPolicy = (id: string) => graphRequest(gc, { method: "GET", version: "v1.0", path: policyPath(id) });
const patch = (id: string, body: unknown) => graphRequestRaw(gc, { method: "PATCH", version: "v1.0", path: policyPath(id), body });

describe("conditional access", () => {
    test("PATCH merges objects but replaces each array it carries as a whole", async () => {
        const id = SEED.policies.requireMfa;
        const before = await getPolicy(id);
        expect(before.conditions.users.excludeGroups).toEqual([SEED.groups.breakGlassAdmins]);

        const r = await patch(id, { conditions: { users: { excludeGroups: [SEED.groups.storageUsers] } } });
        expect(r.status).toBe(204);
        const after = await getPolicy(id);
        // the array sent replaced the stored one: Break Glass Admins is gone
        expect(after.conditions.users.excludeGroups).toEqual([SEED.groups.storageUsers]);
        // everything not sent kept its value
        expect(after.conditions.users.excludeUsers).toEqual(before.conditions.users.excludeUsers);
        expect(after.conditions.users.includeUsers).toEqual(["All"]);
        expect(after.conditions.applications).toEqual(before.conditions.applications);
        expect(after.grantControls).toEqual(before.grantControls);
        expect(after.displayName).toBe(before.displayName);
        expect(after.modifiedDateTime).not.toBeNull();

        // the read-modify-write the product does: full sub-object with the union
        const apps = { ...after.conditions.applications, excludeApplications: [...after.conditions.applications.excludeApplications, SEED.storageAppId] };
        await patch(id, { conditions: { applications: apps } });
        expect((await getPolicy(id)).conditions.applications.excludeApplications).toEqual([SEED.storageAppId]);
        await patch(id, { conditions: { applications: { excludeApplications: [] } } }); // [] clears
        const cleared = await getPolicy(id);
        expect(cleared.conditions.applications.excludeApplications).toEqual([]);
        expect(cleared.conditions.applications.includeApplications).toEqual(["All"]);

        const audits = lab.emu.state.directoryAudits.filter((a) => a.activityDisplayName === "Update conditional access policy");
        expect(audits.length).toBe(3);
        expect(audits[0].initiatedBy.app.appId).toBe(LAB_APP_CLIENT_ID);
    });

    test.each([
        ["excluding 'All'", { conditions: { applications: { excludeApplications: ["All"] } } }, /'All' cannot be excluded/],
        ["a read-only property", { id: SEED.policies.blockLegacy, displayName: "x" }, /read-only/],
        ["an unknown property", { conditions: { users: { excludeEveryone: [] } } }, /1007: .*Unknown property 'policy.conditions.users.excludeEveryone'/],
        ["null for an array", { conditions: { users: { excludeGroups: null } } }, /send \[\] to clear it/],
        ["a non-GUID group", { conditions: { users: { excludeGroups: ["Storage Users"] } } }, /Invalid value 'Storage Users'/],
    ])("PATCH with %s is refused with 400", async (_n, body, msg) => {
        const e = await failure(patch(SEED.policies.blockLegacy, body));
        expect([e.code, e.httpStatus]).toEqual(["GRAPH_BAD_REQUEST", 400]);
        expect(e.message).toMatch(msg);
    });

    test("create, list with paging, delete", async () => {
        const created = await graphRequest(gc, { method: "POST", version: "v1.0", path: "/identity/conditionalAccess/policies", body: {
            displayName: "Lab: require compliant device", state: "enabledForReportingButNotEnforced",
            conditions: { users: { includeGroups: [SEED.groups.whfbPilotUsers] }, applications: { includeApplications: ["All"] }, clientAppTypes: ["all"] },
            grantControls: { operator: "OR", builtInControls: ["compliantDevice"] },
        } });
        expect(created.conditions.users.excludeUsers).toEqual([]); // arrays the caller left out come back empty
        const all = await graphListAll(gc, { version: "v1.0", path: "/identity/conditionalAccess/policies", query: { $top: 1 } });
        expect(all.map((p) => p.displayName)).toContain("Lab: require compliant device");
        expect(all).toHaveLength(3);
        expect((await graphRequestRaw(gc, { method: "DELETE", version: "v1.0", path: policyPath(created.id) })).status).toBe(204);
        const nf = await failure(getPolicy(created.id));
        expect([nf.httpStatus, nf.serviceCode]).toEqual([404, "Request_ResourceNotFound"]);
    });

    test("throttling: past 1 request per second the tenant gets 429 WITHOUT Retry-After; backoff gets through", async () => {
        lab.emu.setThrottling({ conditionalAccess: { enabled: true } });
        try {
            // the raw wire: no Retry-After header on the 429
            const cred = new ClientSecretCredential(lab.emu.tenantId, LAB_APP_CLIENT_ID, lab.secret, { authorityHost: lab.url, disableInstanceDiscovery: true, tlsOptions: { ca: [lab.caPem] } });
            const token = (await cred.getToken("https://graph.microsoft.com/.default")).token;
            const dispatcher = new Agent({ connect: { ca: [lab.caPem] } });
            try {
                const get = () => fetch(`${lab.url}/v1.0/identity/conditionalAccess/policies`, { dispatcher, headers: { authorization: `Bearer ${token}` } } as RequestInit);
                expect((await get()).status).toBe(200);
                const throttled = await get();
                expect(throttled.status).toBe(429);
                expect(throttled.headers.get("retry-after")).toBeNull();
                expect((await throttled.json()).error.code).toBe("TooManyRequests");
            } finally {
                await dispatcher.close();
            }
            // no retries: the provider reports it
            const once = lab.client(undefined, { retry: { maxAttempts: 1 } });
            const e = await failure(graphRequest(once, { method: "GET", version: "v1.0", path: "/identity/conditionalAccess/policies" }));
            expect([e.code, e.retryable]).toEqual(["GRAPH_THROTTLED", true]);
            // with the exponential backoff of the real policy (scaled down) the calls get through
            const patient = lab.client(undefined, { retry: { baseDelayMs: 400, maxDelayMs: 1600, maxAttempts: 6 } });
            const mark = lab.emu.requestLog.length;
            await graphRequest(patient, { method: "GET", version: "v1.0", path: policyPath(SEED.policies.requireMfa) });
            await graphRequest(patient, { method: "GET", version: "v1.0", path: policyPath(SEED.policies.blockLegacy) });
            const statuses = lab.emu.requestLog.slice(mark).filter((r) => r.path.includes("conditionalAccess")).map((r) => r.status);
            expect(statuses.filter((s) => s === 200)).toHaveLength(2);
            expect(statuses).toContain(429);
        } finally {
            lab.emu.setThrottling({ conditionalAccess: { enabled: false } });
        }
    });
});

describe("directory", () => {
    test("groups by name: an ambiguous name returns both, startswith, id in (...)", async () => {
        const dup = await graphListAll(gc, { version: "v1.0", path: "/groups", query: { $filter: "displayName eq 'Helpdesk Operators'" } });
        expect(dup.map((g) => g.id).sort()).toEqual([SEED.groups.helpdeskA, SEED.groups.helpdeskB]);
        const whfb = await graphListAll(gc, { version: "v1.0", path: "/groups", query: { $filter: "startswith(displayName,'whfb')", $select: "id,displayName" } });
        expect(whfb).toEqual([{ id: SEED.groups.whfbPilot, displayName: "WHfB Pilot" }, { id: SEED.groups.whfbPilotUsers, displayName: "WHfB Pilot Users" }]);
        const byIds = await graphListAll(gc, { version: "v1.0", path: "/groups", query: { $filter: `id in ('${SEED.groups.storageUsers}','${SEED.groups.breakGlassAdmins}')` } });
        expect(byIds.map((g) => g.displayName).sort()).toEqual(["Break Glass Admins", "Storage Users"]);
        const one = await graphRequest(gc, { method: "GET", version: "v1.0", path: `/groups/${SEED.groups.storageUsers}` });
        expect(one["@odata.context"]).toBe(`${lab.url}/v1.0/$metadata#groups/$entity`);
    });

    test("the storage account app by display name (appId for excludeApplications)", async () => {
        const sps = await graphListAll(gc, { version: "v1.0", path: "/servicePrincipals", query: { $filter: "displayName eq '[Storage Account] labstorage.file.core.windows.net'", $select: "id,appId,displayName" } });
        expect(sps).toEqual([{ id: SEED.servicePrincipals.storage, appId: SEED.storageAppId, displayName: "[Storage Account] labstorage.file.core.windows.net" }]);
        const byApp = await graphListAll(gc, { version: "v1.0", path: "/servicePrincipals", query: { $filter: `appId eq '${SEED.storageAppId}'` } });
        expect(byApp[0].servicePrincipalNames).toContain("CIFS/labstorage.file.core.windows.net");
    });

    test("users by UPN and paging; organization", async () => {
        const alice = await graphRequest(gc, { method: "GET", version: "v1.0", path: "/users/alice@entrakerberoslab.onmicrosoft.com" });
        expect(alice.id).toBe(SEED.users.alice);
        const mark = lab.emu.requestLog.length;
        const users = await graphListAll(gc, { version: "v1.0", path: "/users", query: { $top: 1 } });
        expect(users).toHaveLength(4);
        expect(lab.emu.requestLog.slice(mark).filter((r) => r.path === "/v1.0/users")).toHaveLength(4);
        const org = await graphListAll(gc, { version: "v1.0", path: "/organization" });
        expect(org[0]).toMatchObject({ id: lab.emu.tenantId, verifiedDomains: [expect.objectContaining({ name: "entrakerberoslab.onmicrosoft.com", isInitial: true })] });
    });

    test("bad ids, unknown ids and unsupported filters are refused like Graph", async () => {
        const bad = await failure(graphRequest(gc, { method: "GET", version: "v1.0", path: "/groups/Storage%20Users" }));
        expect([bad.httpStatus, bad.serviceCode]).toEqual([400, "Request_BadRequest"]);
        expect(bad.message).toContain("Invalid object identifier");
        const nf = await failure(graphRequest(gc, { method: "GET", version: "v1.0", path: "/groups/00000000-0000-4000-8000-00000000dead" }));
        expect([nf.code, nf.serviceCode]).toEqual(["GRAPH_NOT_FOUND", "Request_ResourceNotFound"]);
        const unsup = await failure(graphRequest(gc, { method: "GET", version: "v1.0", path: "/groups", query: { $filter: "description eq 'EMEA'" } }));
        expect([unsup.httpStatus, unsup.serviceCode]).toEqual([400, "Request_UnsupportedQuery"]);
        const syntax = await failure(graphRequest(gc, { method: "GET", version: "v1.0", path: "/groups", query: { $filter: "displayName eq" } }));
        expect([syntax.httpStatus, syntax.serviceCode]).toEqual([400, "Request_BadRequest"]);
        const count = await failure(graphRequest(gc, { method: "GET", version: "v1.0", path: "/groups", query: { $count: true, $filter: "startswith(displayName,'W')" } }));
        expect(count.message).toContain("ConsistencyLevel: eventual");
        const counted = await graphRequest(gc, { method: "GET", version: "v1.0", path: "/groups", query: { $count: true, $filter: "startswith(displayName,'W')" }, headers: { ConsistencyLevel: "eventual" } });
        expect(counted["@odata.count"]).toBe(2);
        const seg = await failure(graphRequest(gc, { method: "GET", version: "v1.0", path: "/nope" }));
        expect(seg.message).toContain("Resource not found for the segment 'nope'");
    });
});

describe("audit log", () => {
    test("KerberosDomain events, filtered by category and date, newest first, paged", async () => {
        const admin = { userPrincipalName: "admin@entrakerberoslab.onmicrosoft.com", id: SEED.users.admin };
        lab.emu.recordDirectoryAudit(kerberosDomainAudit({ activity: "Add", branchId: 30775, domainDnsName: "corp.lab.test", keyVersion: 1585708, keyUpdatedOn: "2024-04-01T10:00:00Z", initiatedBy: admin, activityDateTime: "2024-04-01T10:00:05Z" }));
        lab.emu.recordDirectoryAudit(kerberosDomainAudit({ activity: "Update", branchId: 30775, domainDnsName: "corp.lab.test", keyVersion: 1586495, keyUpdatedOn: "2024-05-01T10:00:00Z", previous: { keyVersion: 1585708, keyUpdatedOn: "2024-04-01T10:00:00Z" }, initiatedBy: admin, activityDateTime: "2024-05-01T10:00:05Z" }));
        lab.emu.recordDirectoryAudit(kerberosDomainAudit({ activity: "Add", branchId: 4242, domainDnsName: "fabrikam.lab.test", keyVersion: 7000, keyUpdatedOn: "2024-06-01T10:00:00Z", initiatedBy: admin, activityDateTime: "2024-06-01T10:00:05Z" }));
        lab.emu.recordDirectoryAudit({ activityDisplayName: "Add member to group", category: "GroupManagement", targetResources: [{ displayName: "Storage Users", type: "Group" }], activityDateTime: "2024-05-15T00:00:00Z" });

        const kd = await graphListAll(gc, { version: "v1.0", path: "/auditLogs/directoryAudits", query: { $filter: "category eq 'KerberosDomain'" } });
        expect(kd.map((a) => a.activityDateTime)).toEqual(["2024-06-01T10:00:05Z", "2024-05-01T10:00:05Z", "2024-04-01T10:00:05Z"]);
        const update = kd[1];
        expect(update).toMatchObject({ activityDisplayName: "Update kerberos domain", category: "KerberosDomain", loggedByService: "Core Directory", result: "success", operationType: "Update" });
        expect(update.targetResources[0].displayName).toBe("krbtgt_30775");
        const desc = update.targetResources[0].modifiedProperties.find((m: any) => m.displayName === "KerberosDomainDescription");
        expect(JSON.parse(desc.newValue)).toEqual([{ Version: 0, BranchId: 30775, OriginatingUsn: 1586495, OriginatingTime: "2024-05-01T10:00:00Z" }]);
        expect(JSON.parse(desc.oldValue)[0].OriginatingUsn).toBe(1585708);
        expect(update.targetResources[0].modifiedProperties.find((m: any) => m.displayName === "KerberosDomainDnsName").newValue).toBe('["corp.lab.test"]');
        expect(update.initiatedBy.user.userPrincipalName).toBe("admin@entrakerberoslab.onmicrosoft.com");
        expect(update.additionalDetails).toContainEqual({ key: "Action Client Name", value: "DirectorySync" });

        const window = await graphListAll(gc, { version: "v1.0", path: "/auditLogs/directoryAudits", query: {
            $filter: "category eq 'KerberosDomain' and activityDateTime ge 2024-04-15T00:00:00Z and activityDateTime le 2024-05-31T00:00:00Z" } });
        expect(window.map((a) => a.activityDisplayName)).toEqual(["Update kerberos domain"]);
        const asc = await graphListAll(gc, { version: "v1.0", path: "/auditLogs/directoryAudits", query: { $filter: "category eq 'KerberosDomain'", $orderby: "activityDateTime asc", $top: 1 } });
        expect(asc.map((a) => a.targetResources[0].displayName)).toEqual(["krbtgt_30775", "krbtgt_30775", "krbtgt_4242"]);
        const latest = await graphRequest(gc, { method: "GET", version: "v1.0", path: "/auditLogs/directoryAudits", query: { $filter: "category eq 'KerberosDomain'", $top: 1 } });
        expect(latest.value[0].targetResources[0].displayName).toBe("krbtgt_4242");
        expect(latest["@odata.nextLink"]).toBeDefined();
        const badOrder = await failure(graphRequest(gc, { method: "GET", version: "v1.0", path: "/auditLogs/directoryAudits", query: { $orderby: "category" } }));
        expect(badOrder.httpStatus).toBe(400);
    });

    test("reading the audit log needs AuditLog.Read.All", async () => {
        const reader = lab.client({ type: "clientSecret", clientId: READER_APP_ID, clientSecret: { env: READER_SECRET_ENV } });
        const e = await failure(graphRequest(reader, { method: "GET", version: "v1.0", path: "/auditLogs/directoryAudits" }));
        expect([e.httpStatus, e.serviceCode]).toEqual([403, "Authorization_RequestDenied"]);
    });
});
