// ConditionalAccessExclusion through Pulumi's real dynamic-provider host over gRPC, with the
// __provider text serialized in plain node exactly as pulumi.dynamic.Resource does, against an
// in-process Graph emulator: Configure (the client secret as a { config } SecretRef), Check,
// Create, Read (drift comes back as pruned inputs), Diff (lookups fail the preview), Update,
// Delete, a deleted policy, and no secret on the wire.
import * as path from "node:path";
import { SEED } from "../../lab/emulator";
import { LAB_APP_CLIENT_ID } from "../../lab/emulator";
import { DynamicProviderHost, DiffChanges, GRPC_STATUS } from "../support/dynamic-host";
import { serializeProviderInNode } from "../support/serialize";
import { startGraphLab, type GraphLab } from "../integration/support/graph-lab";

const REPO = path.resolve(__dirname, "../..");
const URN = "urn:pulumi:contract::entra-kerberos::pulumi-nodejs:dynamic/entra-kerberos:ConditionalAccessExclusion::storage";
const CONFIG_KEY = "contract:graphClientSecret";

jest.setTimeout(120_000);

describe("ConditionalAccessExclusion through the real dynamic-provider host", () => {
    const provider = serializeProviderInNode("bin/provider/resources/conditional-access-exclusion.js", "conditionalAccessExclusionProvider");
    let lab: GraphLab;
    let host: DynamicProviderHost;
    let policyId: string;
    let news: Record<string, any>;
    let created: { id: string; properties: Record<string, any> };
    const policyName = `contract-ca-${process.pid}`;
    const groups = () => lab.emu.state.get("policies", policyId).conditions.users.excludeGroups;
    const apps = () => lab.emu.state.get("policies", policyId).conditions.applications.excludeApplications;

    beforeAll(async () => {
        lab = await startGraphLab({ throttleCa: false });
        policyId = lab.emu.state.addConditionalAccessPolicy({
            templateId: null, displayName: policyName, state: "enabled", sessionControls: null,
            conditions: {
                clientAppTypes: ["all"],
                applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [] },
                users: { includeUsers: ["All"], excludeUsers: [], includeGroups: [], excludeGroups: [SEED.groups.breakGlassAdmins], includeRoles: [], excludeRoles: [] },
            },
            grantControls: { operator: "OR", builtInControls: ["mfa"] },
        }).id;
        news = {
            __provider: provider.text,
            graph: lab.conn({ type: "clientSecret", clientId: LAB_APP_CLIENT_ID, clientSecret: { config: CONFIG_KEY } }),
            policy: policyName,
            excludeApplications: ["[Storage Account] labstorage.file.core.windows.net"],
            excludeGroups: ["Storage Users"],
        };
        // the secret reaches the host only through Configure (stack config), not its environment
        host = await DynamicProviderHost.start({ cwd: REPO, env: { TEST_GRAPH_CLIENT_SECRET: "" } });
        await host.configure({ [CONFIG_KEY]: lab.secret });
    }, 60_000);

    afterAll(async () => {
        await host?.stop();
        await lab?.close();
    });

    test("the serialized provider is small, captures no secret and names the compiled implementation", () => {
        expect(provider.containsSecrets).toBe(false);
        expect(provider.text).toContain("pulumi-entra-kerberos/bin/provider/resources/conditional-access-exclusion-impl");
        expect(provider.text).not.toMatch(/graphRequest|undici|planMerge/);
        expect(Buffer.byteLength(provider.text)).toBeLessThan(4_000);
    });

    test("check: bad inputs come back as CheckFailures naming the input, without any request", async () => {
        const mark = lab.emu.requestLog.length;
        const r = await host.check(URN, {}, {
            ...news, graph: { ...news.graph, credential: { ...news.graph.credential, clientSecret: "a-plain-secret" } },
            excludeGroups: ["Storage Users", "storage users"], excludeUsers: ["All"],
        });
        expect(r.failures.map((f) => f.property).sort()).toEqual(["excludeGroups[1]", "excludeUsers[0]", "graph.credential.clientSecret"]);
        expect(JSON.stringify(r.failures)).not.toContain("a-plain-secret");
        expect(lab.emu.requestLog.length).toBe(mark);
    });

    test("create: resolves names, adds only its entries, records what it owns", async () => {
        created = await host.create(URN, (await host.check(URN, {}, news)).inputs);
        expect(created.id).toMatch(new RegExp(`^${policyId}/[0-9a-f]{8}$`));
        expect(created.properties).toMatchObject({
            policyId, policyDisplayName: policyName,
            applicationIds: [SEED.storageAppId], groupIds: [SEED.groups.storageUsers],
            ownedApplicationIds: [SEED.storageAppId], ownedGroupIds: [SEED.groups.storageUsers], ownedUserIds: [],
            __provider: provider.text,
        });
        expect(groups()).toEqual([SEED.groups.breakGlassAdmins, SEED.groups.storageUsers]);
        expect(JSON.stringify(created.properties)).not.toContain(lab.secret);
    });

    test("read: nothing drifted, nothing changes; an owned group removed by hand comes back as a pruned input", async () => {
        const same = await host.read(created.id, URN, created.properties);
        expect(same.properties).toEqual(created.properties);
        expect((await host.diff(created.id, URN, same.properties!, news)).changes).toBe(DiffChanges.DIFF_NONE);

        lab.emu.state.get("policies", policyId).conditions.users.excludeGroups = [SEED.groups.breakGlassAdmins];
        const drifted = await host.read(created.id, URN, created.properties);
        expect(drifted.inputs).toMatchObject({ excludeGroups: [] });
        expect(drifted.properties).toMatchObject({ excludeGroups: [], groupIds: [], ownedGroupIds: [] });
        expect((await host.diff(created.id, URN, drifted.properties!, news)).changes).toBe(DiffChanges.DIFF_SOME);
        const up = await host.update(created.id, URN, drifted.properties!, news);
        expect(groups()).toEqual([SEED.groups.breakGlassAdmins, SEED.groups.storageUsers]);
        created = { id: created.id, properties: up.properties };
    });

    test("diff: an unknown group name fails with a message naming it, and nothing is written", async () => {
        const mark = lab.emu.requestLog.length;
        const bad = { ...news, excludeGroups: ["Storage Users", "No Such Group"] };
        await expect(host.diff(created.id, URN, created.properties, bad)).rejects.toMatchObject({
            code: GRPC_STATUS.UNKNOWN, details: expect.stringContaining('excludeGroups[1] "No Such Group": no group is named "No Such Group"'),
        });
        expect(lab.emu.requestLog.slice(mark).filter((r) => r.method === "PATCH")).toEqual([]);
    });

    test("diff: another policy is a replacement; the same policy by id is not", async () => {
        expect((await host.diff(created.id, URN, created.properties, { ...news, policy: policyId })).replaces).toEqual([]);
        expect((await host.diff(created.id, URN, created.properties, { ...news, policy: SEED.policies.blockLegacy })).replaces).toEqual(["policy"]);
    });

    test("delete removes exactly what it added", async () => {
        lab.emu.state.get("policies", policyId).conditions.users.excludeGroups.push(SEED.groups.helpdeskA); // by hand
        await host.delete(created.id, URN, created.properties);
        expect(groups()).toEqual([SEED.groups.breakGlassAdmins, SEED.groups.helpdeskA]);
        expect(apps()).toEqual([]);
    });

    test("read of a deleted policy is an error that names it", async () => {
        lab.emu.state.remove("policies", policyId);
        await expect(host.read(created.id, URN, created.properties)).rejects.toMatchObject({
            code: GRPC_STATUS.UNKNOWN, details: expect.stringContaining(`"${policyName}" (${policyId}) no longer exists`),
        });
        expect(host.stderr.join("")).not.toContain(lab.secret);
    });
});
