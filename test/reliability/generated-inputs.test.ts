// Generated hostile inputs (issue 14): for every string-, number- and list-valued input of every
// resource, and every object input's keys, fast-check generates hostile values (support/hostile.ts)
// and runs the resource's real `check` (the provider object the dynamic-provider host calls). For
// each value:
// - check returns (it never throws), and makes no network call: a socket-level counter and a
//   loopback listener that every endpoint input points at both stay at 0 (support/io-counter.ts);
// - no error repeats a secret planted in the value (a URL's user-info, a plain value where a
//   reference belongs, an unknown key's value);
// - what check accepts carries no planted secret (it would be stored in state) and passes the
//   guards the later operations apply before their first request (URL parsing, the PowerShell
//   quoting, the ssh target, TLS contexts, Graph endpoints, the host-to-realm payload, the
//   WaveGate verdict): nothing accepted fails later for a reason check could have known.
// Fixed seed, a bounded number of runs per input; no lab is used (the suite's global setup starts
// one for the other files).
import fc from "fast-check";
import { Client } from "ldapts";
import { createSecureContext, rootCertificates } from "node:tls";
import { validateDirectoryConnection } from "../../provider/ad/connection";
import { ProviderError } from "../../provider/core/errors";
import { resolveEndpoints } from "../../provider/graph/endpoints";
import { encodeHostToRealm } from "../../provider/intune/host-to-realm";
import { normalizeDomain } from "../../provider/kerberos/model";
import { validateDomainName, validateUserPrincipalName } from "../../provider/publisher/powershell-quote";
import { validateSshTarget } from "../../provider/publisher/powershell-ssh";
import { azureADKerberosServerProvider } from "../../provider/resources/azure-ad-kerberos-server-impl";
import { cloudTrustPolicyProvider } from "../../provider/resources/cloud-trust-policy-impl";
import { conditionalAccessExclusionImpl } from "../../provider/resources/conditional-access-exclusion-impl";
import { hostToRealmMappingProvider } from "../../provider/resources/host-to-realm-mapping-impl";
import { waveGateProvider } from "../../provider/resources/wave-gate-impl";
import { hostileList, hostileNumber, hostileSecretRef, hostileString, SECRET, unknownKey } from "./support/hostile";
import { startIoCounter, type IoCounter } from "./support/io-counter";
import { record } from "./support/results";

jest.setTimeout(120_000);

const RUNS = 200;
const SEED = 14;
const CA = rootCertificates[0];
const GUID = "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c";
const PEM_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";

type Kind = "string" | "url" | "number" | "list" | "secret" | "object";
/** One input of a resource: where it is in the inputs and what kind of value it takes (`urls`: a list of URLs). */
interface Spec { path: string; kind: Kind; urls?: true }

interface Subject {
    resource: string;
    /** valid inputs: each run replaces one input of them */
    base: (io: IoCounter) => Record<string, any>;
    specs: Spec[];
    check: (news: Record<string, any>) => Promise<{ inputs?: any; failures?: { property: string; reason: string }[] }>;
    /** what the later operations check before their first request, on inputs check accepted */
    later: (inputs: any) => Promise<void> | void;
}

const graph = (io: IoCounter) => ({
    tenantId: "7b0f2c3e-5d1a-4c8e-9f60-1a2b3c4d5e6f",
    credential: { type: "clientSecret", clientId: GUID, clientSecret: { env: "GEN_GRAPH_SECRET" } },
    graphEndpoint: `https://${io.host}:${io.port}`, authorityHost: `https://${io.host}:${io.port}`, caCertificate: CA,
});
const GRAPH_SPECS: Spec[] = [
    { path: "graph", kind: "object" }, { path: "graph.credential", kind: "object" },
    { path: "graph.tenantId", kind: "string" }, { path: "graph.credential.type", kind: "string" }, { path: "graph.credential.clientId", kind: "string" }, { path: "graph.caCertificate", kind: "string" },
    { path: "graph.graphEndpoint", kind: "url" }, { path: "graph.authorityHost", kind: "url" }, { path: "graph.credential.clientSecret", kind: "secret" },
];
const ASSIGNMENT_SPECS: Spec[] = [
    { path: "assignments", kind: "object" }, { path: "assignments.includeGroups", kind: "list" }, { path: "assignments.excludeGroups", kind: "list" },
    { path: "assignments.includeGroups[0]", kind: "string" }, { path: "assignments.excludeGroups[0]", kind: "string" },
];

