// `check` (no I/O, every failure names its input) and `diff` (the program against the last read)
// of CloudTrustPolicy and HostToRealmMapping, plus the connection check they share.
import { checkGraphConnection } from "../../../provider/graph/check-connection";
import { UNKNOWN_VALUE } from "../../../provider/core/unknown";
import { checkCloudTrustPolicy, diffCloudTrustPolicy } from "../../../provider/intune/cloud-trust-policy";
import { checkHostToRealmMapping, diffHostToRealmMapping } from "../../../provider/intune/host-to-realm-mapping";
import { mappingsHash } from "../../../provider/intune/host-to-realm";

const CLIENT = "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c";
const graph = { tenantId: "contoso.onmicrosoft.com", credential: { type: "clientSecret", clientId: CLIENT, clientSecret: { env: "GRAPH_SECRET" } } };
const props = (failures: { property: string }[]) => failures.map((f) => f.property);

describe("graph connection", () => {
    test.each([
        [{ type: "default" }], [{ type: "azureCli" }], [{ type: "managedIdentity" }], [{ type: "managedIdentity", clientId: CLIENT }],
        [{ type: "workloadIdentity", clientId: CLIENT, tokenFilePath: "/var/run/token" }], [{ type: "githubOidc", clientId: CLIENT }],
        [{ type: "clientSecret", clientId: CLIENT, clientSecret: { config: "graphSecret" } }], [{ type: "clientCertificate", clientId: CLIENT, certificatePem: { env: "PEM" } }],
    ])("accepts %j", (credential) => {
        expect(checkGraphConnection({ tenantId: "t", credential })).toEqual([]);
    });

    test.each([
        [undefined, "graph", /graph is required/],
        [{ credential: { type: "default" } }, "graph.tenantId", /tenant GUID/],
        [{ tenantId: "t", credential: { type: "password" } }, "graph.credential.type", /one of default, azureCli, managedIdentity, workloadIdentity, githubOidc, clientSecret, clientCertificate/],
        [{ tenantId: "t", credential: { type: "clientSecret", clientId: CLIENT, clientSecret: "s3cr3t-value" } }, "graph.credential.clientSecret", /never the secret itself/],
        [{ tenantId: "t", credential: { type: "clientSecret", clientId: CLIENT } }, "graph.credential.clientSecret", /is required: a reference/],
        [{ tenantId: "t", credential: { type: "clientCertificate", clientId: CLIENT, certificatePem: { env: "A", config: "b" } } }, "graph.credential.certificatePem", /exactly one of/],
        [{ tenantId: "t", credential: { type: "githubOidc" } }, "graph.credential.clientId", /client id \(a GUID\)/],
        [{ tenantId: "t", credential: { type: "managedIdentity", clientId: "not-a-guid" } }, "graph.credential.clientId", /GUID/],
        [{ tenantId: "t", credential: { type: "azureCli", clientId: CLIENT } }, "graph.credential.clientId", /does not apply to credential type "azureCli"/],
        [{ tenantId: "t", credential: { type: "default" }, graphEndpoint: "http://127.0.0.1:8080" }, "graph.graphEndpoint", /must use https/],
        [{ tenantId: "t", credential: { type: "default" }, authorityHost: "https://login.example/tenant" }, "graph.authorityHost", /without a path/],
        [{ tenantId: "t", credential: { type: "default" }, caCertificate: "not pem" }, "graph.caCertificate", /PEM/],
        [{ tenantId: "t", credential: { type: "default" }, clientSecret: { env: "X" } }, "graph.clientSecret", /not a connection setting/],
    ])("%j -> %s", (g, property, reason) => {
        const f = checkGraphConnection(g);
        expect(f).toHaveLength(1);
        expect(f[0].property).toBe(property);
        expect(f[0].reason).toMatch(reason);
    });

    test("a secret given as a value is never repeated in the message", () => {
        const [f] = checkGraphConnection({ tenantId: "t", credential: { type: "clientSecret", clientId: CLIENT, clientSecret: "s3cr3t-value" } });
        expect(f.reason).not.toContain("s3cr3t-value");
    });

    test("unknown values (preview) are accepted", () => {
        expect(checkGraphConnection(UNKNOWN_VALUE)).toEqual([]);
        expect(checkGraphConnection({ tenantId: UNKNOWN_VALUE, credential: { type: "clientSecret", clientId: UNKNOWN_VALUE, clientSecret: UNKNOWN_VALUE } })).toEqual([]);
    });
});

