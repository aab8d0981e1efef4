// TLS and access, through Pulumi's real dynamic-provider host against the reliability lab:
//   - TLS is verified by default on every connection the provider makes (LDAPS, Graph with its token
//     endpoint, the lab publisher): a certificate from a CA the input does not name fails closed,
//     with a message naming the input to fix, and nothing is sent or written; even with
//     NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment (a common "fix" in pipelines);
//   - least privilege: the Graph permissions table of each docs/resources/ page is the source of truth.
//     An app registered in the emulator with exactly those roles runs each resource through create,
//     read, update and delete; with one role taken away, the operation fails with a 403 naming the
//     missing permission.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { ensureLabCa } from "../../lab/ca";
import { readDc } from "../support/kerberos-lab";
import { DynamicProviderHost } from "../support/dynamic-host";
import { seedForeignPolicy } from "./support/ca";
import { cloudTrustArgs, exclusionArgs, graphConn, hostToRealmArgs, serverArgs } from "./support/inputs";
import { emulatorAdmin, forest, REPO, reliabilityLab, requestLog, tenantState } from "./support/lab";
import { readmePermissions } from "./support/readme";
import { propertyCheck } from "./support/results";
import { scanForSecrets } from "./support/secret-scan";
import { resourceUrn, withProvider, type Resource } from "./support/providers";

jest.setTimeout(180_000);

const lab = reliabilityLab();
const contoso = forest(lab, "contoso");
const run = randomBytes(3).toString("hex");
const otherCaDir = fs.mkdtempSync(path.join(os.tmpdir(), "reliability-other-ca-"));
const otherCa = fs.readFileSync(ensureLabCa(otherCaDir).certPath, "utf8"); // a real CA, just not the lab's

const urn = (r: Resource) => resourceUrn(r, "access");
/** every resource with a row in a docs/resources/ permissions table */
const RESOURCES: Resource[] = ["AzureADKerberosServer", "CloudTrustPolicy", "HostToRealmMapping", "ConditionalAccessExclusion", "Fido2SecurityKeyMethod"];

afterAll(() => fs.rmSync(otherCaDir, { recursive: true, force: true }));

/** Runs check + create as the engine would; resolves to the error text, or throws if it succeeded. */
async function refused(host: DynamicProviderHost, r: Resource, inputs: Record<string, any>): Promise<string> {
    const checked = await host.check(urn(r), {}, withProvider(r, inputs));
    if (checked.failures.length) return checked.failures.map((f) => `${f.property}: ${f.reason}`).join("\n");
    const created = await host.create(urn(r), checked.inputs).then(() => undefined, (e: any) => String(e?.details ?? e));
    if (created === undefined) throw new Error(`${r} was created; expected a refusal`);
    return created;
}

describe.each([["by default", {}], ["with NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment", { NODE_TLS_REJECT_UNAUTHORIZED: "0" }]])("TLS fails closed %s", (how, extraEnv) => {
    let host: DynamicProviderHost;
    beforeAll(async () => { host = await DynamicProviderHost.start({ cwd: REPO, env: { ...lab.secrets, ...extraEnv } }); });
    afterAll(() => host?.stop());

    const cases: [string, Resource, () => Record<string, any>, RegExp][] = [
        ["LDAPS with a certificate from another CA", "AzureADKerberosServer",
            () => { const a = serverArgs(lab, contoso); return { ...a, directory: { ...a.directory, caCertificate: otherCa } }; },
            /TLS verification failed for every directory URL .*Check directory\.caCertificate/],
        ["LDAPS with no caCertificate (public roots only)", "AzureADKerberosServer",
            () => { const a = serverArgs(lab, contoso); const { caCertificate: _, ...directory } = a.directory; return { ...a, directory }; },
            /TLS verification failed for every directory URL/],
        ["the lab publisher's certificate from another CA", "AzureADKerberosServer",
            () => { const a = serverArgs(lab, contoso); return { ...a, publisher: { ...a.publisher, caCertificate: otherCa } }; },
            /TLS verification failed.*publisher\.caCertificate|publisher\.caCertificate/],
        ["Graph (and its token endpoint) with a certificate from another CA", "CloudTrustPolicy",
            () => ({ ...cloudTrustArgs(lab, `rel-tls-${run}`), graph: { ...graphConn(lab), caCertificate: otherCa } }),
            /graph\.caCertificate|certificate .*not trusted|self.signed|unable to verify/i],
        ["Graph with no caCertificate (public roots only)", "HostToRealmMapping",
            () => { const { caCertificate: _, ...graph } = graphConn(lab); return { ...hostToRealmArgs(lab, `rel-tls-${run}`), graph }; },
            /graph\.caCertificate|certificate .*not trusted|self.signed|unable to verify/i],
    ];

    test.each(cases)("%s: refused, naming the input to fix; nothing sent, nothing written", async (name, r, make, expected) => {
        await propertyCheck("tls", `${name} fails closed ${how}`, async () => {
            const before = { log: (await requestLog(lab)).length, dc: await readDc(lab, contoso), intune: (await tenantState(lab)).configurationPolicies?.length };
            const text = await refused(host, r, make());
            expect(text).toMatch(expected);
            const sent = (await requestLog(lab)).slice(before.log + 1).filter((x) => !x.path.startsWith("/_emulator"));
            if (r === "AzureADKerberosServer") {
                // the Kerberos server reads its cloud side while LDAP fails: reads only, never a write
                expect(sent.filter((x) => !/openid-configuration|oauth2\/v2\.0\/token|\/lab\/kerberos\/get$/.test(x.path) && x.method !== "GET")).toEqual([]);
            } else {
                expect(sent).toEqual([]); // TLS failed before any HTTP: not one request reached the emulator
            }
            expect(await readDc(lab, contoso)).toEqual(before.dc);
            expect((await tenantState(lab)).configurationPolicies?.length).toBe(before.intune);
        });
    });
});

