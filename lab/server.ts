// The lab's cloud side as one process (started by `lab up`, stopped by PID on `lab down`): the Graph
// emulator on https://127.0.0.1:47443 with the lab Kerberos publisher mounted at /lab/kerberos.
// Settings come from .lab/lab.json; the lab app's client secret arrives in the environment and is
// removed from it at once. Tenant state and KerberosDomain records persist under the lab dir, so a
// restarted lab keeps them (`lab reset` clears them).
import * as fs from "node:fs";
import { ensureLabCa, issueServerCert } from "./ca";
import { defaultLabDir, LabInfo, labJsonPath } from "./layout";
import { GraphEmulator, LAB_APP_SECRET_ENV, labApp } from "./emulator";
import { LabKerberosPublisher, PUBLISHER_MOUNT_PREFIX, publisherHandler } from "./publisher";
import { cloudStateFile, publisherStoreFile } from "./cloud";

async function main(): Promise<void> {
    const labDir = defaultLabDir();
    const lab: LabInfo = JSON.parse(fs.readFileSync(labJsonPath(labDir), "utf8"));
    const secret = process.env[LAB_APP_SECRET_ENV];
    delete process.env[LAB_APP_SECRET_ENV];
    if (!secret) throw new Error(`environment variable ${LAB_APP_SECRET_ENV} (the lab app's client secret) is not set`);

    const ca = ensureLabCa(labDir);
    const { hostname, port } = new URL(lab.emulator.url);
    const cert = issueServerCert(ca, "graph-emulator", ["localhost"], [hostname]);
    const emulator = new GraphEmulator({
        host: hostname, port: Number(port),
        certPath: cert.certPath, keyPath: cert.keyPath, caPath: ca.certPath,
        stateFile: cloudStateFile(labDir),
        apps: [labApp(secret)],
    });
    const publisher = new LabKerberosPublisher({
        forests: lab.forests,
        caPem: fs.readFileSync(ca.certPath, "utf8"),
        storePath: publisherStoreFile(labDir),
        auditSink: emulator,
        tenantId: emulator.tenantId,
    });
    emulator.mount(PUBLISHER_MOUNT_PREFIX, publisherHandler(publisher, emulator));
    const { url } = await emulator.start();
    // one JSON line, no secret: the CLI and tests read the actual URL from it (port 0 = ephemeral)
    process.stdout.write(JSON.stringify({ event: "listening", url, tenantId: emulator.tenantId, pid: process.pid }) + "\n");

    const stop = () => {
        emulator.stop().then(() => { process.stdout.write(JSON.stringify({ event: "stopped" }) + "\n"); process.exit(0); }, () => process.exit(1));
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
}

main().catch((e) => {
    process.stderr.write(`lab cloud: ${(e as Error).message}\n`);
    process.exit(1);
});
