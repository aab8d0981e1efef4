// Bad input, table-driven, through Pulumi's real dynamic-provider host (the providers serialized as
// pulumi.dynamic.Resource serializes them) for all four resources, plus the root program's stack
// config. Every row must come back from `check` as a failure at exactly its input's path, with a
// reason that names the input, never repeating a secret given as a value, and with NO network
// call: the inputs point at reachable services (the reliability lab's Graph emulator and lab
// publisher, whose request log is the witness) and at a listening socket that counts every
// connection (the LDAP URLs). What only the server can know (unknown or ambiguous groups and
// policies, a group nested in Domain Admins) fails at create instead, with nothing changed.
import { randomBytes } from "node:crypto";
import { Attribute, Change } from "ldapts";
import { SEED } from "../../lab/emulator";
import { labStackConfig } from "../../lab/stack-config";
import { cloudKerberosTrustConfigErrors } from "../../provider/components/cloud-kerberos-trust-config";
import { readDc } from "../support/kerberos-lab";
import { DynamicProviderHost } from "../support/dynamic-host";
import { withAdminLdap } from "../support/lab";
import { policyExclusions, seedForeignPolicy } from "./support/ca";
import { cloudTrustArgs, graphConn, exclusionArgs, hostToRealmArgs, serverArgs } from "./support/inputs";
import { cloudRecord, forest, REPO, reliabilityLab, requestLog, tenantState } from "./support/lab";
import { record } from "./support/results";
import { scanForSecrets } from "./support/secret-scan";
import { silentListener } from "./support/tls-proxy";
import { resourceUrn, withProvider, type Resource } from "./support/providers";

jest.setTimeout(120_000);

const lab = reliabilityLab();
const contoso = forest(lab, "contoso");
const run = randomBytes(3).toString("hex");
const PEM_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";

const urn = (r: Resource) => resourceUrn(r, "bad-input");

let host: DynamicProviderHost;
let ldap: Awaited<ReturnType<typeof silentListener>>;
let policyId = "";

/** Valid inputs of each resource: the rows below each break one thing. */
function base(r: Resource): Record<string, any> {
    const b: Record<Resource, () => Record<string, any>> = {
        AzureADKerberosServer: () => {
            const a = serverArgs(lab, contoso);
            return { ...a, directory: { ...a.directory, urls: [ldap.url] }, driftReasons: [] };
        },
        CloudTrustPolicy: () => cloudTrustArgs(lab, `rel-bad-ctp-${run}`),
        HostToRealmMapping: () => hostToRealmArgs(lab, `rel-bad-h2r-${run}`),
        ConditionalAccessExclusion: () => exclusionArgs(lab, `rel-bad-ca-${run}`, { excludeGroups: ["Storage Users"] }),
        Fido2SecurityKeyMethod: () => ({ graph: graphConn(lab), includeGroups: ["WHfB Pilot Users"] }),
    };
    return withProvider(r, b[r]());
}

interface Row {
    resource: Resource;
    what: string;
    /** the path the failure must be reported at */
    input: string;
    change: (i: any) => void;
    /** a secret given as a value: never to appear in the failure */
    secret?: string;
    reason?: RegExp;
}

