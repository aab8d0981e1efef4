import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EmulatorRequest } from "../../../lab/emulator/types";
import { actorFromClaims, LabKerberosPublisher, publisherHandler } from "../../../lab/publisher";
import { labForestOf } from "../../../lab/samba/paths";

// No DC here: requests for the one known domain point at a port nothing listens on
// (127.0.0.39), so everything up to the LDAP connect is exercised without I/O beyond a refused connect.
const forest = { ...labForestOf({ name: "nodc", domain: "nodc.lab.test", ip: "127.0.0.39" }) };
const PASSWORD = "Very-Secret-Domain-Pw-123";

function request(method: string, subPath: string, body?: unknown, headers: Record<string, string> = {}, remoteAddress = "127.0.0.1"): EmulatorRequest {
    const url = new URL(`https://127.0.0.1:47443/lab/kerberos${subPath}`);
    return {
        method, path: `/lab/kerberos${subPath}`, subPath, url, query: url.searchParams, headers, body, rawBody: Buffer.from(JSON.stringify(body ?? "")),
        requestId: "r", clientRequestId: "c", remoteAddress, origin: "https://127.0.0.1:47443",
    };
}

describe("publisher HTTP surface", () => {
    let dir: string;
    let handler: ReturnType<typeof publisherHandler>;
    // like GraphEmulator.verifyAccessToken: claims for a good token, undefined otherwise (no exception)
    const tokens = { verifyAccessToken: async (h: string | undefined) => (h === "Bearer good" ? { appid: "app-1", oid: "sp-1" } : undefined) };

    beforeAll(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "kerbhttp-"));
        const pub = new LabKerberosPublisher({ forests: [forest], caPem: "", storePath: path.join(dir, "store.json"), auditSink: { recordDirectoryAudit: () => undefined }, timeoutMs: 2000 });
        handler = publisherHandler(pub, tokens);
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("requires the emulator's bearer token for set/get/remove", async () => {
        for (const route of ["/set", "/get", "/remove"]) {
            for (const headers of [{}, { authorization: "Bearer bad" }] as Record<string, string>[]) {
                const r = await handler(request("POST", route, { domain: forest.domain, domainCredential: { username: "a", password: PASSWORD } }, headers));
                expect(r?.status).toBe(401);
                expect((r?.body as any).error.code).toBe("InvalidAuthenticationToken");
            }
        }
        const throwing = publisherHandler(new LabKerberosPublisher({ forests: [], caPem: "", storePath: path.join(dir, "s2.json"), auditSink: { recordDirectoryAudit: () => undefined } }),
            { verifyAccessToken: () => { throw new Error("boom"); } });
        expect((await throwing(request("POST", "/get", {}, { authorization: "Bearer x" })))?.status).toBe(401);
    });

    it("validates the body and never echoes the password", async () => {
        const auth = { authorization: "Bearer good" };
        let r = await handler(request("POST", "/set", { domain: forest.domain }, auth));
        expect(r?.status).toBe(400);
        expect((r?.body as any).error.message).toMatch(/domainCredential/);
        r = await handler(request("POST", "/get", { domain: "elsewhere.test", domainCredential: { username: "a", password: PASSWORD } }, auth));
        expect(r?.status).toBe(404);
        expect((r?.body as any).error.message).toMatch(/^Failed to connect to domain: elsewhere.test is not a domain of this lab/);
        r = await handler(request("POST", "/get", { domain: forest.domain, domainCredential: { username: "a", password: PASSWORD } }, auth));
        expect(r?.status).toBe(502);
        expect((r?.body as any).error.code).toBe("DirectoryUnreachable");
        expect(JSON.stringify(r)).not.toContain(PASSWORD);
        r = await handler(request("GET", "/set", undefined, auth));
        expect(r?.status).toBe(405);
    });

    it("leaves unknown paths to the emulator", async () => {
        expect(await handler(request("POST", "/other", {}, { authorization: "Bearer good" }))).toBeUndefined();
    });

    it("fault injection is loopback-only and needs no token", async () => {
        let r = await handler(request("POST", "/faults", { domain: forest.domain, point: "afterAdObjects", times: 2 }));
        expect(r?.status).toBe(200);
        expect((r?.body as any).faults).toEqual([{ domain: forest.domain, point: "afterAdObjects", times: 2 }]);
        r = await handler(request("POST", "/faults", { domain: forest.domain, point: "bogus" }));
        expect(r?.status).toBe(400);
        r = await handler(request("DELETE", "/faults", undefined, {}, "::ffff:127.0.0.1"));
        expect((r?.body as any).faults).toEqual([]);
        r = await handler(request("POST", "/faults", { domain: forest.domain, point: "afterAdObjects" }, {}, "10.1.2.3"));
        expect(r?.status).toBe(403);
    });

    it("maps token claims to the audit actor", () => {
        expect(actorFromClaims({ appid: "a", oid: "o", app_displayname: "lab app" })).toEqual({ app: { appId: "a", servicePrincipalId: "o", displayName: "lab app" } });
        expect(actorFromClaims({ upn: "u@x", oid: "o", name: "U" })).toEqual({ user: { id: "o", userPrincipalName: "u@x", displayName: "U" } });
        expect(actorFromClaims(null)).toBeUndefined();
    });
});
