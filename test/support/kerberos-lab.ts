// Lab fixtures for the AzureADKerberosServer tests (integration, contract, e2e): the resource's
// inputs for a lab forest, the lab publisher's fault hook, and independent checks of what is on the
// DC, done with a plain admin ldapts client, never the product's code.
import * as fs from "node:fs";
import * as path from "node:path";
import { Attribute, Change, Client } from "ldapts";
import { Agent, fetch } from "undici";
import type { LabForest, LabInfo } from "../../lab/layout";
import { createLabPublisher } from "../../provider/publisher/lab";
import { labCa, withAdminLdap } from "./lab";

export const SCP_CN = "900274c4-b7d2-43c8-90ee-00a9f650e335";

export function kerberosDns(forest: LabForest) {
    return {
        computer: `CN=AzureADKerberos,OU=Domain Controllers,${forest.baseDn}`,
        krbtgt: `CN=krbtgt_AzureAD,CN=Users,${forest.baseDn}`,
        scp: `CN=${SCP_CN},CN=AzureAD,CN=System,${forest.baseDn}`,
    };
}

/** The resource's inputs for one lab forest: SecretRefs to the lab's environment variables. */
export function labServerInputs(lab: LabInfo, forest: LabForest, extra: Record<string, unknown> = {}): Record<string, any> {
    const ca = labCa(lab);
    return {
        domain: forest.domain,
        directory: { urls: [forest.ldapsUrl], username: forest.adminUpn, password: { env: forest.adminPasswordEnv }, caCertificate: ca },
        publisher: { type: "lab", endpoint: lab.publisher.endpoint, caCertificate: ca },
        graph: {
            tenantId: lab.emulator.tenantId,
            credential: { type: "clientSecret", clientId: lab.emulator.app.clientId, clientSecret: { env: lab.emulator.app.clientSecretEnv } },
            graphEndpoint: lab.emulator.url, authorityHost: lab.emulator.url, caCertificate: ca,
        },
        ...extra,
    };
}

async function publisherAdmin(lab: LabInfo, method: "POST" | "DELETE", body?: unknown, query = ""): Promise<unknown> {
    const dispatcher = new Agent({ connect: { ca: [labCa(lab)] } });
    try {
        const res = await fetch(`${lab.publisher.endpoint}/faults${query}`, {
            method, dispatcher, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
        });
        const json = await res.json();
        if (!res.ok) throw new Error(`lab publisher faults ${method}: HTTP ${res.status} ${JSON.stringify(json)}`);
        return json;
    } finally {
        await dispatcher.close();
    }
}

/** Arms a fault in the lab publisher (lab/publisher/faults.ts), e.g. "afterAdObjects" once. */
export function injectPublisherFault(lab: LabInfo, domain: string, point: "afterAdObjects" | "afterRotation", times = 1): Promise<unknown> {
    return publisherAdmin(lab, "POST", { domain, point, times });
}

export function clearPublisherFaults(lab: LabInfo, domain: string): Promise<unknown> {
    return publisherAdmin(lab, "DELETE", undefined, `?domain=${encodeURIComponent(domain)}`);
}

export interface DcView {
    /** every object that is one of the three (by name, wherever it is): duplicates show up here */
    computers: string[];
    krbtgts: { dn: string; sAMAccountName: string; branchId: number }[];
    scps: string[];
    allowed: string[];
    denied: string[];
    keyVersion?: number;
}

/** What the DC holds, read independently (admin bind, plain searches). */
export async function readDc(lab: LabInfo, forest: LabForest): Promise<DcView> {
    return withAdminLdap(lab, forest, async (c: Client) => {
        const find = async (filter: string, attributes: string[]) => (await c.search(forest.baseDn, { scope: "sub", filter, attributes })).searchEntries;
        const computers = await find("(sAMAccountName=AzureADKerberos$)", ["msDS-RevealOnDemandGroup", "msDS-NeverRevealGroup"]);
        const krbtgts = await find("(&(objectClass=user)(msDS-SecondaryKrbTgtNumber=*))", ["sAMAccountName", "msDS-SecondaryKrbTgtNumber"]);
        const scps = await find(`(cn=${SCP_CN})`, ["1.1"]);
        const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
        return {
            computers: computers.map((e) => e.dn),
            krbtgts: krbtgts.map((e) => ({ dn: e.dn, sAMAccountName: String(e.sAMAccountName), branchId: Number(e["msDS-SecondaryKrbTgtNumber"]) })),
            scps: scps.map((e) => e.dn),
            allowed: list(computers[0]?.["msDS-RevealOnDemandGroup"]),
            denied: list(computers[0]?.["msDS-NeverRevealGroup"]),
        };
    });
}

/** A krbtgt password change made on the DC without publishing (what a generic krbtgt reset tool does). */
export async function rotateOutOfBand(lab: LabInfo, forest: LabForest): Promise<void> {
    const pw = `"OutOfBand-${Date.now()}-aA1!"`;
    await withAdminLdap(lab, forest, (c) => c.modify(kerberosDns(forest).krbtgt, [
        new Change({ operation: "replace", modification: new Attribute({ type: "unicodePwd", values: [Buffer.from(pw, "utf16le")] }) }),
    ]));
}

const CLAIMS_CONTAINER = (forest: LabForest) => `CN=EntraKerberosListClaims,CN=System,${forest.baseDn}`;

