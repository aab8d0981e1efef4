// The provider object survives Pulumi's closure serialization: serialized in plain node (jest's VM
// distorts the serializer) and loaded the way the host loads it, in a fresh node process.
import * as path from "node:path";
import { serializeProviderInNode, runSerializedInNode } from "../support/serialize";

const REPO = path.resolve(__dirname, "../..");

describe("serialized dynamic provider", () => {
    const sf = serializeProviderInNode("bin/test/fixtures/lab-group.js", "labGroupProvider");

    test("is a tiny module that loads the implementation by package path and captures no secret", () => {
        expect(sf.containsSecrets).toBe(false);
        expect(sf.text).toMatch(/^exports\.handler = /);
        expect(sf.text).toContain("pulumi-entra-kerberos/bin/test/fixtures/lab-group-impl");
        expect(sf.text).not.toMatch(/ldapts|withDirectory|class DirEntry/); // the implementation is not inlined
        expect(Buffer.byteLength(sf.text)).toBeLessThan(4_000);
    });

    test("loads like the host loads it and runs check without any I/O", () => {
        const out = runSerializedInNode(sf.text, REPO, `
            const r = await provider.check({}, { domain: "corp.lab.test", name: "g", directory: { urls: ["ldap://127.0.0.9"], username: "u", password: "pw" } });
            console.log(JSON.stringify(r.failures.map((f) => f.property)));`);
        expect(JSON.parse(out)).toEqual(["directory.password", "directory.urls[0]"]);
    });

    test("fails clearly where the package cannot be resolved (wrong working directory)", () => {
        expect(() => runSerializedInNode(sf.text, "/", `await provider.check({}, {});`)).toThrow(/Cannot find module 'pulumi-entra-kerberos/);
    });
});