describe("CloudTrustPolicy check", () => {
    const check = (over: Record<string, unknown>) => checkCloudTrustPolicy({ graph, displayName: "WHfB", ...over });

    test("defaults: device scope, WHfB and cloud trust on; the desired setting lines derived", () => {
        const r = check({});
        expect(r.failures).toEqual([]);
        expect(r.inputs).toEqual({
            graph, displayName: "WHfB", scope: "device", useWindowsHelloForBusiness: true, useCloudTrustForOnPremAuth: true,
            settings: [
                "device_vendor_msft_passportforwork_{tenantid}[0]/policies_usecertificateforonpremauth = false",
                "device_vendor_msft_passportforwork_{tenantid}[0]/policies_usecloudtrustforonpremauth = true",
                "device_vendor_msft_passportforwork_{tenantid}[0]/policies_usepassportforwork = true",
            ],
        });
    });

    test.each([
        [{ displayName: "" }, ["displayName"]],
        [{ displayName: " WHfB" }, ["displayName"]],
        [{ displayName: 7 }, ["displayName"]],
        [{ scope: "tenant" }, ["scope"]],
        [{ useCloudTrustForOnPremAuth: "yes" }, ["useCloudTrustForOnPremAuth"]],
        [{ description: 1 }, ["description"]],
        [{ scope: "user" }, ["useCloudTrustForOnPremAuth"]],
        [{ scope: "user", useCloudTrustForOnPremAuth: false, cloudKerberosTicketRetrieval: false }, ["cloudKerberosTicketRetrieval"]],
        [{ scope: "user", useCloudTrustForOnPremAuth: false, useSecurityKeyForSignIn: true }, ["useSecurityKeyForSignIn"]],
        [{ assignments: { includeGroups: "x" } }, ["assignments.includeGroups"]],
        [{ adoptExisting: "true" }, ["adoptExisting"]],
        [{ useCloudTrust: true }, [""]], // on the resource: the engine prints a failing top-level property's value
        [{ graph: { ...graph, credential: { type: "clientSecret", clientId: CLIENT, clientSecret: "plain" } } }, ["graph.credential.clientSecret"]],
    ])("%j fails on %j", (over, expected) => {
        expect(props(check(over).failures)).toEqual(expected);
    });

    test("scope user with cloud trust off is fine; output placeholders registered by the class are ignored", () => {
        expect(check({ scope: "user", useCloudTrustForOnPremAuth: false }).failures).toEqual([]);
        expect(check({ policyId: undefined, settings: undefined, drift: undefined }).failures).toEqual([]);
    });

    test("inputs not known yet: no failure, no derived lines, and diff reports a change", () => {
        const r = check({ scope: UNKNOWN_VALUE, assignments: { includeGroups: [UNKNOWN_VALUE] } });
        expect(r.failures).toEqual([]);
        expect(r.inputs.settings).toBeUndefined();
        expect(diffCloudTrustPolicy({}, r.inputs).changes).toBe(true);
    });
});

describe("CloudTrustPolicy diff", () => {
    const news = checkCloudTrustPolicy({ graph, displayName: "WHfB", assignments: { includeGroups: ["Pilot"] } }).inputs;
    const read = { ...news, policyId: "p", settingCount: 1, lastModifiedDateTime: "2024-01-01T00:00:00Z", resolvedGroups: { Pilot: "g" }, includeGroupIds: ["g"], excludeGroupIds: [] };

    test("the last read equal to the program: no changes (outputs such as policyId do not count)", () => {
        expect(diffCloudTrustPolicy(read, news)).toEqual({ changes: false, reasons: [] });
    });

    test.each([
        ["a setting flipped", { settings: read.settings!.map((l) => l.replace("usecloudtrustforonpremauth = true", "usecloudtrustforonpremauth = false")) }, ["settings"]],
        ["a setting added", { settings: [...read.settings!, "x = 1"] }, ["settings"]],
        ["an assignment removed", { assignments: { ...news.assignments, includeGroups: [] } }, ["assignments"]],
        ["renamed", { displayName: "WHfB (old)" }, ["displayName"]],
        ["a drift note", { drift: ["marker lost"] }, ["drift"]],
        ["another credential", { graph: { ...graph, credential: { type: "azureCli" } } }, ["graph"]],
    ])("%s", (_l, over, reasons) => {
        expect(diffCloudTrustPolicy({ ...read, ...over }, news)).toEqual({ changes: true, reasons });
    });

    test("the program changed: new settings lines differ from the stored ones", () => {
        const more = checkCloudTrustPolicy({ graph, displayName: "WHfB", cloudKerberosTicketRetrieval: true, assignments: { includeGroups: ["Pilot"] } }).inputs;
        expect(diffCloudTrustPolicy(read, more).reasons).toEqual(["settings", "cloudKerberosTicketRetrieval"]);
    });
});

describe("HostToRealmMapping check and diff", () => {
    const mappings = [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".File.core.windows.net"] }];

    test("mappings canonical, hash derived", () => {
        const r = checkHostToRealmMapping({ graph, displayName: "H2R", mappings });
        expect(r.failures).toEqual([]);
        expect(r.inputs).toEqual({ graph, displayName: "H2R", mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }], contentHash: mappingsHash(mappings) });
    });

    test.each([
        [{ mappings: [{ realm: "kerberos", hosts: ["a"] }] }, ["mappings[0].realm"]],
        [{ displayName: "" }, ["displayName"]],
        [{ graph: undefined }, ["graph"]],
        [{ delivery: "customOmaUri" }, [""]],
    ])("%j fails on %j", (over, expected) => {
        expect(props(checkHostToRealmMapping({ graph, displayName: "H2R", mappings, ...over }).failures)).toEqual(expected);
    });

    test("diff: drift notes, a changed hash in the description, changed mappings", () => {
        const news = checkHostToRealmMapping({ graph, displayName: "H2R", mappings }).inputs;
        const read = { ...news, policyId: "p", deliveredAs: "customOmaUri", valueReference: "r" };
        expect(diffHostToRealmMapping(read, news)).toEqual({ changes: false, reasons: [] });
        expect(diffHostToRealmMapping({ ...read, drift: ["value rewritten"] }, news).reasons).toEqual(["drift"]);
        expect(diffHostToRealmMapping({ ...read, contentHash: undefined }, news).reasons).toEqual(["contentHash"]);
        expect(diffHostToRealmMapping({ ...read, mappings: [{ realm: "X.Y", hosts: ["a"] }] }, news).reasons).toEqual(["mappings"]);
    });
});
