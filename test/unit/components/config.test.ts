// The root program's config check: the shipped JSON schema plus the cross-checks, with every error
// naming the config path a user edits.
import * as fs from "node:fs";
import * as path from "node:path";
import { cloudKerberosTrustConfigErrors, parseCloudKerberosTrustConfig } from "../../../provider/components/cloud-kerberos-trust-config";
import { assertSupportedSchema } from "../../../provider/components/json-schema";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const domain = (name: string, extra: Record<string, unknown> = {}) => ({
    domain: name,
    directory: { urls: ["ldaps://127.0.0.2:636"], username: `Administrator@${name}`, password: { env: "LAB_CORP_ADMIN_PASSWORD" }, caCertificate: PEM },
    publisher: { type: "lab", endpoint: "https://127.0.0.1:47443/lab/kerberos", caCertificate: PEM },
    ...extra,
});
const valid = () => ({
    graph: {
        tenantId: "7b0f2c3e-5d1a-4c8e-9f60-1a2b3c4d5e6f",
        credential: { type: "clientSecret", clientId: "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c", clientSecret: { env: "LAB_GRAPH_CLIENT_SECRET" } },
        graphEndpoint: "https://127.0.0.1:47443", authorityHost: "https://127.0.0.1:47443", caCertificate: PEM,
    },
    forests: [
        { name: "corp", wave: 1, domains: [domain("corp.lab.test")] },
        { name: "fabrikam", wave: 2, domains: [domain("fabrikam.lab.test")] },
    ],
}) as any;
const errorsOf = (v: unknown) => cloudKerberosTrustConfigErrors(v).map((e) => `${e.path}: ${e.message}`);

