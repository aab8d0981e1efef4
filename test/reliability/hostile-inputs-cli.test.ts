// Hostile inputs through the real Pulumi CLI (issue 14): `pulumi up` of a user program (the
// reliability program, which declares resources from stack config) whose every endpoint, the DC
// URLs and the Graph endpoint, authority and lab publisher, is a loopback listener that counts the
// TCP connections it accepts. For each hostile input, among them the three, the up must
// fail in check, naming the input, with not one connection accepted: counted at the socket, in
// this process, not by the provider. A valid server whose create does connect is the control that
// the listeners see what the provider host does. For the password in a DC URL, nothing in the
// stack's backend directory (state, history, backups) may hold the password.
// The declared resources travel as secret stack config, so the harness itself stores them only
// encrypted; a resource input that reached state would be in plain text there.
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import { rootCertificates } from "node:tls";
import type { TestStack } from "../support/stack";
import { failureText, PROGRAM, type Declared } from "./support/inputs";
import { record } from "./support/results";
import { createTestStack } from "../support/stack";

jest.setTimeout(600_000);

const PASSWORD = `Dc-Pa55-${randomBytes(9).toString("base64url")}`;
const CLIENT_SECRET = `Gr-${randomBytes(12).toString("base64url")}`;
const ENV = { HOSTILE_DC_PASSWORD: PASSWORD, HOSTILE_GRAPH_SECRET: CLIENT_SECRET };
const CA = rootCertificates[0];

interface Listener { url(scheme: string): string; accepted(): number; stop(): Promise<void> }

/** A loopback port that counts and closes every connection: what stands in for a DC or for Graph. */
async function countingListener(): Promise<Listener> {
    let accepted = 0;
    const server = net.createServer((s) => { accepted++; s.destroy(); });
    await new Promise<void>((resolve, reject) => { server.once("error", reject); server.listen(0, "127.0.0.1", resolve); });
    const port = (server.address() as net.AddressInfo).port;
    return { url: (scheme) => `${scheme}://127.0.0.1:${port}`, accepted: () => accepted, stop: () => new Promise((r) => server.close(() => r())) };
}

let dc: Listener, cloud: Listener;
let t: TestStack;

const graph = () => ({
    tenantId: "7b0f2c3e-5d1a-4c8e-9f60-1a2b3c4d5e6f",
    credential: { type: "clientSecret", clientId: "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c", clientSecret: { env: "HOSTILE_GRAPH_SECRET" } },
    graphEndpoint: cloud.url("https"), authorityHost: cloud.url("https"), caCertificate: CA,
});
const server = (extra: Record<string, unknown> = {}) => ({
    domain: "corp.lab.test",
    directory: { urls: [dc.url("ldaps")], username: "Administrator@corp.lab.test", password: { env: "HOSTILE_DC_PASSWORD" }, caCertificate: CA, timeoutMs: 3000 },
    publisher: { type: "lab", endpoint: `${cloud.url("https")}/lab/kerberos`, caCertificate: CA },
    graph: graph(), timeouts: { create: 60 },
    ...extra,
});
const policy = (extra: Record<string, unknown> = {}) => ({ graph: graph(), displayName: "WHfB cloud trust", ...extra });
const mapping = (extra: Record<string, unknown> = {}) => ({ graph: graph(), displayName: "Kerberos realms", mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }], ...extra });
const exclusion = (extra: Record<string, unknown> = {}) => ({ graph: graph(), policy: "Require MFA for all users", excludeGroups: ["Storage Users"], ...extra });