function laterGraph(g: any): void {
    if (g === undefined) return;
    resolveEndpoints(g);
    if (g.caCertificate !== undefined) createSecureContext({ ca: g.caCertificate });
}

const server = (publisher: (io: IoCounter) => Record<string, any>) => (io: IoCounter) => ({
    domain: "corp.lab.test",
    directory: { urls: [`ldaps://${io.host}:${io.port}`], username: "Administrator@corp.lab.test", password: { env: "GEN_DC_PASSWORD" }, caCertificate: CA, tlsServerName: "dc1.corp.lab.test", timeoutMs: 5000 },
    publisher: publisher(io), graph: graph(io),
    allowedGroups: ["Domain Users"], deniedGroups: ["Tier0"], keyRotation: { maxAgeDays: 180, trigger: "2026-Q4" }, timeouts: { create: 600, read: 120, update: 600, delete: 300 },
    listOwner: "entra-kerberos/reliability/gen", driftReasons: [],
});

const checkOf = (p: { check(olds: any, news: any): Promise<any> }, olds: any = {}) => (news: Record<string, any>) => p.check(olds, news);

async function laterServer(i: any): Promise<void> {
    validateDirectoryConnection({ ...i.directory, password: "resolved" });
    validateDomainName(normalizeDomain(i.domain));
    for (const ca of [i.directory.caCertificate, i.publisher.caCertificate]) if (ca !== undefined) createSecureContext({ ca });
    laterGraph(i.graph);
    if (i.publisher.type === "lab") new URL(i.publisher.endpoint);
    if (i.publisher.type === "powershell") {
        validateUserPrincipalName(i.publisher.cloudUserPrincipalName);
        if (i.publisher.shell?.type === "ssh") validateSshTarget({ ...i.publisher.shell, privateKeyPem: PEM_KEY });
    }
}

const SERVER_SPECS: Spec[] = [
    { path: "", kind: "object" }, { path: "directory", kind: "object" }, { path: "publisher", kind: "object" }, { path: "keyRotation", kind: "object" }, { path: "timeouts", kind: "object" },
    { path: "domain", kind: "string" }, { path: "directory.username", kind: "string" }, { path: "directory.caCertificate", kind: "string" },
    { path: "directory.tlsServerName", kind: "string" }, { path: "allowedGroups[0]", kind: "string" }, { path: "deniedGroups[0]", kind: "string" },
    { path: "keyRotation.trigger", kind: "string" }, { path: "listOwner", kind: "string" },
    { path: "directory.urls[0]", kind: "url" },
    { path: "directory.timeoutMs", kind: "number" }, { path: "keyRotation.maxAgeDays", kind: "number" },
    { path: "timeouts.create", kind: "number" }, { path: "timeouts.read", kind: "number" }, { path: "timeouts.update", kind: "number" }, { path: "timeouts.delete", kind: "number" },
    { path: "publisher.type", kind: "string" },
    { path: "directory.urls", kind: "list", urls: true }, { path: "allowedGroups", kind: "list" }, { path: "deniedGroups", kind: "list" }, { path: "driftReasons", kind: "list" },
    { path: "directory.password", kind: "secret" },
    ...GRAPH_SPECS,
];