// ---- least privilege ---------------------------------------------------------------------------------

describe("least privilege: exactly the documented Graph permissions, per resource", () => {
    const perms = readmePermissions();
    let host: DynamicProviderHost;
    let policyId = "";
    const apps: Record<string, { clientId: string; secretEnv: string; secret: string }> = {};

    /** An app registration in the emulator with exactly these roles (and a client secret only the host's environment has). */
    async function app(label: string, roles: string[]) {
        const a = { clientId: randomUUID(), secretEnv: `REL_APP_${label.replace(/\W/g, "_").toUpperCase()}_SECRET`, secret: randomBytes(24).toString("base64url") };
        await emulatorAdmin(lab, "POST", "/_emulator/apps", { clientId: a.clientId, displayName: `reliability ${label}`, clientSecret: a.secret, roles });
        apps[label] = a;
        return a;
    }

    beforeAll(async () => {
        expect(Object.keys(perms).sort()).toEqual([...RESOURCES].sort());
        policyId = await seedForeignPolicy(lab, `rel-priv-ca-${run}`);
        for (const [r, roles] of Object.entries(perms)) {
            await app(r, roles);
            // the first permission taken away: the one the resource cannot do without
            await app(`${r}-minus-one`, roles.slice(1));
        }
        host = await DynamicProviderHost.start({ cwd: REPO, env: { ...lab.secrets, ...Object.fromEntries(Object.values(apps).map((a) => [a.secretEnv, a.secret])) } });
    });
    afterAll(() => host?.stop());

    const graphFor = (label: string) => graphConn(lab, apps[label]);
    const inputsFor = (r: Resource, label: string, step: 0 | 1): Record<string, any> => {
        switch (r) {
            case "AzureADKerberosServer": return serverArgs(lab, contoso, { graph: graphFor(label), allowedGroups: step ? ["Domain Users", "Domain Guests"] : ["Domain Users"] });
            case "CloudTrustPolicy": return { ...cloudTrustArgs(lab, `rel-priv-ctp-${label}-${run}`, step ? { description: "updated" } : {}), graph: graphFor(label) };
            case "HostToRealmMapping": return { ...hostToRealmArgs(lab, `rel-priv-h2r-${label}-${run}`, { assignments: { includeGroups: ["WHfB Pilot"] } }), graph: graphFor(label), ...(step ? { mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net", "files.contoso.lab.test"] }] } : {}) };
            case "ConditionalAccessExclusion": return { ...exclusionArgs(lab, `rel-priv-ca-${run}`, {
                excludeApplications: ["[Storage Account] labstorage.file.core.windows.net"], excludeGroups: step ? ["Storage Users", "WHfB Pilot"] : ["Storage Users"], excludeUsers: ["bob@entrakerberoslab.onmicrosoft.com"],
            }), graph: graphFor(label) };
            // the tenant's one FIDO2 configuration: only pilot groups, so nothing of the lab's is changed for good
            case "Fido2SecurityKeyMethod": return { graph: graphFor(label), includeGroups: step ? ["WHfB Pilot Users", "WHfB Pilot"] : ["WHfB Pilot Users"] };
        }
    };
    const idOf = (r: Resource, created: { id: string }) => (r === "AzureADKerberosServer" ? contoso.domain : created.id);

    test.each(RESOURCES)(
        "%s: create, read, update and delete with exactly its documented permissions", async (r) => {
            await propertyCheck("privilege", `${r} works with exactly ${perms[r].join(", ")}`, async () => {
                const checked = await host.check(urn(r), {}, withProvider(r, inputsFor(r, r, 0)));
                expect(checked.failures).toEqual([]);
                const created = await host.create(urn(r), checked.inputs);
                const id = idOf(r, created);
                const read = await host.read(id, urn(r), created.properties);
                expect(read.properties).toBeDefined();
                const next = await host.check(urn(r), created.properties, withProvider(r, inputsFor(r, r, 1)));
                const updated = await host.update(id, urn(r), created.properties, next.inputs);
                await host.delete(id, urn(r), updated.properties);
            });
        });

    test.each(RESOURCES)(
        "%s: without its first documented permission, a 403 that names the missing permission", async (r) => {
            await propertyCheck("privilege", `${r} without ${perms[r][0]} fails with a clear 403`, async () => {
                const text = await refused(host, r, inputsFor(r, `${r}-minus-one`, 0));
                expect(text).toMatch(/403/);
                expect(text).toContain(perms[r][0]);
                expect(text).toMatch(/grant the app the Microsoft Graph application permission/);
            });
        });

    test("the provider host's own output carries none of the apps' secrets nor the lab's", () => {
        const secrets = [...Object.entries(lab.secrets), ...Object.entries(apps).map(([k, a]) => [`app ${k}`, a.secret])].map(([name, value]) => ({ name, value }));
        expect(scanForSecrets("dynamic-provider host stderr (least privilege)", host.stderr.join(""), secrets)).toEqual([]);
    });

    test("nothing was left behind", async () => {
        expect(await readDc(lab, contoso)).toMatchObject({ computers: [], krbtgts: [], scps: [] });
        const s = await tenantState(lab);
        expect((s.configurationPolicies ?? []).filter((p: any) => String(p.name).startsWith("rel-priv-"))).toEqual([]);
        expect((s.deviceConfigurations ?? []).filter((p: any) => String(p.displayName).startsWith("rel-priv-"))).toEqual([]);
        expect(s.policies.find((p: any) => p.id === policyId)?.conditions.users.excludeGroups).toHaveLength(1);
    });
});
