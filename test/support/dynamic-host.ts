// Drives Pulumi's real dynamic-provider host (@pulumi/pulumi/cmd/dynamic-provider) over gRPC the
// way the engine does: Configure, Check, Diff, Create, Read, Update, Delete with the real
// `__provider` text. Message classes come from the package's own generated stubs so they match.
import * as grpc from "@grpc/grpc-js";
import { spawn, ChildProcess } from "node:child_process";
import * as path from "node:path";

const PKG = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const provrpc = require(path.join(PKG, "proto/provider_grpc_pb"));
const provproto = require(path.join(PKG, "proto/provider_pb"));
const enginerpc = require(path.join(PKG, "proto/engine_grpc_pb"));
const engineproto = require(path.join(PKG, "proto/engine_pb"));
const structproto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [PKG] }));
const emptyproto = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [PKG] }));

export const HOST_SCRIPT = path.join(PKG, "cmd/dynamic-provider/index.js");
export const DiffChanges = provproto.DiffResponse.DiffChanges as { DIFF_UNKNOWN: number; DIFF_NONE: number; DIFF_SOME: number };
const toStruct = (o: Record<string, unknown>) => structproto.Struct.fromJavaScript(o);

/** The host needs an engine address argument; it does not dial it today, but we serve logs anyway. */
async function startFakeEngine() {
    const logs: string[] = [];
    const server = new grpc.Server();
    server.addService(enginerpc.EngineService, {
        log: (call: any, cb: any) => { logs.push(call.request.getMessage()); cb(null, new emptyproto.Empty()); },
        getRootResource: (_: any, cb: any) => cb(null, new engineproto.GetRootResourceResponse()),
        setRootResource: (_: any, cb: any) => cb(null, new engineproto.SetRootResourceResponse()),
        startDebugging: (_: any, cb: any) => cb(null, new emptyproto.Empty()),
        requirePulumiVersion: (_: any, cb: any) => cb(null, new engineproto.RequirePulumiVersionResponse()),
    });
    const port = await new Promise<number>((res, rej) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
    return { address: `127.0.0.1:${port}`, logs, stop: () => new Promise<void>((r) => server.tryShutdown(() => r())) };
}

export class DynamicProviderHost {
    private constructor(
        private readonly proc: ChildProcess,
        private readonly client: any,
        private readonly engine: { stop(): Promise<void>; logs: string[] },
        readonly stderr: string[],
    ) {}

    /** Spawns the host in `cwd` (where `require` of the serialized provider resolves from). */
    static async start(opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<DynamicProviderHost> {
        const engine = await startFakeEngine();
        const proc = spawn(process.execPath, [HOST_SCRIPT, engine.address], {
            cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"],
        });
        const stderr: string[] = [];
        proc.stderr!.on("data", (d) => stderr.push(String(d)));
        const port = await new Promise<number>((resolve, reject) => {
            let buf = "";
            const timer = setTimeout(() => reject(new Error(`host printed no port: ${stderr.join("")}`)), 30_000);
            proc.stdout!.on("data", (d) => {
                buf += d;
                const m = buf.match(/^(\d+)\s*\n/);
                if (m) { clearTimeout(timer); resolve(Number(m[1])); }
            });
            proc.once("exit", (code) => { clearTimeout(timer); reject(new Error(`host exited ${code}: ${stderr.join("")}`)); });
        });
        const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        return new DynamicProviderHost(proc, client, engine, stderr);
    }

    private call<T = any>(method: string, req: unknown, deadlineMs = 60_000): Promise<T> {
        return new Promise((res, rej) =>
            this.client[method](req, { deadline: Date.now() + deadlineMs }, (e: unknown, r: T) => (e ? rej(e) : res(r))));
    }

    async configure(args: Record<string, unknown>) {
        const req = new provproto.ConfigureRequest();
        req.setArgs(toStruct(args)); // without args the host throws inside its handler and never answers
        req.setAcceptsecrets(true);
        req.setAcceptresources(true);
        const r = await this.call("configure", req);
        return { acceptSecrets: r.getAcceptsecrets() as boolean };
    }

    async check(urn: string, olds: object, news: object): Promise<{ inputs: Record<string, any>; failures: { property: string; reason: string }[] }> {
        const req = new provproto.CheckRequest();
        req.setUrn(urn); req.setOlds(toStruct(olds as any)); req.setNews(toStruct(news as any));
        const r = await this.call("check", req);
        return {
            inputs: r.getInputs().toJavaScript() as Record<string, any>,
            failures: r.getFailuresList().map((f: any) => ({ property: f.getProperty() as string, reason: f.getReason() as string })),
        };
    }

    async diff(id: string, urn: string, olds: object, news: object) {
        const req = new provproto.DiffRequest();
        req.setId(id); req.setUrn(urn); req.setOlds(toStruct(olds as any)); req.setNews(toStruct(news as any));
        const r = await this.call("diff", req);
        return {
            changes: r.getChanges() as number,
            replaces: r.getReplacesList() as string[],
            diffs: r.getDiffsList() as string[],
            deleteBeforeReplace: r.getDeletebeforereplace() as boolean,
        };
    }

    async create(urn: string, properties: object) {
        const req = new provproto.CreateRequest();
        req.setUrn(urn); req.setProperties(toStruct(properties as any)); req.setTimeout(120);
        const r = await this.call("create", req);
        return { id: r.getId() as string, properties: r.getProperties().toJavaScript() as Record<string, any> };
    }

    async read(id: string, urn: string, properties: object, inputs?: object) {
        const req = new provproto.ReadRequest();
        req.setId(id); req.setUrn(urn); req.setProperties(toStruct(properties as any));
        if (inputs) req.setInputs(toStruct(inputs as any));
        const r = await this.call("read", req);
        return {
            id: r.getId() as string,
            properties: r.getProperties()?.toJavaScript() as Record<string, any> | undefined,
            // the inputs a provider's read may return (the engine then diffs against them)
            inputs: r.getInputs()?.toJavaScript() as Record<string, any> | undefined,
        };
    }

    async update(id: string, urn: string, olds: object, news: object) {
        const req = new provproto.UpdateRequest();
        req.setId(id); req.setUrn(urn); req.setOlds(toStruct(olds as any)); req.setNews(toStruct(news as any)); req.setTimeout(120);
        const r = await this.call("update", req);
        return { properties: r.getProperties().toJavaScript() as Record<string, any> };
    }

    async delete(id: string, urn: string, properties: object) {
        const req = new provproto.DeleteRequest();
        req.setId(id); req.setUrn(urn); req.setProperties(toStruct(properties as any)); req.setTimeout(120);
        await this.call("delete", req);
    }

    /** Stops the host we started, by its PID, and the fake engine. */
    async stop(): Promise<void> {
        this.client.close();
        if (this.proc.exitCode === null && this.proc.signalCode === null) {
            const exited = new Promise((r) => this.proc.once("exit", r));
            this.proc.kill("SIGTERM");
            await exited;
        }
        await this.engine.stop();
    }
}

export const GRPC_STATUS = grpc.status;
