// AzureADKerberosServer through Pulumi's real dynamic-provider host over gRPC, with the __provider
// text serialized in plain node exactly as pulumi.dynamic.Resource does, against the lab's fabrikam
// forest: Configure (stack config for { config } SecretRefs), Check, Create, Read (with inputs),
// Diff, Update, Delete, and what crosses the wire when things fail.
import * as path from "node:path";
import { DynamicProviderHost, DiffChanges, GRPC_STATUS } from "../support/dynamic-host";
import { serializeProviderInNode } from "../support/serialize";
import { requireLab, labSecretEnv, labSecretValues } from "../support/lab";
import { kerberosDns, labServerInputs, readDc, rotateOutOfBand } from "../support/kerberos-lab";

const REPO = path.resolve(__dirname, "../..");
const URN = "urn:pulumi:contract::entra-kerberos::pulumi-nodejs:dynamic/entra-kerberos:AzureADKerberosServer::fabrikam";
const CONFIG_KEY = "contract:fabrikamPassword";

jest.setTimeout(120_000);

describe("AzureADKerberosServer through the real dynamic-provider host", () => {
    const lab = requireLab();
    const fab = lab.forests.find((f) => f.name === "fabrikam")!;
    const dns = kerberosDns(fab);
    const provider = serializeProviderInNode("bin/provider/resources/azure-ad-kerberos-server.js", "azureADKerberosServerProvider");
    let host: DynamicProviderHost;
    let news: Record<string, any>;

    beforeAll(async () => {
        news = { __provider: provider.text, ...labServerInputs(lab, fab), driftReasons: [] };
        // the directory password comes from the stack config this time (Configure), not the environment
        const env: Record<string, string> = labSecretEnv(lab);
        delete env[fab.adminPasswordEnv];
        news.directory = { ...news.directory, password: { config: CONFIG_KEY } };
        host = await DynamicProviderHost.start({ cwd: REPO, env });
        await host.configure({ [CONFIG_KEY]: lab.secrets[fab.adminPasswordEnv] });
    }, 60_000);

    afterAll(async () => {
        await host?.delete(fab.domain, URN, news).catch(() => undefined);
        await host?.stop();
    });

    test("the serialized provider is small, captures no secret and names the compiled implementation", () => {
        expect(provider.containsSecrets).toBe(false);
        expect(provider.text).toContain("pulumi-entra-kerberos/bin/provider/resources/azure-ad-kerberos-server-impl");
        expect(provider.text).not.toMatch(/ldapts|withDirectory|undici/);
        expect(Buffer.byteLength(provider.text)).toBeLessThan(4_000);
    });

    test("check: Domain Admins in allowedGroups and a password value come back as CheckFailures, before any I/O", async () => {
        const bad = { ...news, allowedGroups: ["Domain Admins"], directory: { ...news.directory, password: "Plain-Value-123" } };
        const r = await host.check(URN, {}, bad);
        expect(r.failures.map((f) => f.property).sort()).toEqual(["allowedGroups[0]", "directory.password"]);
        expect(r.failures.find((f) => f.property === "allowedGroups[0]")!.reason).toMatch(/Domain Admins, a privileged group.*allowPrivilegedGroups: true/);
        expect(JSON.stringify(r.failures)).not.toContain("Plain-Value-123");
        expect((await host.check(URN, {}, { ...bad, directory: news.directory, allowPrivilegedGroups: true })).failures).toEqual([]);
    });

    test("create → read → diff → out-of-band drift → update → delete", async () => {
        const checked = await host.check(URN, {}, news);
        expect(checked.failures).toEqual([]);

        const created = await host.create(URN, checked.inputs);
        expect(created.id).toBe(fab.domain);
        const p = created.properties;
        expect(p).toMatchObject({ inSync: true, driftReasons: [], computerAccount: dns.computer, userAccount: dns.krbtgt, domainDnsName: fab.domain });
        expect(p.cloudKeyVersion).toBe(p.keyVersion);
        expect(p.__provider).toBe(news.__provider);
        expect(p.directory.password).toEqual({ config: CONFIG_KEY }); // the reference is stored, not the value

        const read = await host.read(created.id, URN, p);
        expect(read.id).toBe(created.id);
        expect(read.properties).toEqual(p);
        expect(read.inputs).toMatchObject({ domain: fab.domain, driftReasons: [] });
        expect(read.inputs!.keyVersion).toBeUndefined(); // inputs are the inputs, not the outputs

        expect((await host.diff(created.id, URN, read.properties!, checked.inputs)).changes).toBe(DiffChanges.DIFF_NONE);
        expect(await host.diff(created.id, URN, p, { ...checked.inputs, domain: "corp.lab.test" })).toMatchObject({ changes: DiffChanges.DIFF_SOME, replaces: ["domain"] });
        expect(await host.diff(created.id, URN, p, { ...checked.inputs, deniedGroups: ["Guests"] })).toMatchObject({ changes: DiffChanges.DIFF_SOME, replaces: [] });

        await rotateOutOfBand(lab, fab);
        const drifted = await host.read(created.id, URN, p);
        const reason = `key version on-prem ${drifted.properties!.keyVersion} ≠ cloud ${p.keyVersion}`;
        expect(drifted.properties).toMatchObject({ inSync: false, driftReasons: [reason], cloudKeyVersion: p.keyVersion });
        expect(drifted.inputs!.driftReasons).toEqual([reason]); // what the engine's input diff will print
        expect((await host.diff(created.id, URN, drifted.properties!, checked.inputs)).changes).toBe(DiffChanges.DIFF_SOME);

        const updated = await host.update(created.id, URN, drifted.properties!, checked.inputs);
        expect(updated.properties).toMatchObject({ inSync: true, driftReasons: [] });
        expect(updated.properties.keyVersion).toBeGreaterThan(drifted.properties!.keyVersion);
        expect(updated.properties.cloudKeyVersion).toBe(updated.properties.keyVersion);
        expect(updated.properties.lastRotatedOn).toEqual(expect.any(String));
        expect((await host.diff(created.id, URN, updated.properties, checked.inputs)).changes).toBe(DiffChanges.DIFF_NONE);

        await host.delete(created.id, URN, updated.properties);
        expect(await readDc(lab, fab)).toMatchObject({ computers: [], krbtgts: [], scps: [] });
    });

    test("a provider error is gRPC UNKNOWN naming the reference, never the secret", async () => {
        const missing = { ...news, directory: { ...news.directory, password: { env: "KERB_CONTRACT_NOT_SET" } } };
        const err: any = await host.create(URN, missing).catch((e) => e);
        expect(err.code).toBe(GRPC_STATUS.UNKNOWN);
        expect(err.details).toMatch(/KERB_CONTRACT_NOT_SET.*is not set/);
        const { caCertificate: _dropped, ...publisherWithoutCa } = news.publisher;
        const badCa = { ...news, publisher: publisherWithoutCa };
        const err2: any = await host.create(URN, badCa).catch((e) => e);
        expect(err2.details).toMatch(/TLS verification failed.*publisher\.caCertificate/);
        for (const secret of labSecretValues(lab)) {
            expect(err.details).not.toContain(secret);
            expect(err2.details).not.toContain(secret);
        }
    });

    test("the host's own output carries no lab secret", () => {
        const text = host.stderr.join("");
        for (const secret of labSecretValues(lab)) expect(text).not.toContain(secret);
    });
});