const K = "AzureADKerberosServer", C = "CloudTrustPolicy", H = "HostToRealmMapping", X = "ConditionalAccessExclusion", F = "Fido2SecurityKeyMethod";
const rows: Row[] = [
    // --- malformed domain names and URLs
    { resource: K, what: "domain with an empty label", input: "domain", change: (i) => { i.domain = "contoso..lab.test"; }, reason: /not a DNS domain name/ },
    { resource: K, what: "domain starting with a hyphen", input: "domain", change: (i) => { i.domain = "-contoso.lab.test"; } },
    { resource: K, what: "domain with an underscore", input: "domain", change: (i) => { i.domain = "contoso_lab.test"; } },
    { resource: K, what: "domain with a trailing space", input: "domain", change: (i) => { i.domain = "contoso.lab.test "; } },
    { resource: K, what: "domain label of 64 characters", input: "domain", change: (i) => { i.domain = `${"a".repeat(64)}.lab.test`; } },
    { resource: K, what: "domain missing", input: "domain", change: (i) => { delete i.domain; }, reason: /required/ },
    { resource: K, what: "no directory URL", input: "directory.urls", change: (i) => { i.directory.urls = []; } },
    { resource: K, what: "plain ldap:// without allowPlainLdap", input: "directory.urls[0]", change: (i) => { i.directory.urls = ["ldap://127.0.0.92:389"]; }, reason: /plain LDAP.*allowPlainLdap/ },
    { resource: K, what: "a base DN in the URL", input: "directory.urls[0]", change: (i) => { i.directory.urls = ["ldaps://127.0.0.92:636/DC=contoso,DC=lab,DC=test"]; }, reason: /no base DN/ },
    { resource: K, what: "an https:// directory URL", input: "directory.urls[0]", change: (i) => { i.directory.urls = ["https://127.0.0.92"]; } },
    { resource: K, what: "a directory URL that is no URL", input: "directory.urls[1]", change: (i) => { i.directory.urls = [i.directory.urls[0], "dc2 contoso"]; }, reason: /not a URL/ },
    { resource: K, what: "lab publisher over http", input: "publisher.endpoint", change: (i) => { i.publisher.endpoint = i.publisher.endpoint.replace("https:", "http:"); }, reason: /https/ },
    { resource: K, what: "Graph endpoint over http", input: "graph.graphEndpoint", change: (i) => { i.graph.graphEndpoint = "http://127.0.0.1:47943"; } },
    // --- wrong credential shapes
    { resource: K, what: "a password value where a SecretRef belongs", input: "directory.password", change: (i) => { i.directory.password = lab.secrets[contoso.adminPasswordEnv]; }, secret: lab.secrets[contoso.adminPasswordEnv], reason: /never the secret itself/ },
    { resource: K, what: "a SecretRef of an unknown kind", input: "directory.password", change: (i) => { i.directory.password = { vault: "kv/contoso" }; } },
    { resource: K, what: "a SecretRef with two kinds", input: "directory.password", change: (i) => { i.directory.password = { env: "A", config: "b" }; } },
    { resource: K, what: "a SecretRef with an empty name", input: "directory.password", change: (i) => { i.directory.password = { env: "" }; } },
    { resource: K, what: "an unknown credential type", input: "graph.credential.type", change: (i) => { i.graph.credential = { type: "password", username: "admin", password: { env: "X" } }; } },
    { resource: K, what: "a client secret value", input: "graph.credential.clientSecret", change: (i) => { i.graph.credential.clientSecret = lab.secrets[lab.emulator.app.clientSecretEnv]; }, secret: lab.secrets[lab.emulator.app.clientSecretEnv] },
    { resource: K, what: "a client id that is no GUID", input: "graph.credential.clientId", change: (i) => { i.graph.credential.clientId = "lab-app"; } },
    { resource: K, what: "an SSH private key value", input: "publisher.shell.privateKey", change: (i) => { i.publisher = { type: "powershell", cloudUserPrincipalName: "a@b.c", signIn: { mode: "deferred" }, shell: { type: "ssh", host: "127.0.0.1", user: "u", privateKey: PEM_KEY } }; }, secret: PEM_KEY },
    { resource: K, what: "a cloud password value", input: "publisher.signIn.password", change: (i) => { i.publisher = { type: "powershell", cloudUserPrincipalName: "a@b.c", signIn: { mode: "password", password: "Cloud-Pa55-value", accountExcludedFromMfa: true }, shell: { type: "ssh", host: "127.0.0.1", user: "u", privateKey: { env: "K" } } }; }, secret: "Cloud-Pa55-value" },
    { resource: K, what: "the old cloudPassword input, a value even", input: "publisher.cloudPassword", change: (i) => { i.publisher = { type: "powershell", cloudUserPrincipalName: "a@b.c", signIn: { mode: "deferred" }, cloudPassword: "Cloud-Pa55-value", shell: { type: "ssh", host: "127.0.0.1", user: "u", privateKey: { env: "K" } } }; }, secret: "Cloud-Pa55-value", reason: /accountExcludedFromMfa: true/ },
    { resource: K, what: "an unknown publisher type", input: "publisher.type", change: (i) => { i.publisher = { type: "rest", endpoint: "https://127.0.0.1" }; } },
    { resource: K, what: "a list owner that is no name (the class sets it)", input: "listOwner", change: (i) => { i.listOwner = ""; }, reason: /set by the AzureADKerberosServer class/ },
    { resource: K, what: "a CA certificate that is no PEM", input: "directory.caCertificate", change: (i) => { i.directory.caCertificate = "MIIB...not a PEM"; } },
    // --- injection strings and privileged groups in the lists
    { resource: K, what: "LDAP filter injection in a group name", input: "allowedGroups[1]", change: (i) => { i.allowedGroups = ["Domain Users", "*)(objectClass=*"]; }, reason: /not a group name/ },
    { resource: K, what: "an LDAP filter wildcard in a group name", input: "deniedGroups[0]", change: (i) => { i.deniedGroups = ["Tier0*"]; }, reason: /not a group name/ },
    { resource: K, what: "DN injection in a group name", input: "allowedGroups[0]", change: (i) => { i.allowedGroups = ["Pilot,CN=Domain Admins,CN=Users,DC=contoso,DC=lab,DC=test"]; }, reason: /not a group name/ },
    { resource: K, what: "a malformed DN", input: "allowedGroups[0]", change: (i) => { i.allowedGroups = ["CN=Pilot,,DC=contoso,DC=lab,DC=test"]; }, reason: /malformed part/ },
    { resource: K, what: "a DN ending in an open escape", input: "deniedGroups[0]", change: (i) => { i.deniedGroups = ["CN=Pilot,DC=contoso,DC=lab,DC=test\\"]; }, reason: /unfinished escape/ },
    { resource: K, what: "a control character in a group name", input: "allowedGroups[0]", change: (i) => { i.allowedGroups = ["Pilot\u0000)(cn=*"]; } },
    { resource: K, what: "a SID that is not one", input: "allowedGroups[0]", change: (i) => { i.allowedGroups = ["S-1-5-21-abc"]; } },
    { resource: K, what: "Domain Admins allowed", input: "allowedGroups[0]", change: (i) => { i.allowedGroups = ["Domain Admins"]; }, reason: /privileged group/ },
    { resource: K, what: "Enterprise Admins allowed by SID", input: "allowedGroups[0]", change: (i) => { i.allowedGroups = ["S-1-5-21-1004336348-1177238915-682003330-519"]; }, reason: /Enterprise Admins/ },
    { resource: K, what: "Administrators allowed by DN", input: "allowedGroups[0]", change: (i) => { i.allowedGroups = ["CN=Administrators,CN=Builtin,DC=contoso,DC=lab,DC=test"]; }, reason: /privileged/ },
    { resource: K, what: "an oversized allow list", input: "allowedGroups", change: (i) => { i.allowedGroups = Array.from({ length: 300 }, (_, n) => `Pilot ${n}`); }, reason: /at most 256/ },
    { resource: K, what: "maxAgeDays beyond ten years", input: "keyRotation.maxAgeDays", change: (i) => { i.keyRotation = { maxAgeDays: 5000 }; } },
    { resource: K, what: "a timeout of zero", input: "timeouts.create", change: (i) => { i.timeouts = { create: 0 }; } },
    // on the resource (""), naming the key: the engine prints a failing top-level property's value, which may be a secret
    { resource: K, what: "a misspelt input", input: "", change: (i) => { i.alowedGroups = ["Domain Users"]; }, reason: /"alowedGroups" is not an input/ },

    { resource: C, what: "an empty displayName", input: "displayName", change: (i) => { i.displayName = ""; } },
    { resource: C, what: "a displayName with trailing spaces", input: "displayName", change: (i) => { i.displayName = "WHfB "; } },
    { resource: C, what: "an unknown scope", input: "scope", change: (i) => { i.scope = "tenant"; } },
    { resource: C, what: "a device setting with scope user", input: "useSecurityKeyForSignIn", change: (i) => { i.scope = "user"; i.useCloudTrustForOnPremAuth = false; i.useSecurityKeyForSignIn = true; } },
    { resource: C, what: "a duplicate assignment group", input: "assignments.includeGroups[1]", change: (i) => { i.assignments = { includeGroups: ["WHfB Pilot", "whfb pilot"] }; } },
    { resource: C, what: "a client secret value", input: "graph.credential.clientSecret", change: (i) => { i.graph.credential.clientSecret = lab.secrets[lab.emulator.app.clientSecretEnv]; }, secret: lab.secrets[lab.emulator.app.clientSecretEnv] },
    { resource: C, what: "an unknown credential type", input: "graph.credential.type", change: (i) => { i.graph.credential = { type: "userPassword" }; } },
    { resource: C, what: "a field the credential type does not take", input: "graph.credential.certificatePem", change: (i) => { i.graph.credential.certificatePem = { env: "CERT" }; } },

    { resource: H, what: "no mappings", input: "mappings", change: (i) => { i.mappings = []; } },
    { resource: H, what: "a lower-case realm", input: "mappings[0].realm", change: (i) => { i.mappings[0].realm = "kerberos.microsoftonline.com"; } },
    { resource: H, what: "a wildcard host", input: "mappings[0].hosts[0]", change: (i) => { i.mappings[0].hosts = ["*.file.core.windows.net"]; } },
    { resource: H, what: "a realm listed twice", input: "mappings[1].realm", change: (i) => { i.mappings.push({ realm: i.mappings[0].realm, hosts: ["files.contoso.lab.test"] }); } },
    { resource: H, what: "one host in two realms", input: "mappings[1].hosts[0]", change: (i) => { i.mappings.push({ realm: "CONTOSO.LAB.TEST", hosts: [".FILE.core.windows.net"] }); } },
    { resource: H, what: "a realm without hosts", input: "mappings[0].hosts", change: (i) => { i.mappings[0].hosts = []; } },

    { resource: X, what: "an empty policy", input: "policy", change: (i) => { i.policy = ""; } },
    { resource: X, what: "a duplicate group", input: "excludeGroups[1]", change: (i) => { i.excludeGroups = ["Storage Users", "storage users"]; } },
    { resource: X, what: "excluding All users", input: "excludeUsers[0]", change: (i) => { i.excludeUsers = ["All"]; } },
    { resource: X, what: "a broken object id", input: "excludeGroups[0]", change: (i) => { i.excludeGroups = ["0a1b2c3d-0001-4000-8000-00000000001"]; } },
    { resource: X, what: "a malformed user principal name", input: "excludeUsers[0]", change: (i) => { i.excludeUsers = ["bob@"]; } },
    { resource: X, what: "an oversized exclusion list", input: "excludeGroups", change: (i) => { i.excludeGroups = Array.from({ length: 101 }, (_, n) => `Group ${n}`); }, reason: /at most 100/ },
    { resource: X, what: "nothing to exclude", input: "excludeApplications", change: (i) => { delete i.excludeGroups; } },
    { resource: X, what: "a certificate private key value", input: "graph.credential.certificatePem", change: (i) => { i.graph.credential = { type: "clientCertificate", clientId: lab.emulator.app.clientId, certificatePem: PEM_KEY }; }, secret: PEM_KEY },
    { resource: F, what: "a malformed AAGUID", input: "keyRestrictions.aaGuids[0]", change: (i) => { i.keyRestrictions = { isEnforced: true, enforcementType: "allow", aaGuids: ["cb69481e-8ff7-4039-93ec-0a2729a154a"] }; } },
    { resource: F, what: "key restrictions enforced with no AAGUID", input: "keyRestrictions.aaGuids", change: (i) => { i.keyRestrictions = { isEnforced: true, enforcementType: "allow", aaGuids: [] }; } },
    { resource: F, what: "a client secret value instead of a reference", input: "graph.credential.clientSecret", change: (i) => { i.graph.credential.clientSecret = "plain-secret-value-1234"; }, secret: "plain-secret-value-1234" },
];

