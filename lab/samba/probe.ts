// LDAPS readiness: a DC is "up" only when it answers a rootDSE search over TLS that verifies
// against the lab CA. An unverified probe could be answered by some other lab's DC on the same IP.
import * as net from "node:net";
import { Client } from "ldapts";
import { LabForest } from "../layout";

export interface LabLdapClientOptions {
    /** ms for the TCP+TLS connect (default 5000) */
    connectTimeoutMs?: number;
    /** ms per LDAP operation (default 10000) */
    timeoutMs?: number;
}

/**
 * An ldapts client for a lab DC with certificate verification on (lab CA only, IP SAN checked,
 * since the URL is the DC's IP). For lab tooling and tests; the product has its own connection code.
 */
export function labLdapClient(forest: LabForest, caPem: string, opts: LabLdapClientOptions = {}): Client {
    return new Client({
        url: forest.ldapsUrl,
        connectTimeout: opts.connectTimeoutMs ?? 5000,
        timeout: opts.timeoutMs ?? 10000,
        tlsOptions: { ca: [caPem], rejectUnauthorized: true, minVersion: "TLSv1.2" },
    });
}

/** One anonymous rootDSE search over verified LDAPS; resolves with defaultNamingContext, rejects on any failure. */
export async function ldapsRootDse(forest: LabForest, caPem: string, timeoutMs = 3000): Promise<{ defaultNamingContext: string; dnsHostName: string }> {
    const client = labLdapClient(forest, caPem, { connectTimeoutMs: timeoutMs, timeoutMs });
    try {
        const { searchEntries } = await client.search("", { scope: "base", filter: "(objectClass=*)", attributes: ["defaultNamingContext", "dnsHostName"] });
        const e = searchEntries[0];
        if (!e) throw new Error("empty rootDSE");
        return { defaultNamingContext: String(e.defaultNamingContext), dnsHostName: String(e.dnsHostName) };
    } finally {
        await client.unbind().catch(() => { /* connection may never have opened */ });
    }
}

export async function ldapsAnswers(forest: LabForest, caPem: string, timeoutMs = 3000): Promise<boolean> {
    try { await ldapsRootDse(forest, caPem, timeoutMs); return true; } catch { return false; }
}

/** True if anything accepts a TCP connection on ip:port (used to refuse starting a DC on a taken address). */
export function tcpPortAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
    return new Promise((resolve) => {
        const s = net.connect({ host, port });
        const done = (ok: boolean) => { s.destroy(); resolve(ok); };
        s.setTimeout(timeoutMs, () => done(false));
        s.once("connect", () => done(true));
        s.once("error", () => done(false));
    });
}