interface Case { resource: string; what: string; input: string; declared: () => Declared; secret?: string }
const cases: Case[] = [
    // the three
    { resource: "AzureADKerberosServer", what: "a DC URL with the password in its user-info", input: "directory.urls[0]", secret: PASSWORD,
        declared: () => ({ servers: [{ name: "hostile", args: server({ directory: { ...server().directory, urls: [dc.url("ldaps").replace("//", `//Administrator:${PASSWORD}@`)] } }) }] }) },
    { resource: "CloudTrustPolicy", what: "a displayName with BEL and ESC[2J", input: "displayName",
        declared: () => ({ cloudTrustPolicies: [{ name: "hostile", args: policy({ displayName: "WHfB \u0007\u001b[2J cloud trust" }) }] }) },
    { resource: "ConditionalAccessExclusion", what: "a 35-character policy GUID", input: "policy",
        declared: () => ({ exclusions: [{ name: "hostile", args: exclusion({ policy: "0a1b2c3d-0001-4000-8000-00000000001" }) }] }) },
    // more of each kind
    { resource: "AzureADKerberosServer", what: "the password as a plain value", input: "directory.password", secret: PASSWORD,
        declared: () => ({ servers: [{ name: "hostile", args: server({ directory: { ...server().directory, password: PASSWORD } }) }] }) },
    { resource: "AzureADKerberosServer", what: "LDAP filter syntax in a group name", input: "allowedGroups[0]",
        declared: () => ({ servers: [{ name: "hostile", args: server({ allowedGroups: ["*)(objectClass=*"] }) }] }) },
    { resource: "AzureADKerberosServer", what: "a homoglyph domain", input: "domain",
        declared: () => ({ servers: [{ name: "hostile", args: server({ domain: "соrp.lab.test" }) }] }) },
    { resource: "CloudTrustPolicy", what: "a Graph endpoint with a client secret in its user-info", input: "graph.graphEndpoint", secret: CLIENT_SECRET,
        declared: () => ({ cloudTrustPolicies: [{ name: "hostile", args: policy({ graph: { ...graph(), graphEndpoint: cloud.url("https").replace("//", `//app:${CLIENT_SECRET}@`) } }) }] }) },
    { resource: "HostToRealmMapping", what: "a host with a bidi override", input: "mappings[0].hosts[0]",
        declared: () => ({ hostToRealmMappings: [{ name: "hostile", args: mapping({ mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net\u202e"] }] }) }] }) },
    // the engine prints a failing top-level property's value: this one is reported on the resource, naming the key
    { resource: "HostToRealmMapping", what: "an unknown key holding the client secret", input: '"clientSecret" is not an input', secret: CLIENT_SECRET,
        declared: () => ({ hostToRealmMappings: [{ name: "hostile", args: mapping({ clientSecret: CLIENT_SECRET }) }] }) },
    { resource: "ConditionalAccessExclusion", what: "a broken object id in a list", input: "excludeGroups[0]",
        declared: () => ({ exclusions: [{ name: "hostile", args: exclusion({ excludeGroups: ["{0a1b2c3d-0001-4000-8000-000000000001}"] }) }] }) },
];

/** The declared resources as secret config: the harness's copy is stored encrypted, never in plain text. */
function secretConfig(d: Declared): Record<string, { value: string; secret: true }> {
    return Object.fromEntries((["servers", "cloudTrustPolicies", "hostToRealmMappings", "exclusions"] as const)
        .map((k) => [k, { value: JSON.stringify(d[k] ?? []), secret: true as const }]));
}

/** Every file of the stack's backend (state, history, backups), gunzipped where compressed, as one text. */
function backendText(dir: string): { files: number; text: string } {
    const out: string[] = [];
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else { const b = fs.readFileSync(p); out.push((p.endsWith(".gz") ? gunzipSync(b) : b).toString("utf8")); }
        }
    };
    walk(dir);
    return { files: out.length, text: out.join("\n") };
}

beforeAll(async () => {
    dc = await countingListener();
    cloud = await countingListener();
    t = await createTestStack({ programDir: PROGRAM, env: ENV, config: secretConfig({}) });
}, 120_000);

afterAll(async () => {
    await t?.stack.destroy().catch(() => undefined);
    await t?.dispose();
    await dc?.stop();
    await cloud?.stop();
}, 300_000);

test.each(cases.map((c) => [c.resource, c.what, c] as const))("%s: %s fails `pulumi up` in check, naming it, with no connection to the DCs or Graph", async (resource, what, c) => {
    let ok = false;
    try {
        await t.stack.setAllConfig(secretConfig(c.declared()));
        const before = { dc: dc.accepted(), cloud: cloud.accepted() };
        const text = await failureText(t.stack.up());
        expect({ dc: dc.accepted(), cloud: cloud.accepted() }).toEqual(before);
        expect(text).toContain(c.input);
        expect(text).toMatch(/failed|invalid|error/i);
        for (const s of [PASSWORD, CLIENT_SECRET]) expect(text).not.toContain(s);
        const created = (await t.exportState()).resources?.filter((r: any) => r.type.startsWith("pulumi-nodejs:dynamic/")) ?? [];
        expect(created).toEqual([]);
        if (c.secret) {
            const backend = backendText(path.join(t.dir, "state"));
            expect(backend.files).toBeGreaterThan(0);
            expect(backend.text.includes(c.secret)).toBe(false);
        }
        ok = true;
    } finally {
        record({ kind: "badInput", resource, input: `${c.input}: ${what} (pulumi up, connections counted at the listener)`, ok, how: "check" });
    }
});

test("the control: a valid server's create does connect, and the DC listener counts it", async () => {
    await t.stack.setAllConfig(secretConfig({ servers: [{ name: "valid", args: server() }] }));
    const before = dc.accepted();
    const text = await failureText(t.stack.up());
    expect(dc.accepted()).toBeGreaterThan(before);
    expect(text).toMatch(/no domain controller answered/);
    for (const s of [PASSWORD, CLIENT_SECRET]) expect(text).not.toContain(s);
});
