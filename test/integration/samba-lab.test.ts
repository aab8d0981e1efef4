// Integration test of lab/samba: two real Samba AD DCs on loopback, in a temporary lab dir and on
// addresses (127.0.0.22/23) that the default lab (127.0.0.2-4) never uses, so a developer's
// running lab is not touched. Needs root (apt-get install on first run, samba binds :389/:636).
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client, NoSuchObjectError } from "ldapts";
import { ensureLabCa } from "../../lab/ca";
import { ForestSpec, LabForest } from "../../lab/layout";
import {
    dcPaths, dcStatus, labLdapClient, ldapsRootDse, readLabCaPem, resetForest, startDc, stopDc, upForests,
} from "../../lab/samba";

jest.setTimeout(180_000);

const SPECS: ForestSpec[] = [
    { name: "alpha", domain: "alpha.lab.test", ip: "127.0.0.22" },
    { name: "beta", domain: "beta.lab.test", ip: "127.0.0.23" },
];
const LDAP_PORTS = ["389", "636", "3268", "3269"];

// Random per run; meets AD complexity (upper, lower, digit, symbol).
const passwords: Record<string, string> = Object.fromEntries(
    SPECS.map((s) => [s.name, `Lab-${crypto.randomBytes(12).toString("base64url")}-9a`]));

let labDir: string;
let forests: LabForest[] = [];
let caPem: string;
const timings: string[] = [];
const log = (s: string) => timings.push(s);

const byName = (name: string) => forests.find((f) => f.name === name)!;

async function withAdmin<T>(forest: LabForest, fn: (c: Client) => Promise<T>): Promise<T> {
    const c = labLdapClient(forest, caPem);
    try {
        await c.bind(forest.adminUpn, passwords[forest.name]);
        return await fn(c);
    } finally {
        await c.unbind().catch(() => {});
    }
}

/** Live (non-zombie) samba processes whose working dir is inside `dir` (startDc runs each DC there). */
function sambaProcessesUnder(dir: string): string[] {
    const out: string[] = [];
    for (const pid of fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
        try {
            const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
            if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
            const exe = fs.readlinkSync(`/proc/${pid}/exe`);
            const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
            if (path.basename(exe).startsWith("samba") && (cwd === dir || cwd.startsWith(dir + "/"))) out.push(`${pid} ${cwd}`);
        } catch { /* gone, or a kernel thread */ }
    }
    return out;
}

/** `ss -ltnp` lines (local address, pids) of listeners owned by the given process group. */
function listenersOfGroup(pgid: number): string[] {
    const members = new Set(execFileSync("ps", ["-o", "pid=", "-g", String(pgid)], { encoding: "utf8" }).split(/\s+/).filter(Boolean));
    return execFileSync("ss", ["-ltnpH"], { encoding: "utf8" }).split("\n").filter((line) =>
        [...line.matchAll(/pid=(\d+)/g)].some((m) => members.has(m[1]))).map((line) => line.split(/\s+/)[3]);
}

/** Every command line on the machine, to prove the admin password never shows up in `ps`. */
function allCmdlines(): string {
    let all = "";
    for (const pid of fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
        try { all += fs.readFileSync(`/proc/${pid}/cmdline`, "utf8") + "\n"; } catch { /* gone */ }
    }
    return all;
}

beforeAll(async () => {
    labDir = fs.mkdtempSync(path.join(os.tmpdir(), "samba-lab-it-"));
    // Watch `ps` while provisioning runs: the password goes to samba-tool through stdin only.
    let leaked = false;
    let sawProvision = false; // proves the sampling overlapped samba-tool's run
    const watcher = setInterval(() => {
        const all = allCmdlines();
        if (all.includes("samba-tool\0domain\0provision")) sawProvision = true;
        if (Object.values(passwords).some((pw) => all.includes(pw))) leaked = true;
    }, 20);
    const t0 = Date.now();
    try {
        forests = await upForests(labDir, SPECS, passwords, log);
    } finally {
        clearInterval(watcher);
    }
    log(`upForests (install check + 2 provisions in parallel + 2 starts): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(leaked).toBe(false);
    expect(sawProvision).toBe(true);
    caPem = readLabCaPem(labDir);
}, 180_000);

afterAll(async () => {
    if (labDir) {
        for (const f of forests) await stopDc(labDir, f);
        const left = sambaProcessesUnder(labDir);
        fs.rmSync(labDir, { recursive: true, force: true });
        expect(left).toEqual([]);
        for (const s of SPECS) {
            const listening = execFileSync("ss", ["-ltnH", "src", s.ip], { encoding: "utf8" }).trim();
            expect(listening).toBe("");
        }
    }
    // one summary line block; jest shows it with the test output
    console.log(`samba lab timings:\n  ${timings.join("\n  ")}`);
});

test("two DCs run at once, each answering verified LDAPS on its own IP as its own domain", async () => {
    expect(forests.map((f) => f.name)).toEqual(["alpha", "beta"]);
    for (const forest of forests) {
        const st = await dcStatus(labDir, forest);
        expect(st).toMatchObject({ running: true, ldapsOk: true });
        expect(forest.ldapsUrl).toBe(`ldaps://${forest.ip}:636`);
        expect(forest.adminPasswordEnv).toBe(`LAB_${forest.name.toUpperCase()}_ADMIN_PASSWORD`);

        await withAdmin(forest, async (c) => {
            const { searchEntries: [root] } = await c.search("", { scope: "base", attributes: ["defaultNamingContext", "dnsHostName"] });
            expect(root.defaultNamingContext).toBe(forest.baseDn);
            expect(root.dnsHostName).toBe(forest.dcHostName);
            const { searchEntries: admins } = await c.search(forest.baseDn, { scope: "sub", filter: "(sAMAccountName=Administrator)", attributes: ["sAMAccountName"] });
            expect(admins.map((e) => e.dn)).toEqual([forest.adminDn]);
        });
    }
});