const subjects: Subject[] = [
    {
        resource: "AzureADKerberosServer",
        base: server((io) => ({ type: "lab", endpoint: `https://${io.host}:${io.port}/lab/kerberos`, caCertificate: CA })),
        specs: [...SERVER_SPECS, { path: "publisher.endpoint", kind: "url" }, { path: "publisher.caCertificate", kind: "string" }],
        check: checkOf(azureADKerberosServerProvider), later: laterServer,
    },
    {
        // the same resource with the PowerShell publisher over ssh: its own inputs
        resource: "AzureADKerberosServer",
        base: server((io) => ({ type: "powershell", cloudUserPrincipalName: "admin@contoso.onmicrosoft.com", signIn: { mode: "password", password: { env: "GEN_CLOUD_PASSWORD" }, accountExcludedFromMfa: true },
            shell: { type: "ssh", host: io.host, user: "CORP\\admin", privateKey: { env: "GEN_SSH_KEY" }, port: io.port } })),
        specs: [
            { path: "publisher.shell", kind: "object" }, { path: "publisher.cloudUserPrincipalName", kind: "string" }, { path: "publisher.shell.type", kind: "string" }, { path: "publisher.shell.host", kind: "string" },
            { path: "publisher.shell.user", kind: "string" }, { path: "publisher.shell.port", kind: "number" },
            { path: "publisher.signIn.password", kind: "secret" }, { path: "publisher.shell.privateKey", kind: "secret" },
        ],
        check: checkOf(azureADKerberosServerProvider), later: laterServer,
    },
    {
        resource: "CloudTrustPolicy",
        base: (io) => ({ graph: graph(io), displayName: "WHfB cloud trust", description: "Cloud Kerberos trust\nfor the pilot", scope: "device", assignments: { includeGroups: ["WHfB Pilot"], excludeGroups: ["Break Glass Admins"] } }),
        specs: [{ path: "", kind: "object" }, { path: "displayName", kind: "string" }, { path: "description", kind: "string" }, { path: "scope", kind: "string" }, ...ASSIGNMENT_SPECS, ...GRAPH_SPECS],
        check: checkOf(cloudTrustPolicyProvider),
        later: (i) => { laterGraph(i.graph); if (!Array.isArray(i.settings)) throw new Error("accepted, but no setting lines were derived"); },
    },
    {
        resource: "HostToRealmMapping",
        base: (io) => ({ graph: graph(io), displayName: "Kerberos realms", mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }], assignments: { includeGroups: ["WHfB Pilot"], excludeGroups: ["Break Glass Admins"] } }),
        specs: [
            { path: "", kind: "object" }, { path: "mappings[0]", kind: "object" }, { path: "displayName", kind: "string" }, { path: "mappings[0].realm", kind: "string" },
            { path: "mappings[0].hosts[0]", kind: "string" }, { path: "mappings", kind: "list" }, { path: "mappings[0].hosts", kind: "list" }, ...ASSIGNMENT_SPECS, ...GRAPH_SPECS,
        ],
        check: checkOf(hostToRealmMappingProvider),
        later: (i) => { laterGraph(i.graph); encodeHostToRealm(i.mappings); },
    },
    {
        // an existing resource (olds hold its policyId): for a new one, check goes on to look the
        // names up in the directory once they are well-formed, by design; the e2e test
        // (hostile-inputs-cli.test.ts) covers that create path with a connection counter
        resource: "ConditionalAccessExclusion",
        base: (io) => ({ graph: graph(io), policy: "Require MFA for all users", excludeGroups: ["Storage Users"], excludeUsers: ["alice@contoso.onmicrosoft.com"], excludeApplications: ["Office365"] }),
        specs: [
            { path: "", kind: "object" }, { path: "policy", kind: "string" }, { path: "excludeGroups[0]", kind: "string" }, { path: "excludeUsers[0]", kind: "string" },
            { path: "excludeApplications[0]", kind: "string" }, { path: "excludeGroups", kind: "list" }, { path: "excludeUsers", kind: "list" }, { path: "excludeApplications", kind: "list" },
            ...GRAPH_SPECS,
        ],
        check: (news) => conditionalAccessExclusionImpl.check({ policyId: "0a1b2c3d-0001-4000-8000-000000000001", graph: news.graph }, news),
        later: (i) => laterGraph(i.graph),
    },
    {
        resource: "WaveGate",
        base: () => ({ wave: 1, domains: [{ name: "corp/corp.lab.test", inSync: true, driftReasons: ["key version on-prem 4020 ≠ cloud 4015"] }] }),
        specs: [
            { path: "", kind: "object" }, { path: "domains[0]", kind: "object" }, { path: "wave", kind: "number" }, { path: "domains", kind: "list" },
            { path: "domains[0].name", kind: "string" }, { path: "domains[0].driftReasons", kind: "list" }, { path: "domains[0].driftReasons[0]", kind: "string" },
        ],
        check: checkOf(waveGateProvider),
        // the verdict is create's job: a domain not in sync is its refusal; any other error is a miss of check
        later: async (i) => {
            await waveGateProvider.create(i).catch((e) => { if (!(e instanceof ProviderError && e.code === "WaveNotInSync")) throw e; });
        },
    },
];

