// A TCP proxy on loopback between the provider and a lab DC's LDAPS port, for faults a DC cannot
// be asked to make: a connection dropped after exactly the client's k-th request. TLS stays end
// to end (the provider verifies the DC's certificate through it, with tlsServerName), so the proxy
// cannot read LDAP; it counts TLS records instead. Every LDAP request the client sends is one
// application-data record (type 23) after the handshake, and so is the TLS 1.3 client Finished,
// so "after k records" walks the operation one request at a time without knowing what each is.
import * as net from "node:net";

export interface DropPlan {
    /** forward this many application-data records of the client, then act on the next one */
    afterRecords: number;
    /**
     * "requestLost": drop without forwarding it; "answerLost": forward it, then drop the client;
     * "hold": keep it (and what follows) until `hold` resolves, then forward: the test stops the
     * DC meanwhile, so the operation meets a DC that died under it
     */
    mode: "requestLost" | "answerLost" | "hold";
    hold?: () => Promise<void>;
}

export class TlsRecordProxy {
    /** application-data records the client sent, per accepted connection (in order) */
    readonly records: number[] = [];
    /** which connection (0-based) to drop, and where; undefined forwards everything */
    plan?: { connection: number; drop: DropPlan };
    /** connections dropped by the plan so far */
    dropped = 0;
    private server?: net.Server;
    private readonly sockets = new Set<net.Socket>();

    constructor(private readonly target: { host: string; port: number }, private readonly host = "127.0.0.1") {}

    async start(): Promise<string> {
        const server = net.createServer((client) => this.accept(client));
        await new Promise<void>((resolve, reject) => { server.once("error", reject); server.listen(0, this.host, resolve); });
        this.server = server;
        return `ldaps://${this.host}:${(server.address() as net.AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        for (const s of this.sockets) s.destroy();
        await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    }

    /** Forgets the counts of earlier connections (a new operation starts at connection 0). */
    reset(plan?: { connection: number; drop: DropPlan }): void {
        this.records.length = 0;
        this.plan = plan;
    }

    private track(s: net.Socket): net.Socket {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => undefined); // a dropped peer is the point, not a failure of the proxy
        return s;
    }

    private accept(client: net.Socket): void {
        const index = this.records.push(0) - 1;
        const drop = this.plan?.connection === index ? this.plan.drop : undefined;
        const server = this.track(net.connect(this.target.port, this.target.host));
        this.track(client);
        server.pipe(client);
        let pending = Buffer.alloc(0);
        let done = false;
        client.on("data", (chunk: Buffer) => {
            if (done) return;
            pending = Buffer.concat([pending, chunk]);
            // forward whole records, counting application data, until the plan says stop
            while (pending.length >= 5) {
                const length = 5 + pending.readUInt16BE(3);
                if (pending.length < length) break;
                const record = pending.subarray(0, length);
                pending = pending.subarray(length);
                const appData = record[0] === 23;
                if (appData && drop && this.records[index] === drop.afterRecords) {
                    done = true;
                    this.dropped++;
                    if (drop.mode === "hold") {
                        const rest = Buffer.concat([record, pending]);
                        void (drop.hold ?? (async () => undefined))().finally(() => {
                            if (!server.destroyed) server.write(rest);
                            client.on("data", (more: Buffer) => { if (!server.destroyed) server.write(more); });
                        });
                        return;
                    }
                    if (drop.mode === "answerLost") {
                        server.write(record);
                        client.destroy();
                        setTimeout(() => server.destroy(), 500); // let the DC act on it first
                    } else {
                        client.destroy();
                        server.destroy();
                    }
                    return;
                }
                if (appData) this.records[index]++;
                server.write(record);
            }
        });
        client.on("close", () => { if (!done) server.end(); });
        server.on("close", () => client.destroy());
    }
}

/** A port that accepts TCP connections and never says a word (a DC whose LDAP service hangs). */
export async function silentListener(host = "127.0.0.1"): Promise<{ url: string; connections: () => number; stop: () => Promise<void> }> {
    const sockets = new Set<net.Socket>();
    let count = 0;
    const server = net.createServer((s) => { count++; sockets.add(s); s.on("error", () => undefined); s.on("close", () => sockets.delete(s)); });
    await new Promise<void>((resolve, reject) => { server.once("error", reject); server.listen(0, host, resolve); });
    return {
        url: `ldaps://${host}:${(server.address() as net.AddressInfo).port}`,
        connections: () => count,
        stop: async () => { for (const s of sockets) s.destroy(); await new Promise<void>((r) => server.close(() => r())); },
    };
}

/** A loopback port nothing listens on (connections are refused), found by binding and releasing it. */
export async function deadPort(host = "127.0.0.1"): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    return port;
}