test("each DC listens on its own loopback address only", () => {
    for (const forest of forests) {
        const pid = Number(fs.readFileSync(dcPaths(labDir, forest.name).launcherPid, "utf8"));
        const addrs = listenersOfGroup(pid);
        expect(new Set(addrs)).toEqual(new Set(LDAP_PORTS.map((p) => `${forest.ip}:${p}`)));
    }
});

test("TLS fails closed: a certificate from another CA, or no CA at all, is refused", async () => {
    const otherCa = fs.readFileSync(ensureLabCa(path.join(labDir, "other-lab")).certPath, "utf8");
    const alpha = byName("alpha");
    await expect(ldapsRootDse(alpha, otherCa)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    const noCa = new Client({ url: alpha.ldapsUrl, connectTimeout: 3000, tlsOptions: { rejectUnauthorized: true } });
    await expect(noCa.bind(alpha.adminUpn, passwords.alpha)).rejects.toThrow(/unable to verify|self[- ]signed|certificate/i);
    await noCa.unbind().catch(() => {});
});

test("stopping one DC leaves the other answering; it starts again", async () => {
    const [alpha, beta] = [byName("alpha"), byName("beta")];
    let t = Date.now();
    await stopDc(labDir, alpha);
    log(`stopDc alpha: ${((Date.now() - t) / 1000).toFixed(2)} s`);

    expect(await dcStatus(labDir, alpha)).toEqual({ running: false, ldapsOk: false });
    expect(sambaProcessesUnder(dcPaths(labDir, "alpha").dir)).toEqual([]);
    expect(fs.existsSync(dcPaths(labDir, "alpha").launcherPid)).toBe(false);
    await expect(ldapsRootDse(alpha, caPem)).rejects.toThrow(/ECONNREFUSED/);
    expect(await dcStatus(labDir, beta)).toMatchObject({ running: true, ldapsOk: true });
    await stopDc(labDir, alpha); // stopping a stopped DC is a no-op

    t = Date.now();
    const pid = await startDc(labDir, alpha);
    log(`startDc alpha (restart): ${((Date.now() - t) / 1000).toFixed(2)} s`);
    expect(await dcStatus(labDir, alpha)).toEqual({ running: true, pid, ldapsOk: true });
    expect(await startDc(labDir, alpha)).toBe(pid); // already running: same process
});

test("upForests again reuses the provisioned domains and the running DCs", async () => {
    const before = await Promise.all(forests.map((f) => dcStatus(labDir, f)));
    const markers = forests.map((f) => fs.statSync(dcPaths(labDir, f.name).provisioned).mtimeMs);
    const t = Date.now();
    const again = await upForests(labDir, SPECS, {}, log); // no passwords: nothing may need provisioning
    log(`upForests again (nothing to do): ${((Date.now() - t) / 1000).toFixed(2)} s`);
    expect(again).toEqual(forests);
    const after = await Promise.all(forests.map((f) => dcStatus(labDir, f)));
    expect(after.map((s) => s.pid)).toEqual(before.map((s) => s.pid));
    expect(forests.map((f) => fs.statSync(dcPaths(labDir, f.name).provisioned).mtimeMs)).toEqual(markers);
});

test("reset brings a domain back to its just-provisioned state and leaves the other alone", async () => {
    const [alpha, beta] = [byName("alpha"), byName("beta")];
    const probeDn = (f: LabForest) => `OU=reset-probe,${f.baseDn}`;
    const exists = (f: LabForest) => withAdmin(f, (c) => c.search(probeDn(f), { scope: "base", attributes: ["ou"] })
        .then(() => true, (e) => { if (e instanceof NoSuchObjectError) return false; throw e; }));
    for (const f of [alpha, beta]) {
        await withAdmin(f, (c) => c.add(probeDn(f), { objectClass: ["top", "organizationalUnit"], ou: "reset-probe" }));
        expect(await exists(f)).toBe(true);
    }

    const t = Date.now();
    await resetForest(labDir, alpha);
    log(`resetForest alpha (stop + restore + start): ${((Date.now() - t) / 1000).toFixed(2)} s`);

    expect(await exists(alpha)).toBe(false);
    expect(await exists(beta)).toBe(true);
    expect(await dcStatus(labDir, alpha)).toMatchObject({ running: true, ldapsOk: true });
});

test("no admin password in the DCs' logs", () => {
    for (const f of forests) {
        const logDir = dcPaths(labDir, f.name).logDir;
        for (const file of fs.readdirSync(logDir)) {
            expect(fs.readFileSync(path.join(logDir, file), "utf8")).not.toContain(passwords[f.name]);
        }
    }
});