/** The root program's config `cloudKerberosTrust`: validated before any resource is registered. */
const configRows: { what: string; input: string; change: (c: any) => void; secret?: string }[] = [
    { what: "a malformed domain", input: "cloudKerberosTrust.forests[0].domains[0].domain", change: (c) => { c.forests[0].domains[0].domain = "corp..lab.test"; } },
    { what: "one domain declared twice", input: "cloudKerberosTrust.forests[1].domains[0].domain", change: (c) => { c.forests[1].domains[0].domain = c.forests[0].domains[0].domain; } },
    { what: "a client secret value", input: "cloudKerberosTrust.graph.credential.clientSecret", change: (c) => { c.graph.credential.clientSecret = lab.secrets[lab.emulator.app.clientSecretEnv]; }, secret: lab.secrets[lab.emulator.app.clientSecretEnv] },
    { what: "an unknown credential type", input: "cloudKerberosTrust.graph.credential.type", change: (c) => { c.graph.credential = { type: "password" }; } },
    { what: "no forests", input: "cloudKerberosTrust.forests", change: (c) => { c.forests = []; } },
    { what: "wave 0", input: "cloudKerberosTrust.forests[0].wave", change: (c) => { c.forests[0].wave = 0; } },
];

beforeAll(async () => {
    ldap = await silentListener();
    host = await DynamicProviderHost.start({ cwd: REPO, env: lab.secrets });
    policyId = await seedForeignPolicy(lab, `rel-bad-ca-${run}`);
}, 60_000);

