// The engine <-> provider wire contract, through Pulumi's real dynamic-provider host over gRPC,
// with the `__provider` text serialized in plain node exactly as pulumi.dynamic.Resource does.
// The resource is the LabGroup fixture writing to the lab's corp DC.
import * as path from "node:path";
import { DynamicProviderHost, DiffChanges, GRPC_STATUS } from "../support/dynamic-host";
import { serializeProviderInNode } from "../support/serialize";
import { requireLab, labCa, labSecretEnv, labSecretValues, withAdminLdap } from "../support/lab";

const REPO = path.resolve(__dirname, "../..");
const URN = "urn:pulumi:contract::entra-kerberos::pulumi-nodejs:dynamic/entra-kerberos:LabGroup::g";

describe("LabGroup through the real dynamic-provider host", () => {
    const lab = requireLab();
    const corp = lab.forests[0];
    const groupName = `contract-${process.pid}`;
    let host: DynamicProviderHost;
    let news: Record<string, any>;

    beforeAll(async () => {
        const provider = serializeProviderInNode("bin/test/fixtures/lab-group.js", "labGroupProvider").text;
        news = {
            __provider: provider,
            domain: corp.domain,
            name: groupName,
            description: "first",
            directory: { urls: [corp.ldapsUrl], username: corp.adminUpn, password: { env: corp.adminPasswordEnv }, caCertificate: labCa(lab) },
        };
        host = await DynamicProviderHost.start({ cwd: REPO, env: labSecretEnv(lab) });
        await host.configure({});
    }, 60_000);
    afterAll(async () => { await host?.stop(); });

    test("check refuses a password given as a value and plain LDAP, before any I/O", async () => {
        const bad = { ...news, directory: { ...news.directory, urls: ["ldap://127.0.0.2:389"], password: "hunter2-plain" } };
        const r = await host.check(URN, {}, bad);
        expect(r.failures.map((f) => f.property).sort()).toEqual(["directory.password", "directory.urls[0]"]);
        expect(JSON.stringify(r.failures)).not.toContain("hunter2-plain");
    });

    test("create, read, diff, update, drift and delete reach the DC", async () => {
        const checked = await host.check(URN, {}, news);
        expect(checked.failures).toEqual([]);

        const created = await host.create(URN, checked.inputs);
        expect(created.id).toBe(`CN=${groupName},CN=Users,${corp.baseDn}`);
        expect(created.properties.__provider).toBe(news.__provider);
        const onDc = await withAdminLdap(lab, corp, (c) => c.search(created.id, { scope: "base", attributes: ["description"] }));
        expect(onDc.searchEntries[0].description).toBe("first");

        expect((await host.diff(created.id, URN, created.properties, checked.inputs)).changes).toBe(DiffChanges.DIFF_NONE);
        const renamed = await host.diff(created.id, URN, created.properties, { ...checked.inputs, name: `${groupName}-x` });
        expect(renamed).toMatchObject({ changes: DiffChanges.DIFF_SOME, replaces: ["name"] });

        // drift: someone edits the group on the DC; refresh sees it, diff plans an update
        await withAdminLdap(lab, corp, (c) => c.modify(created.id, [
            new (require("ldapts").Change)({ operation: "replace", modification: new (require("ldapts").Attribute)({ type: "description", values: ["edited by hand"] }) }),
        ]));
        const read = await host.read(created.id, URN, created.properties);
        expect(read.properties?.description).toBe("edited by hand");
        expect((await host.diff(created.id, URN, read.properties!, checked.inputs)).changes).toBe(DiffChanges.DIFF_SOME);

        const updated = await host.update(created.id, URN, read.properties!, checked.inputs);
        expect(updated.properties.description).toBe("first");

        await host.delete(created.id, URN, updated.properties);
        const gone = await host.read(created.id, URN, updated.properties);
        expect(gone.id).toBe("");
    });

    test("a provider error comes back as gRPC UNKNOWN naming the reference, never the secret", async () => {
        const missing = { ...news, directory: { ...news.directory, password: { env: "LAB_NOT_SET_ANYWHERE" } } };
        const err: any = await host.create(URN, missing).catch((e) => e);
        expect(err.code).toBe(GRPC_STATUS.UNKNOWN);
        expect(err.details).toMatch(/LAB_NOT_SET_ANYWHERE.*is not set/);
        for (const secret of labSecretValues(lab)) expect(err.details).not.toContain(secret);
    });

    test("the host's own output carries no lab secret", () => {
        const text = host.stderr.join("");
        for (const secret of labSecretValues(lab)) expect(text).not.toContain(secret);
    });
});
