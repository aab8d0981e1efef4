// A loopback TCP delay proxy for the benchmark: each listener forwards to one domain controller's
// LDAPS port and holds every chunk, in each direction, for a fixed one-way delay before passing it
// on. A request/response exchange therefore pays 2 × oneWayMs (one RTT) however the client batches
// its writes, and TLS passes through untouched (the client still verifies the DC's certificate; it
// connects to the proxy's address, so it must name the DC with tlsServerName).
//
// Run as a child process (`node bin/bench/delay-proxy.js`), so that the crypto of the code under test
// never delays the proxy's timers and the proxy's memory is not counted as the bench process's.
// Protocol: one JSON config line on stdin, then one command per line; answers one JSON line each.
import * as net from "node:net";
import * as readline from "node:readline";

export interface ProxyTarget {
    host: string;
    port: number;
}

export interface ProxyConfig {
    /** loopback address every listener binds (ports are ephemeral) */
    listenHost: string;
    /** listener i forwards to targets[i] */
    targets: ProxyTarget[];
    /** delay of each chunk in each direction; an exchange pays twice this */
    oneWayMs: number;
}

/** What the wire saw, for checking that latency was paid where the bench says it was. */
export interface ProxyStats {
    connections: number;
    /** server→client turns: how many times the server answered after the client spoke (≈ RTTs paid) */
    serverTurns: number;
    bytesToServer: number;
    bytesToClient: number;
}

export function emptyStats(): ProxyStats {
    return { connections: 0, serverTurns: 0, bytesToServer: 0, bytesToClient: 0 };
}

/**
 * One direction of one connection: chunks leave in arrival order, each no earlier than its arrival
 * plus the delay. A single timer serves the queue's head, so order is kept whatever the timer jitter.
 */
class DelayedPipe {
    private readonly queue: { due: number; data: Buffer | null }[] = [];
    private timer: NodeJS.Timeout | undefined;

    constructor(private readonly to: net.Socket, private readonly delay: () => number) {}

    /** `null` = the sender finished: end the other side once everything before it has left. */
    push(data: Buffer | null): void {
        this.queue.push({ due: Date.now() + this.delay(), data });
        if (!this.timer) this.schedule();
    }

    private schedule(): void {
        const head = this.queue[0];
        if (!head) { this.timer = undefined; return; }
        this.timer = setTimeout(() => this.flush(), Math.max(0, head.due - Date.now()));
    }

    private flush(): void {
        const now = Date.now();
        while (this.queue.length && this.queue[0].due <= now) {
            const { data } = this.queue.shift()!;
            if (this.to.destroyed) { this.queue.length = 0; break; }
            if (data === null) this.to.end();
            else this.to.write(data);
        }
        this.schedule();
    }

    clear(): void {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        this.queue.length = 0;
    }
}

export class DelayProxy {
    private servers: net.Server[] = [];
    private readonly sockets = new Set<net.Socket>();
    private oneWayMs: number;
    stats: ProxyStats = emptyStats();

    constructor(private readonly config: ProxyConfig) {
        this.oneWayMs = config.oneWayMs;
    }

    setDelay(oneWayMs: number): void {
        this.oneWayMs = oneWayMs;
    }

    /** Starts one listener per target; resolves with their ports, in target order. */
    async start(): Promise<number[]> {
        const ports: number[] = [];
        for (const target of this.config.targets) {
            const server = net.createServer((client) => this.accept(client, target));
            await new Promise<void>((resolve, reject) => {
                server.once("error", reject);
                server.listen(0, this.config.listenHost, () => resolve());
            });
            this.servers.push(server);
            ports.push((server.address() as net.AddressInfo).port);
        }
        return ports;
    }

    private accept(client: net.Socket, target: ProxyTarget): void {
        this.stats.connections++;
        const server = net.connect(target.port, target.host);
        client.setNoDelay(true);
        server.setNoDelay(true);
        this.sockets.add(client).add(server);
        const delay = () => this.oneWayMs;
        const toServer = new DelayedPipe(server, delay);
        const toClient = new DelayedPipe(client, delay);
        let lastFromServer = true; // the client speaks first
        client.on("data", (d: Buffer) => { this.stats.bytesToServer += d.length; lastFromServer = false; toServer.push(d); });
        server.on("data", (d: Buffer) => {
            this.stats.bytesToClient += d.length;
            if (!lastFromServer) this.stats.serverTurns++;
            lastFromServer = true;
            toClient.push(d);
        });
        client.on("end", () => toServer.push(null));
        server.on("end", () => toClient.push(null));
        const close = () => {
            toServer.clear(); toClient.clear();
            client.destroy(); server.destroy();
            this.sockets.delete(client); this.sockets.delete(server);
        };
        client.on("close", close);
        server.on("close", close);
        client.on("error", close);
        server.on("error", close);
    }

    async stop(): Promise<void> {
        for (const s of this.sockets) s.destroy();
        await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
        this.servers = [];
    }
}

type Command = { cmd: "delay"; oneWayMs: number } | { cmd: "stats" } | { cmd: "reset" } | { cmd: "stop" };

/** Child-process entry: config line, then commands (see the header). */
async function main(): Promise<void> {
    const lines = readline.createInterface({ input: process.stdin });
    const reply = (o: unknown) => process.stdout.write(JSON.stringify(o) + "\n");
    let proxy: DelayProxy | undefined;
    for await (const line of lines) {
        if (!line.trim()) continue;
        if (!proxy) {
            proxy = new DelayProxy(JSON.parse(line) as ProxyConfig);
            reply({ event: "listening", ports: await proxy.start() });
            continue;
        }
        const c = JSON.parse(line) as Command;
        switch (c.cmd) {
            case "delay": proxy.setDelay(c.oneWayMs); reply({ ok: true }); break;
            case "stats": reply({ stats: proxy.stats }); break;
            case "reset": proxy.stats = emptyStats(); reply({ ok: true }); break;
            case "stop": await proxy.stop(); reply({ ok: true }); process.exit(0);
        }
    }
    await proxy?.stop(); // stdin closed: the parent is gone
    process.exit(0);
}

if (require.main === module) {
    main().catch((e) => { process.stderr.write(`delay-proxy: ${(e as Error).message}\n`); process.exit(1); });
}