// ---- paths ---------------------------------------------------------------------------------------

const segments = (p: string): (string | number)[] => (p === "" ? [] : p.split(/\.|(?=\[)/).map((s) => (s.startsWith("[") ? Number(s.slice(1, -1)) : s)));

function getAt(o: any, p: string): any {
    return segments(p).reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), o);
}

function setAt(o: any, p: string, value: unknown): void {
    const s = segments(p);
    const parent = s.slice(0, -1).reduce((v, k) => v[k], o);
    parent[s[s.length - 1]] = value;
}

/** Hostile values for one input, each applied to a copy of the base inputs. */
function hostileFor(spec: Spec, base: Record<string, any>, io: IoCounter): fc.Arbitrary<Record<string, any>> {
    const at = getAt(base, spec.path);
    const ctx = { base: at, host: io.host, port: io.port, secret: spec.kind === "url" || spec.urls ? SECRET : "not-a-secret-token" };
    const copy = () => JSON.parse(JSON.stringify(base));
    if (spec.kind === "object") {
        const keys = Object.keys(spec.path === "" ? base : at ?? {});
        return unknownKey.filter(([k]) => !keys.includes(k) && !k.startsWith("__")).map(([k, v]) => {
            const inputs = copy();
            (spec.path === "" ? inputs : getAt(inputs, spec.path))[k] = v;
            return inputs;
        });
    }
    const values: fc.Arbitrary<unknown> = spec.kind === "number" ? hostileNumber
        : spec.kind === "list" ? hostileList(ctx)
        : spec.kind === "secret" ? hostileSecretRef
        : hostileString(ctx);
    return values.map((v) => { const inputs = copy(); setAt(inputs, spec.path, v); return inputs; });
}

// What no accepted input may hold, written here independently of the grammar: characters that
// cannot be seen or that reorder text (line breaks and tabs only in free text and PEM), and
// values shaped like an id that are not one where an id or a name is taken (they would be looked up as names).
const UNSEEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
const LINE_BREAK = /[\r\n\t]/;
const FREE_TEXT = new Set(["description", "caCertificate", "driftReasons", "trigger"]);
const ID_OR_NAME = new Set(["policy", "excludeApplications", "excludeGroups", "excludeUsers", "includeGroups", "tenantId", "clientId"]);
const GUID_LIKE = /^[{(]?[0-9a-f-]{30,40}[})]?$/i;
const IS_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function acceptedTextProblems(v: unknown, key = "", out: string[] = []): string[] {
    if (typeof v === "string") {
        if (UNSEEN.test(v) || (!FREE_TEXT.has(key) && LINE_BREAK.test(v))) out.push(`${key}: an invisible or control character was accepted`);
        if (ID_OR_NAME.has(key) && GUID_LIKE.test(v) && v.includes("-") && !IS_GUID.test(v)) out.push(`${key}: a broken GUID was accepted`);
    } else if (Array.isArray(v)) v.forEach((x) => acceptedTextProblems(x, key, out));
    else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) if (k !== "__provider") acceptedTextProblems(x, k, out);
    return out;
}

/** A failure belongs to the input that was changed: that path, one inside it, or the object holding it. */
const related = (property: string, path: string) => path === "" || property === path || property.startsWith(path) || path.startsWith(property);

// ---- the runs ------------------------------------------------------------------------------------

