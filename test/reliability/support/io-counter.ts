// Counts network I/O at the socket level, below any code of the provider: every
// net.Socket#connect in this process (TCP and TLS clients, undici, ldapts, MSAL all end there), and
// every connection a loopback listener accepts. The listener stands in for every endpoint an input
// names (DC URLs, the Graph endpoint and authority, the lab publisher), so a connection that did
// happen is seen twice, and one to any other address is still seen by the socket counter.
import * as net from "node:net";

export interface IoCounter {
    /** connect() calls made by any socket of this process since start */
    connects(): number;
    /** connections the loopback listener accepted */
    accepted(): number;
    /** the listener's address, to put into every endpoint input */
    host: string;
    port: number;
    stop(): Promise<void>;
}

export async function startIoCounter(host = "127.0.0.1"): Promise<IoCounter> {
    let connects = 0, accepted = 0;
    const original = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (this: net.Socket, ...args: any[]) {
        connects++;
        return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof original;
    // accepts and closes at once: a provider that did connect fails fast instead of hanging the test
    const server = net.createServer((s) => { accepted++; s.destroy(); });
    await new Promise<void>((resolve, reject) => { server.once("error", reject); server.listen(0, host, resolve); });
    const port = (server.address() as net.AddressInfo).port;
    return {
        connects: () => connects,
        accepted: () => accepted,
        host, port,
        stop: async () => {
            net.Socket.prototype.connect = original;
            await new Promise<void>((r) => server.close(() => r()));
        },
    };
}
