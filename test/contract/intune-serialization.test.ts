// The CloudTrustPolicy and HostToRealmMapping providers survive Pulumi's closure serialization:
// serialized in plain node, loaded the way the host loads them, `check` runs without any I/O.
import * as path from "node:path";
import { runSerializedInNode, serializeProviderInNode } from "../support/serialize";

const REPO = path.resolve(__dirname, "../..");

describe.each([
    ["CloudTrustPolicy", "bin/provider/resources/cloud-trust-policy.js", "cloudTrustPolicyProvider", "cloud-trust-policy-impl",
        '{ displayName: "", scope: "tenant" }', ["graph.credential.clientSecret", "displayName", "scope"]],
    ["HostToRealmMapping", "bin/provider/resources/host-to-realm-mapping.js", "hostToRealmMappingProvider", "host-to-realm-mapping-impl",
        '{ displayName: "H2R", mappings: [{ realm: "lower.case", hosts: ["*.file.core.windows.net"] }] }', ["graph.credential.clientSecret", "mappings[0].realm", "mappings[0].hosts[0]"]],
])("serialized %s provider", (_name, modulePath, exportName, impl, extra, failures) => {
    const sf = serializeProviderInNode(modulePath, exportName);

    test("is a tiny module that loads the implementation by package path and captures no secret", () => {
        expect(sf.containsSecrets).toBe(false);
        expect(sf.text).toMatch(/^exports\.handler = /);
        expect(sf.text).toContain(`pulumi-entra-kerberos/bin/provider/resources/${impl}`);
        expect(sf.text).not.toMatch(/graphRequest|createGraphClient|@azure\/identity|flattenSettings/); // nothing inlined
        expect(Buffer.byteLength(sf.text)).toBeLessThan(4_000);
    });

    test("loads like the host loads it; check names each bad input without any I/O", () => {
        const out = runSerializedInNode(sf.text, REPO, `
            await provider.configure({ config: { get: () => undefined } });
            const graph = { tenantId: "t", credential: { type: "clientSecret", clientId: "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c", clientSecret: "plain-secret-value" }, graphEndpoint: "https://127.0.0.9:1" };
            const r = await provider.check({}, { graph, ...${extra} });
            console.log(JSON.stringify(r.failures));`);
        const parsed = JSON.parse(out) as { property: string; reason: string }[];
        expect(parsed.map((f) => f.property)).toEqual(failures);
        expect(out).not.toContain("plain-secret-value");
    });
});