/** The allow/deny list claims on the DC: owner → keywords, read independently. */
export async function readListClaims(lab: LabInfo, forest: LabForest): Promise<Record<string, string[]>> {
    return withAdminLdap(lab, forest, async (c) => {
        const r = await c.search(CLAIMS_CONTAINER(forest), { scope: "one", filter: "(objectClass=serviceConnectionPoint)", attributes: ["description", "keywords"] })
            .catch((e) => { if (/no such object|0x20/i.test(String(e?.message))) return { searchEntries: [] }; throw e; });
        const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
        return Object.fromEntries(r.searchEntries.map((e) => [String(e.description), list(e.keywords).sort()]));
    });
}

/** Removes every list claim (and the lock) of a lab domain: a clean start after an interrupted run. */
export async function clearListClaims(lab: LabInfo, forest: LabForest): Promise<void> {
    await withAdminLdap(lab, forest, async (c) => {
        const r = await c.search(CLAIMS_CONTAINER(forest), { scope: "one", filter: "(objectClass=*)", attributes: ["1.1"] }).catch(() => ({ searchEntries: [] }));
        for (const e of r.searchEntries) await c.del(e.dn).catch(() => undefined);
        await c.del(CLAIMS_CONTAINER(forest)).catch(() => undefined);
    });
}

/** Replaces one PRP attribute by hand, as an admin with ADUC would. */
export async function editListByHand(lab: LabInfo, forest: LabForest, attr: "msDS-RevealOnDemandGroup" | "msDS-NeverRevealGroup", values: string[]): Promise<void> {
    await withAdminLdap(lab, forest, (c) => c.modify(kerberosDns(forest).computer, [new Change({ operation: "replace", modification: new Attribute({ type: attr, values }) })]));
}

/** The nine built-in denied groups' DNs in a lab domain (a forest root: all in CN=Users / CN=Builtin). */
export function builtinDeniedDns(forest: LabForest): string[] {
    return [
        "CN=Account Operators,CN=Builtin", "CN=Server Operators,CN=Builtin", "CN=Domain Admins,CN=Users", "CN=Cert Publishers,CN=Users",
        "CN=Enterprise Admins,CN=Users", "CN=Schema Admins,CN=Users", "CN=Domain Controllers,CN=Users", "CN=Backup Operators,CN=Builtin",
        "CN=Administrators,CN=Builtin",
    ].map((x) => `${x},${forest.baseDn}`);
}

/** Case-insensitive set comparison of DN lists. */
export function sameDnSet(a: string[], b: string[]): boolean {
    const n = (l: string[]) => [...new Set(l.map((x) => x.toLowerCase()))].sort().join("\n");
    return n(a) === n(b);
}

/**
 * The key version as a test reads it on its own: the originating USN of krbtgt_AzureAD's unicodePwd
 * stamp in replPropertyMetaData (MS-DRSR: 16-byte header, 48-byte entries; attid 0x0009005A at
 * offset 0, usnOriginating at 32), parsed here without the product's parser.
 */
export async function readKeyVersion(lab: LabInfo, forest: LabForest): Promise<number | undefined> {
    return withAdminLdap(lab, forest, async (c) => {
        const { searchEntries: [e] } = await c.search(kerberosDns(forest).krbtgt, { scope: "base", attributes: ["replPropertyMetaData"], explicitBufferAttributes: ["replPropertyMetaData"] });
        const blob = e?.replPropertyMetaData as Buffer | undefined;
        if (!blob) return undefined;
        for (let o = 16; o + 48 <= blob.length; o += 48) {
            if (blob.readUInt32LE(o) === 0x0009005a) return Number(blob.readBigInt64LE(o + 32));
        }
        return undefined;
    });
}

/** The lab's cloud record of a domain, read from the lab publisher's own store file. */
export function labCloudRecord(lab: LabInfo, domain: string): { branchId: number; keyVersion: number; domainDnsName: string; keyUpdatedOn: string } | undefined {
    const file = path.join(lab.labDir, "kerberos-domains.json");
    if (!fs.existsSync(file)) return undefined;
    return JSON.parse(fs.readFileSync(file, "utf8")).domains?.[domain.toLowerCase()];
}

/**
 * The lab publisher as an admin's run by hand would reach it (deferred sign-in): signed in with the
 * lab app's client credentials, not through the product's own credential code.
 */
export function labManualPublisher(lab: LabInfo) {
    const getToken = async (): Promise<string> => {
        const dispatcher = new Agent({ connect: { ca: [labCa(lab)] } });
        try {
            const res = await fetch(`${lab.emulator.url}/${lab.emulator.tenantId}/oauth2/v2.0/token`, {
                method: "POST", dispatcher, headers: { "content-type": "application/x-www-form-urlencoded" },
                body: new URLSearchParams({ grant_type: "client_credentials", client_id: lab.emulator.app.clientId,
                    client_secret: lab.secrets[lab.emulator.app.clientSecretEnv], scope: "https://graph.microsoft.com/.default" }),
            });
            return ((await res.json()) as { access_token: string }).access_token;
        } finally {
            await dispatcher.close();
        }
    };
    return createLabPublisher({ endpoint: lab.publisher.endpoint, caCertificate: labCa(lab), getToken });
}