afterAll(async () => {
    await host?.stop();
    await ldap?.stop();
});

test.each(["AzureADKerberosServer", "CloudTrustPolicy", "HostToRealmMapping", "ConditionalAccessExclusion"] as Resource[])("the baseline %s passes check (so each row below fails for its own change)", async (r) => {
    expect((await host.check(urn(r), {}, base(r))).failures).toEqual([]);
});

test(`at least 40 bad inputs (${rows.length} resource inputs, ${configRows.length} stack config)`, () => {
    expect(rows.length + configRows.length).toBeGreaterThanOrEqual(40);
});

test.each(rows.map((r) => [r.resource, r.what, r] as const))("%s: %s is refused in check, naming it, with no network call", async (resource, what, row) => {
    let ok = false;
    try {
        const inputs = base(resource);
        row.change(inputs);
        const before = { graph: (await requestLog(lab)).length, ldap: ldap.connections() };
        const { failures } = await host.check(urn(resource), {}, inputs);
        const after = { graph: (await requestLog(lab)).length - 1, ldap: ldap.connections() }; // -1: our own first log read
        const hit = failures.find((f) => f.property === row.input);
        expect({ property: hit?.property, all: failures.map((f) => f.property) }).toMatchObject({ property: row.input });
        expect(hit!.reason).toContain(row.input.replace(/\[\d+\]$/, "").split(".").pop()!.replace(/\[\d+\]/g, ""));
        if (row.reason) expect(hit!.reason).toMatch(row.reason);
        if (row.secret) expect(JSON.stringify(failures)).not.toContain(row.secret.trim().split("\n")[1] ?? row.secret);
        expect(after).toEqual(before); // not one request, not one connection
        ok = true;
    } finally {
        record({ kind: "badInput", resource, input: `${row.input}: ${what}`, ok, how: "check" });
    }
});

