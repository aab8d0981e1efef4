// `npm run lab -- up | down | status | reset | env`: the local lab on loopback.
//   up      install Samba if needed, provision the lab forests once, start their DCs, start the
//           Graph emulator with the lab Kerberos publisher, write .lab/lab.json and Pulumi.lab.yaml
//   down    stop every process the lab started, by PID
//   status  what runs and where
//   reset   every domain and the emulator's tenant back to just-provisioned state
//   env     prints `export NAME=...` lines for the lab's secret references (for a shell: eval "$(...)")
import * as fs from "node:fs";
import { LabInfo, defaultLabDir, labEmulatorUrl, labForestSpecs, labJsonPath } from "./layout";
import { ensureLabCa } from "./ca";
import { ensureSecrets } from "./secrets";
import { upForests, stopDc, dcStatus, resetForest } from "./samba";
import { cloudStatus, startCloud, stopCloud, resetCloud } from "./cloud";
import { LAB_APP_CLIENT_ID, LAB_APP_ROLES, LAB_APP_SECRET_ENV, LAB_TENANT_ID } from "./emulator";
import { writeLabStackConfig } from "./stack-config";

const log = (s: string) => process.stderr.write(`${s}\n`);

function readLab(labDir: string): LabInfo | undefined {
    const file = labJsonPath(labDir);
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined;
}

function writeLab(lab: LabInfo): void {
    fs.writeFileSync(labJsonPath(lab.labDir), JSON.stringify(lab, null, 2) + "\n", { mode: 0o600 });
}

async function up(labDir: string): Promise<LabInfo> {
    const t0 = Date.now();
    fs.mkdirSync(labDir, { recursive: true, mode: 0o700 });
    const previous = readLab(labDir);
    const ca = ensureLabCa(labDir);
    const specs = labForestSpecs();
    const secrets = ensureSecrets(previous?.secrets, specs);
    const forests = await upForests(labDir, specs, secrets, log);
    const lab: LabInfo = {
        version: 1,
        labDir,
        caCertPath: ca.certPath,
        forests,
        emulator: {
            url: labEmulatorUrl(), tenantId: LAB_TENANT_ID,
            app: { clientId: LAB_APP_CLIENT_ID, clientSecretEnv: LAB_APP_SECRET_ENV, roles: [...LAB_APP_ROLES] },
        },
        publisher: { endpoint: "" },
        secrets,
    };
    writeLab(lab); // the cloud process reads its settings from here
    const cloud = await startCloud(lab, log);
    lab.emulator.pid = cloud.pid;
    lab.publisher = { endpoint: `${cloud.url}/lab/kerberos` };
    writeLab(lab);
    writeLabStackConfig(lab);
    log(`lab up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return lab;
}

async function down(labDir: string): Promise<void> {
    const lab = readLab(labDir);
    if (!lab) { log("no lab here"); return; }
    await stopCloud(lab);
    await Promise.all(lab.forests.map((f) => stopDc(labDir, f)));
    log("lab down: every lab process stopped");
}

async function status(labDir: string): Promise<boolean> {
    const lab = readLab(labDir);
    if (!lab) { console.log(`no lab in ${labDir} (run: npm run lab -- up)`); return false; }
    let allUp = true;
    console.log(`lab ${labDir}`);
    for (const f of lab.forests) {
        const s = await dcStatus(labDir, f);
        allUp &&= s.running && s.ldapsOk;
        console.log(`  forest ${f.name.padEnd(9)} ${f.domain.padEnd(20)} ${f.ldapsUrl.padEnd(24)} ${s.running ? `running pid ${s.pid}` : "stopped"}${s.running ? (s.ldapsOk ? ", LDAPS ok" : ", LDAPS not answering") : ""}`);
    }
    const c = await cloudStatus(lab);
    allUp &&= c.running && c.healthy;
    console.log(`  emulator ${lab.emulator.url || "-"} tenant ${lab.emulator.tenantId} ${c.running ? `running pid ${c.pid}` : "stopped"}${c.running ? (c.healthy ? ", healthy" : ", not answering") : ""}`);
    console.log(`  publisher ${lab.publisher.endpoint || "-"}`);
    console.log(`  CA ${lab.caCertPath}`);
    return allUp;
}

async function reset(labDir: string): Promise<void> {
    const lab = readLab(labDir);
    if (!lab) throw new Error(`no lab in ${labDir} (run: npm run lab -- up)`);
    await Promise.all(lab.forests.map((f) => resetForest(labDir, f)));
    lab.emulator.pid = await resetCloud(lab);
    writeLab(lab);
    log("lab reset: domains and tenant are back to just-provisioned state");
}

function env(labDir: string): void {
    const lab = readLab(labDir);
    if (!lab) throw new Error(`no lab in ${labDir} (run: npm run lab -- up)`);
    for (const [name, value] of Object.entries(lab.secrets)) console.log(`export ${name}='${value}'`);
}

async function main(): Promise<void> {
    const [command] = process.argv.slice(2);
    const labDir = defaultLabDir();
    switch (command) {
        case "up": await up(labDir); await status(labDir); return;
        case "down": return down(labDir);
        case "status": if (!(await status(labDir))) process.exitCode = 3; return;
        case "reset": return reset(labDir);
        case "env": return env(labDir);
        default:
            console.error("usage: npm run lab -- up | down | status | reset | env");
            process.exitCode = 2;
    }
}

if (require.main === module) {
    main().catch((e) => { console.error(`lab: ${e instanceof Error ? e.message : String(e)}`); process.exitCode = 1; });
}

export { up as labUp, down as labDown, readLab };
