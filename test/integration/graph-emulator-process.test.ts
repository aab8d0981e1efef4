// The lab's cloud process (lab/server.ts: the emulator with the lab publisher): starts on loopback
// with the lab CA, takes the app secret from the environment without ever printing it, serves the
// real SDKs, persists state, exits on SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LAB_APP_CLIENT_ID, LAB_APP_SECRET_ENV } from "../../lab/emulator";
import { createGraphClient, graphListAll } from "../../provider/graph";
import { resolveSecret } from "../../provider/core/secrets";

const ROOT = path.resolve(__dirname, "..", "..");
const SERVER = path.join(ROOT, "lab/server.ts");

/** A lab directory with the lab.json the server reads: no forests, the emulator on an ephemeral port. */
function labDirWithoutForests(): string {
    const labDir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-cloud-proc-"));
    fs.writeFileSync(path.join(labDir, "lab.json"), JSON.stringify({
        version: 1, labDir, caCertPath: path.join(labDir, "ca", "ca.pem"), forests: [], secrets: {},
        emulator: { url: "https://127.0.0.1:0", tenantId: "", app: { clientId: LAB_APP_CLIENT_ID, clientSecretEnv: LAB_APP_SECRET_ENV, roles: [] } },
        publisher: { endpoint: "" },
    }));
    return labDir;
}

test("the lab cloud process listens, serves a token and Graph, never prints the secret, stops on SIGTERM", async () => {
    const labDir = labDirWithoutForests();
    const secret = randomBytes(24).toString("base64url");
    let out = "", err = "";
    const child: ChildProcess = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", SERVER], {
        cwd: ROOT, env: { ...process.env, ENTRA_KERBEROS_LAB_DIR: labDir, [LAB_APP_SECRET_ENV]: secret }, stdio: ["ignore", "pipe", "pipe"],
    });
    try {
        child.stderr!.on("data", (d) => (err += d));
        const listening = await new Promise<any>((resolve, reject) => {
            child.stdout!.on("data", (d) => {
                out += d;
                const line = out.split("\n").find((l) => l.includes('"listening"'));
                if (line) resolve(JSON.parse(line));
            });
            child.once("exit", (code) => reject(new Error(`emulator exited early (${code}): ${err}`)));
        });
        expect(listening.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

        process.env.TEST_PROC_SECRET = secret;
        const gc = createGraphClient({
            tenantId: listening.tenantId, graphEndpoint: listening.url, authorityHost: listening.url,
            caCertificate: fs.readFileSync(path.join(labDir, "ca", "ca.pem"), "utf8"),
            credential: { type: "clientSecret", clientId: LAB_APP_CLIENT_ID, clientSecret: { env: "TEST_PROC_SECRET" } },
        }, (ref) => resolveSecret(ref));
        try {
            const groups = await graphListAll(gc, { version: "v1.0", path: "/groups", query: { $filter: "displayName eq 'Storage Users'" } });
            expect(groups).toHaveLength(1);
        } finally {
            await gc.close();
        }

        const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
        child.kill("SIGTERM");
        expect(await exited).toBe(0);
        expect(out + err).not.toContain(secret);
        const state = fs.readFileSync(path.join(labDir, "tenant-state.json"), "utf8");
        expect(state).not.toContain(secret);
        expect(JSON.parse(state).tenantId).toBe(listening.tenantId);
    } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
        delete process.env.TEST_PROC_SECRET;
        fs.rmSync(labDir, { recursive: true, force: true });
    }
}, 30_000);

test("the lab cloud process refuses to start without the secret, naming the variable", async () => {
    const labDir = labDirWithoutForests();
    const env: NodeJS.ProcessEnv = { ...process.env, ENTRA_KERBEROS_LAB_DIR: labDir };
    delete env[LAB_APP_SECRET_ENV];
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", SERVER], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    fs.rmSync(labDir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(err).toContain(LAB_APP_SECRET_ENV);
}, 30_000);
