// `npm run lab -- up | status | reset | down` end to end, on a second lab beside the default one
// (own directory, DCs on 127.0.0.50-52, emulator on port 47543): the acceptance of the lab itself.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { Client } from "ldapts";
import * as yaml from "js-yaml";
import { createGraphClient, graphRequest } from "../../provider/graph";
import { resolveSecret } from "../../provider/core/secrets";
import type { LabInfo } from "../../lab/layout";

const run = promisify(execFile);

/** Running, not a zombie waiting for this machine's init to reap it. */
function alive(pid: number): boolean {
    try { return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8")); } catch { return false; }
}
const REPO = path.resolve(__dirname, "../..");
const CLI = path.join(REPO, "bin/lab/cli.js");

describe("the lab CLI", () => {
    const labDir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-kerberos-lab-cli-"));
    const env = {
        ...process.env,
        ENTRA_KERBEROS_LAB_DIR: labDir,
        ENTRA_KERBEROS_LAB_IP_BASE: "127.0.0.50",
        ENTRA_KERBEROS_LAB_PORT: "47543",
        ENTRA_KERBEROS_LAB_STACK_DIR: labDir,
    };
    const lab = (cmd: string) => run(process.execPath, [CLI, cmd], { env, cwd: REPO });
    let info: LabInfo;
    const ca = () => fs.readFileSync(info.caCertPath, "utf8");
    const graph = () => createGraphClient({
        tenantId: info.emulator.tenantId,
        credential: { type: "clientSecret", clientId: info.emulator.app.clientId, clientSecret: { env: info.emulator.app.clientSecretEnv } },
        graphEndpoint: info.emulator.url, authorityHost: info.emulator.url, caCertificate: ca(),
    }, (ref) => resolveSecret(ref, undefined, { env: info.secrets }));

    afterAll(async () => {
        await lab("down").catch(() => undefined);
        fs.rmSync(labDir, { recursive: true, force: true });
    }, 60_000);

    test("up starts three forests and the emulator, and status says so", async () => {
        const up = await lab("up");
        info = JSON.parse(fs.readFileSync(path.join(labDir, "lab.json"), "utf8"));
        expect(info.forests.map((f) => f.ldapsUrl)).toEqual(["ldaps://127.0.0.50:636", "ldaps://127.0.0.51:636", "ldaps://127.0.0.52:636"]);
        expect(fs.statSync(path.join(labDir, "lab.json")).mode & 0o077).toBe(0); // it holds the lab secrets
        const status = (await lab("status")).stdout;
        expect(status.match(/LDAPS ok/g)).toHaveLength(3);
        expect(status).toMatch(/emulator https:\/\/127\.0\.0\.1:47543 .* healthy/);
        for (const secret of Object.values(info.secrets)) expect(up.stdout + up.stderr + status).not.toContain(secret);
    }, 240_000);

    test("every DC answers verified LDAPS with the lab CA, as its own domain", async () => {
        for (const f of info.forests) {
            const c = new Client({ url: f.ldapsUrl, tlsOptions: { ca: [ca()], rejectUnauthorized: true } });
            try {
                await c.bind(f.adminUpn, info.secrets[f.adminPasswordEnv]);
                const r = await c.search(f.baseDn, { filter: "(sAMAccountName=Administrator)", attributes: ["distinguishedName"] });
                expect(r.searchEntries[0].dn).toBe(f.adminDn);
            } finally { await c.unbind(); }
        }
    });

    test("a real ClientSecretCredential lists conditional access policies; no token gets 401", async () => {
        const gc = graph();
        try {
            const policies = await graphRequest(gc, { method: "GET", version: "v1.0", path: "/identity/conditionalAccess/policies" });
            expect(policies.value.length).toBeGreaterThan(0);
        } finally { await gc.close(); }
        const res = await fetch(`${info.emulator.url}/v1.0/identity/conditionalAccess/policies`, { dispatcher: new (require("undici").Agent)({ connect: { ca: ca() } }) } as any);
        expect(res.status).toBe(401);
        expect((await res.json()).error.code).toBe("InvalidAuthenticationToken");
    });

    test("the lab stack config points at the lab with secret references only", () => {
        const doc: any = yaml.load(fs.readFileSync(path.join(labDir, "Pulumi.lab.yaml"), "utf8"));
        const cfg = doc.config["pulumi-entra-kerberos:cloudKerberosTrust"];
        expect(cfg.forests.map((f: any) => f.domains[0].domain)).toEqual(["corp.lab.test", "fabrikam.lab.test", "contoso.lab.test"]);
        expect(cfg.forests[0].domains[0].directory.password).toEqual({ env: "LAB_CORP_ADMIN_PASSWORD" });
        const text = JSON.stringify(doc);
        for (const secret of Object.values(info.secrets)) expect(text).not.toContain(secret);
        // one CA entry for the seven connections (graph, three directories, three publishers)
        expect(cfg.caCertificate).toBe(ca());
        expect(text.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    });

    test("reset brings domains and tenant back to just-provisioned state", async () => {
        const corp = info.forests[0];
        const c = new Client({ url: corp.ldapsUrl, tlsOptions: { ca: [ca()], rejectUnauthorized: true } });
        await c.bind(corp.adminUpn, info.secrets[corp.adminPasswordEnv]);
        await c.add(`CN=before-reset,CN=Users,${corp.baseDn}`, { objectClass: "group", sAMAccountName: "before-reset" });
        await c.unbind();
        const gc = graph();
        const created = await graphRequest(gc, { method: "POST", version: "v1.0", path: "/identity/conditionalAccess/policies", body: {
            displayName: "made before reset", state: "disabled",
            conditions: { users: { includeUsers: ["All"] }, applications: { includeApplications: ["All"] } },
            grantControls: { operator: "OR", builtInControls: ["mfa"] },
        } });
        await gc.close();

        await lab("reset");

        const c2 = new Client({ url: corp.ldapsUrl, tlsOptions: { ca: [ca()], rejectUnauthorized: true } });
        await c2.bind(corp.adminUpn, info.secrets[corp.adminPasswordEnv]);
        const found = await c2.search(corp.baseDn, { filter: "(sAMAccountName=before-reset)" });
        await c2.unbind();
        expect(found.searchEntries).toHaveLength(0);
        const gc2 = graph();
        try {
            const list = await graphRequest(gc2, { method: "GET", version: "v1.0", path: "/identity/conditionalAccess/policies" });
            expect(list.value.map((p: any) => p.id)).not.toContain(created.id);
        } finally { await gc2.close(); }
    }, 120_000);

    test("down stops every process the lab started", async () => {
        const pidFiles = [path.join(labDir, "cloud.pid"), ...info.forests.map((f) => path.join(labDir, "dcs", f.name, "launcher.pid"))];
        const pids = pidFiles.map((f) => Number(fs.readFileSync(f, "utf8")));
        expect(pids.every((p) => alive(p))).toBe(true);
        await lab("down");
        expect(pids.filter(alive)).toEqual([]);
        // no samba process is left working in this lab's directory
        const leftovers = fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p)).filter((p) => {
            try { return fs.readlinkSync(`/proc/${p}/cwd`).startsWith(labDir); } catch { return false; }
        });
        expect(leftovers).toEqual([]);
        expect((await lab("status").catch((e) => e)).code).toBe(3);
    }, 60_000);
});
