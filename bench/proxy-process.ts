// Starts the delay proxy (delay-proxy.ts) as a child process and talks to it over its stdin/stdout
// line protocol. One command at a time: each waits for its one-line answer.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import type { ProxyConfig, ProxyStats } from "./delay-proxy";

export interface ProxyHandle {
    /** listener ports, in the order of config.targets */
    ports: number[];
    pid: number;
    setDelay(oneWayMs: number): Promise<void>;
    stats(): Promise<ProxyStats>;
    resetStats(): Promise<void>;
    stop(): Promise<void>;
}

export async function startProxyProcess(config: ProxyConfig): Promise<ProxyHandle> {
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [path.join(__dirname, "delay-proxy.js")], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => { stderr += String(d); });
    const waiting: ((line: string) => void)[] = [];
    const rl = readline.createInterface({ input: child.stdout });
    rl.on("line", (line) => waiting.shift()?.(line));
    const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`delay proxy exited (${code}): ${stderr.trim()}`))));
    exited.catch(() => undefined);
    const send = (o: unknown): Promise<any> => {
        const answer = new Promise<string>((resolve) => waiting.push(resolve));
        child.stdin.write(JSON.stringify(o) + "\n");
        return Promise.race([answer, exited]).then((l) => JSON.parse(l));
    };
    const first = await send(config);
    if (first.event !== "listening") throw new Error(`delay proxy: unexpected answer ${JSON.stringify(first)}`);
    return {
        ports: first.ports,
        pid: child.pid!,
        setDelay: async (oneWayMs) => { await send({ cmd: "delay", oneWayMs }); },
        stats: async () => (await send({ cmd: "stats" })).stats,
        resetStats: async () => { await send({ cmd: "reset" }); },
        stop: async () => {
            if (child.exitCode !== null) return;
            const gone = new Promise<void>((r) => child.once("exit", () => r()));
            child.stdin.write(JSON.stringify({ cmd: "stop" }) + "\n");
            await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
            if (child.exitCode === null) child.kill("SIGTERM");
        },
    };
}