test.each(configRows.map((r) => [r.what, r] as const))("stack config: %s is refused before any resource is registered, naming its path", (what, row) => {
    let ok = false;
    try {
        const config = JSON.parse(JSON.stringify(labStackConfig(lab)));
        expect(cloudKerberosTrustConfigErrors(config)).toEqual([]);
        row.change(config);
        const errors = cloudKerberosTrustConfigErrors(config);
        expect(errors.map((e) => e.path)).toContain(row.input);
        if (row.secret) expect(JSON.stringify(errors)).not.toContain(row.secret);
        ok = true;
    } finally {
        record({ kind: "badInput", resource: "stack config", input: `${row.input}: ${what}`, ok, how: "check" });
    }
});

// ---- what only the server can know: fails at create, with nothing changed ---------------------------
describe("inputs only the server can judge fail at create, with nothing changed", () => {
    const nested = `rel-nested-${run}`;
    const nestedDn = `CN=${nested},CN=Users,${contoso.baseDn}`;
    const admins = `CN=Domain Admins,CN=Users,${contoso.baseDn}`;

    beforeAll(async () => {
        await withAdminLdap(lab, contoso, async (c) => {
            await c.add(nestedDn, { objectClass: "group", sAMAccountName: nested });
            await c.modify(admins, [new Change({ operation: "add", modification: new Attribute({ type: "member", values: [nestedDn] }) })]);
        });
    });
    afterAll(async () => {
        await withAdminLdap(lab, contoso, async (c) => {
            await c.modify(admins, [new Change({ operation: "delete", modification: new Attribute({ type: "member", values: [nestedDn] }) })]).catch(() => undefined);
            await c.del(nestedDn).catch(() => undefined);
        });
    });

    /** The tenant and the DC as a snapshot: compared before and after each refused create. */
    async function world() {
        const s = await tenantState(lab);
        return { dc: await readDc(lab, contoso), cloud: cloudRecord(lab, contoso.domain) ?? null, policies: s.configurationPolicies, deviceConfigurations: s.deviceConfigurations, ca: s.policies };
    }

    const serverRows: [Resource, string, RegExp, () => Record<string, any>][] = [
        [K, "an unknown group in allowedGroups", /allowedGroups\[1\]/, () => ({ ...realServer(), allowedGroups: ["Domain Users", `No Such Group ${run}`] })],
        [K, "a group nested in Domain Admins in allowedGroups", /allowedGroups: rel-nested-\w+ .*is nested in Domain Admins/, () => ({ ...realServer(), allowedGroups: [nested] })],
        [C, "an ambiguous group name in assignments", /assignments\.includeGroups\[0\]: 2 groups are named "Helpdesk Operators"/, () => ({ ...base(C), assignments: { includeGroups: ["Helpdesk Operators"] } })],
        [C, "an unknown group in assignments", /assignments\.excludeGroups\[0\]: no group is named/, () => ({ ...base(C), assignments: { excludeGroups: [`No Such Group ${run}`] } })],
        [H, "an unknown group in assignments", /assignments\.includeGroups\[0\]: no group is named/, () => ({ ...base(H), assignments: { includeGroups: [`No Such Group ${run}`] } })],
        [X, "an unknown policy name", /policy: no Conditional Access policy is named exactly "No Such Policy \w+"/, () => ({ ...base(X), policy: `No Such Policy ${run}` })],
        [X, "an ambiguous policy name", /policy: 2 Conditional Access policies are named "rel-twin-\w+": .*give the id/, () => ({ ...base(X), policy: `rel-twin-${run}` })],
        [X, "an ambiguous group name", /excludeGroups\[0\] "Helpdesk Operators": 2 groups are named/, () => ({ ...base(X), excludeGroups: ["Helpdesk Operators"] })],
        [X, "an unknown user", /excludeUsers\[0\] "nobody-\w+@entrakerberoslab\.onmicrosoft\.com"/, () => ({ ...base(X), excludeUsers: [`nobody-${run}@entrakerberoslab.onmicrosoft.com`] })],
    ];

    function realServer(): Record<string, any> {
        return withProvider(K, { ...serverArgs(lab, contoso), driftReasons: [] });
    }

    beforeAll(async () => {
        await seedForeignPolicy(lab, `rel-twin-${run}`);
        await seedForeignPolicy(lab, `rel-twin-${run}`);
    });

    test.each(serverRows.map(([r, what, re, make]) => [r, what, re, make] as const))("%s: %s", async (resource, what, expected, make) => {
        let ok = false;
        try {
            const before = await world();
            const mark = (await requestLog(lab)).length;
            // A resource may look names up as early as check (ConditionalAccessExclusion does, so a
            // preview of a new one fails); the others learn it at create. Either way: refused, named.
            const checked = await host.check(urn(resource), {}, make());
            const refusal = checked.failures.length > 0
                ? checked.failures.map((f) => `${f.property}: ${f.reason}`).join("\n")
                : await host.create(urn(resource), checked.inputs).then(() => "created!", (err: any) => String(err?.details ?? err));
            expect(refusal).toMatch(expected);
            expect(await world()).toEqual(before); // nothing changed, on the DC, in Intune, in CA
            const writes = (await requestLog(lab)).slice(mark).filter((r) => r.method !== "GET" && !/oauth2|\/lab\/kerberos\/get/.test(r.path));
            expect(writes).toEqual([]);
            ok = true;
        } finally {
            record({ kind: "badInput", resource, input: what, ok, how: "server" });
        }
    });

    test("the seeded policy is untouched by all of it", async () => {
        expect(await policyExclusions(lab, policyId)).toEqual({ groups: [SEED.groups.breakGlassAdmins], apps: [], users: [] });
    });
});

test("the provider host's own output (its stderr) carries no secret, though secrets were given as values above", () => {
    const secrets = [...Object.entries(lab.secrets).map(([name, value]) => ({ name, value })), { name: "the SSH key given as a value", value: PEM_KEY }, { name: "the cloud password given as a value", value: "Cloud-Pa55-value" }];
    expect(scanForSecrets("dynamic-provider host stderr (bad inputs)", host.stderr.join(""), secrets)).toEqual([]);
});
