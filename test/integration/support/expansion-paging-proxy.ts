// A loopback HTTPS proxy in front of the in-process Graph emulator that makes Graph page an
// *expanded* settings collection, which the emulator (following graph-apis.md §3) never does: on
// GET .../configurationPolicies/{id}?$expand=settings it keeps the first 25 settings and, in
// "nextLink" mode, adds `settings@odata.nextLink` pointing at the paged /settings collection; in
// "truncate" mode it drops the rest without a link (a service that under-reports). Everything else,
// tokens included, passes through unchanged. The emulator itself is not modified.
import * as fs from "node:fs";
import * as https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Agent } from "undici";
import { ensureLabCa, issueServerCert } from "../../../lab/ca";
import { encodeSkipToken } from "../../../lab/emulator/odata";

export type PagingMode = "nextLink" | "truncate";

export interface PagingProxy {
    url: string;
    /** expanded reads that were cut */
    cut: number;
    close(): Promise<void>;
}

const PAGE = 25;
const POLICY = /^\/beta\/deviceManagement\/configurationPolicies\/([0-9a-f-]{36})$/i;

export async function startPagingProxy(upstream: string, labDir: string, caPem: string, mode: PagingMode): Promise<PagingProxy> {
    const ca = ensureLabCa(labDir);
    const cert = issueServerCert(ca, "paging-proxy", ["localhost"], ["127.0.0.1"]);
    const dispatcher = new Agent({ connect: { ca: [caPem] } });
    const state = { cut: 0 };
    let origin = "";
    const server = https.createServer({ cert: fs.readFileSync(cert.certPath), key: fs.readFileSync(cert.keyPath) }, (req, res) => {
        forward(req, res).catch((e) => { res.statusCode = 502; res.end(String(e)); });
    });
    async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "content-length") headers[k] = v;
        delete headers.host;
        const r = await fetch(`${upstream}${req.url}`, {
            method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined, dispatcher,
        } as RequestInit);
        // links (@odata.nextLink, @odata.context) name the emulator's origin: point them at the proxy
        let body = Buffer.from(Buffer.from(await r.arrayBuffer()).toString("utf8").split(upstream).join(origin));
        const url = new URL(req.url ?? "/", origin);
        const m = POLICY.exec(url.pathname);
        if (req.method === "GET" && m && r.ok && /settings/i.test(url.searchParams.get("$expand") ?? "")) {
            const doc = JSON.parse(body.toString("utf8"));
            if (Array.isArray(doc.settings) && doc.settings.length > PAGE) {
                doc.settings = doc.settings.slice(0, PAGE);
                if (mode === "nextLink") {
                    doc["settings@odata.nextLink"] = `${origin}/beta/deviceManagement/configurationPolicies/${m[1]}/settings?$skiptoken=${encodeSkipToken(PAGE)}`;
                }
                state.cut++;
                body = Buffer.from(JSON.stringify(doc));
            }
        }
        const out: Record<string, string> = {};
        r.headers.forEach((v, k) => { if (k !== "content-length" && k !== "transfer-encoding" && k !== "content-encoding") out[k] = v; });
        res.writeHead(r.status, { ...out, "content-length": String(body.length) });
        res.end(body);
    }
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const addr = server.address();
    if (addr === null || typeof addr === "string") throw new Error("no address");
    origin = `https://127.0.0.1:${addr.port}`;
    return {
        url: origin,
        get cut() { return state.cut; },
        close: async () => {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
            await dispatcher.close();
        },
    };
}