describe("cloudKerberosTrust config", () => {
    test("the lab's shape is valid, and so is a full rollout with Intune and Conditional Access", () => {
        expect(errorsOf(valid())).toEqual([]);
        const full = {
            ...valid(), keyRotation: { maxAgeDays: 180 },
            cloudTrustPolicy: { displayName: "WHfB", assignments: { includeGroups: ["WHfB Pilot"] } },
            hostToRealm: { displayName: "realms", mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }] },
            conditionalAccessExclusions: [{ name: "mfa", policy: "Require MFA for all users", excludeGroups: ["Break Glass Admins"] }],
            fido2SecurityKeyMethod: { state: "enabled", includeGroups: ["WHfB Pilot Users"], keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: ["cb69481e-8ff7-4039-93ec-0a2729a154a8"] } },
        };
        expect(errorsOf(full)).toEqual([]);
        full.fido2SecurityKeyMethod.keyRestrictions.aaGuids.push("yubikey-5");
        full.fido2SecurityKeyMethod.state = "on";
        expect(errorsOf(full).map((e) => e.split(":")[0])).toEqual([
            "cloudKerberosTrust.fido2SecurityKeyMethod.state",
            "cloudKerberosTrust.fido2SecurityKeyMethod.keyRestrictions.aaGuids[1]",
        ]);
    });

    test("one top-level caCertificate is given to every connection that names none, and a connection's own wins", () => {
        const OTHER = "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n";
        const c = valid();
        delete c.graph.caCertificate;
        for (const f of c.forests) for (const d of f.domains) { delete d.directory.caCertificate; delete d.publisher.caCertificate; }
        c.forests[1].domains[0].directory.caCertificate = OTHER;
        c.forests[1].domains.push(domain("child.fabrikam.lab.test", { publisher: { type: "powershell", cloudUserPrincipalName: "admin@contoso.example", signIn: { mode: "deferred" } } }));
        delete c.forests[1].domains[1].directory.caCertificate;
        const spec: any = parseCloudKerberosTrustConfig({ caCertificate: PEM, ...c });
        expect(spec.caCertificate).toBeUndefined(); // given out, not kept as a second source
        expect(spec.graph.caCertificate).toBe(PEM);
        expect(spec.forests.flatMap((f: any) => f.domains.map((d: any) => [d.directory.caCertificate, d.publisher.caCertificate])))
            .toEqual([[PEM, PEM], [OTHER, PEM], [PEM, undefined]]); // a PowerShell publisher has no TLS connection of ours
        expect(errorsOf({ caCertificate: "not a pem", ...c })).toEqual([expect.stringMatching(/^cloudKerberosTrust\.caCertificate: /)]);
    });

    test("the error names the exact path: a bad domain in the second forest", () => {
        const c = valid();
        c.forests[1].domains[0].domain = "not a domain";
        expect(errorsOf(c)).toEqual(['cloudKerberosTrust.forests[1].domains[0].domain: "not a domain" is not a DNS name such as corp.example.com']);
    });

    test("a secret given as a value is refused where it stands", () => {
        const c = valid();
        c.forests[0].domains[0].directory.password = "hunter2-hunter2";
        const errors = errorsOf(c);
        expect(errors).toEqual(["cloudKerberosTrust.forests[0].domains[0].directory.password: must be an object ({ env: ... } or { config: ... }), not a string"]);
        expect(errors.join("")).not.toContain("hunter2");
    });

    test("URLs are checked by the input grammar: user-info refused without repeating it, as the resources' check does", () => {
        const c = valid();
        c.forests[0].domains[0].directory.urls = ["ldaps://Administrator:Pa55-w0rd x@dc1.corp.lab.test:636"];
        c.graph.graphEndpoint = "https://app:Gr-s3cret@127.0.0.1:47443";
        c.forests[1].domains[0].publisher.endpoint = "https://127.0.0.1:47443/lab/%2e%2e/kerberos";
        const errors = errorsOf(c);
        expect(errors).toEqual([
            expect.stringMatching(/^cloudKerberosTrust\.graph\.graphEndpoint: must not carry a user name or password/),
            expect.stringMatching(/^cloudKerberosTrust\.forests\[0\]\.domains\[0\]\.directory\.urls\[0\]: must not carry a user name or password/),
            expect.stringMatching(/^cloudKerberosTrust\.forests\[1\]\.domains\[0\]\.publisher\.endpoint: ".*": the path may hold only plain characters/),
        ]);
        expect(errors.join("")).not.toMatch(/Pa55|Gr-s3cret/);
    });

    test("credential and publisher branches are chosen by their type", () => {
        const c = valid();
        c.graph.credential = { type: "githubOidc" };
        c.forests[0].domains[0].publisher = { type: "powershel", cloudUserPrincipalName: "a@b.c" };
        expect(errorsOf(c)).toEqual([
            "cloudKerberosTrust.graph.credential.clientId: is required",
            'cloudKerberosTrust.forests[0].domains[0].publisher.type: must be one of "powershell", "lab", not "powershel"',
        ]);
    });

    test("unknown keys, missing keys, wrong types and ranges are all reported at once", () => {
        const c = valid();
        delete c.graph;
        c.forests[0].wave = 0;
        c.forests[0].domains[0].directory.urls = [];
        c.forests[1].domains[0].alowedGroups = ["Domain Users"];
        c.keyRotation = { maxAgeDays: "180" };
        expect(errorsOf(c)).toEqual([
            "cloudKerberosTrust.graph: is required",
            "cloudKerberosTrust.forests[0].wave: must be at least 1, not 0",
            "cloudKerberosTrust.forests[0].domains[0].directory.urls: must have at least 1 entry",
            expect.stringMatching(/^cloudKerberosTrust\.forests\[1\]\.domains\[0\]\.alowedGroups: is not a known setting here \(known: domain, directory, publisher, allowedGroups,/),
            'cloudKerberosTrust.keyRotation.maxAgeDays: must be a whole number, not a string',
        ]);
    });

    test("one Kerberos server per domain, one forest per name", () => {
        const c = valid();
        c.forests.push({ name: "Corp", domains: [domain("CORP.lab.test.")] });
        expect(errorsOf(c)).toEqual([
            'cloudKerberosTrust.forests[2].name: forest "Corp" is already declared at cloudKerberosTrust.forests[0]',
            "cloudKerberosTrust.forests[2].domains[0].domain: domain CORP.lab.test. is already declared at cloudKerberosTrust.forests[0].domains[0].domain; a domain has exactly one Kerberos server",
        ]);
    });

    test("parse throws one error listing every problem, with a stable code", () => {
        const c = valid();
        c.forests[1].domains[0].domain = "bad domain";
        c.graph.tenantId = "tenant";
        expect(() => parseCloudKerberosTrustConfig(c)).toThrow(expect.objectContaining({
            code: "CONFIG_INVALID",
            message: expect.stringMatching(/2 problems[\s\S]*cloudKerberosTrust\.graph\.tenantId: "tenant" is not of the form[\s\S]*cloudKerberosTrust\.forests\[1\]\.domains\[0\]\.domain/),
        }));
        expect(parseCloudKerberosTrustConfig(valid())).toEqual(valid());
    });

    test("the shipped schema uses only keywords the validator checks", () => {
        const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "../../../provider/components/cloud-kerberos-trust.schema.json"), "utf8"));
        expect(() => assertSupportedSchema(schema)).not.toThrow();
        expect(() => assertSupportedSchema({ type: "string", maxLength: 3 })).toThrow(/"maxLength"/);
        // `format` is checked, for the grammar's URL kinds only
        expect(() => assertSupportedSchema({ type: "string", format: "uri" })).toThrow(/format "uri" .* is not one of ldap, httpsWithPath, httpsOrigin/);
    });
});