let io: IoCounter;
const ENV = { GEN_GRAPH_SECRET: "gen-graph-secret-value", GEN_DC_PASSWORD: "gen-dc-password-value", GEN_CLOUD_PASSWORD: "gen-cloud-password", GEN_SSH_KEY: PEM_KEY };
/** Searched for in every error: the planted secret and the values the references resolve to (a PEM by its body line). */
const SECRETS = [SECRET, ...Object.values(ENV).map((v) => v.split("\n").find((l) => l.length >= 40) ?? v)];
const tally = new Map<string, { tried: number; refused: number; accepted: number; io: number; errorBytes: number; hits: number }>();

beforeAll(async () => {
    Object.assign(process.env, ENV);
    io = await startIoCounter();
});

afterAll(async () => {
    await io?.stop();
    for (const k of Object.keys(ENV)) delete process.env[k];
});

test("the witness sees a connection: the socket counter and the listener both count an HTTPS request and an LDAPS connect", async () => {
    const before = { connects: io.connects(), accepted: io.accepted() };
    await fetch(`https://${io.host}:${io.port}/`).catch(() => undefined);
    const ldap = new Client({ url: `ldaps://${io.host}:${io.port}`, connectTimeout: 2000 });
    await ldap.bind("cn=x", "y").catch(() => undefined);
    await ldap.unbind().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    expect(io.connects() - before.connects).toBeGreaterThanOrEqual(2);
    expect(io.accepted() - before.accepted).toBeGreaterThanOrEqual(2);
});

test.each(subjects.map((s) => [s.resource, s] as const))("the baseline %s passes check and the later guards", async (_r, s) => {
    const { failures, inputs } = await s.check(s.base(io));
    expect(failures ?? []).toEqual([]);
    await s.later(inputs);
});

for (const s of subjects) {
    describe(s.resource, () => {
        test.each(s.specs.map((spec) => [spec.path || "(top level)", spec.kind, spec] as const))("%s (%s): hostile values are refused in check or pass every later guard, with no I/O and no secret repeated", async (_p, _k, spec) => {
            const t = tally.get(s.resource) ?? { tried: 0, refused: 0, accepted: 0, io: 0, errorBytes: 0, hits: 0 };
            tally.set(s.resource, t);
            let tried = 0, refused = 0, ok = false;
            const before = { connects: io.connects(), accepted: io.accepted() };
            try {
                await fc.assert(fc.asyncProperty(hostileFor(spec, s.base(io), io), async (inputs) => {
                    tried++;
                    const result = await s.check(inputs);
                    const failures = result.failures ?? [];
                    const text = failures.map((f) => `${f.property}: ${f.reason}`).join("\n");
                    t.errorBytes += Buffer.byteLength(text);
                    const found = SECRETS.filter((v) => text.includes(v));
                    t.hits += found.length;
                    expect(found).toEqual([]);
                    if (failures.length > 0) {
                        t.refused++;
                        refused++;
                        expect(failures.some((f) => related(f.property, spec.path))).toBe(true);
                        // a reason names its input (the last part of its path)
                        for (const f of failures) expect(f.reason).toContain(String(segments(f.property).filter((x) => typeof x === "string").pop() ?? f.property));
                    } else {
                        t.accepted++;
                        expect(JSON.stringify(result.inputs)).not.toContain(SECRET); // it would be stored in state
                        expect(acceptedTextProblems(result.inputs)).toEqual([]);
                        await s.later(result.inputs);
                    }
                    expect({ connects: io.connects(), accepted: io.accepted() }).toEqual(before);
                }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
                ok = true;
            } finally {
                t.tried += tried;
                t.io += io.connects() - before.connects;
                record({ kind: "generated", resource: s.resource, input: spec.path || "(top level)", tried, refused, io: io.connects() - before.connects, ok });
            }
        });
    });
}

test("per resource: every generated input ran, none reached I/O; the errors were scanned for every secret", () => {
    expect([...tally.keys()].sort()).toEqual([...new Set(subjects.map((s) => s.resource))].sort());
    for (const [resource, t] of tally) {
        expect({ resource, io: t.io, all: t.refused + t.accepted }).toEqual({ resource, io: 0, all: t.tried });
        record({ kind: "secretScan", target: `generated-input errors (${resource})`, bytes: t.errorBytes, secrets: SECRETS.length, hits: t.hits });
    }
});
