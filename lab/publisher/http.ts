// The publisher's HTTP surface, mounted by the lab on the Graph emulator's HTTPS server at
// /lab/kerberos. set/get/remove need the emulator's bearer token (the module's cloud credential)
// and carry the domain credential in the body (its -DomainCredential); faults are a loopback-only
// admin endpoint for tests. Responses are JSON; errors are {error: {code, message}}; nothing the
// caller sent as a password is ever echoed.
import type { EmulatorRequest, EmulatorResponse } from "../emulator/types";
import { ProviderError } from "../../provider/core/errors";
import { LabKerberosPublisher } from "./publisher";
import { AuditActor, TokenVerifier } from "./types";

export const PUBLISHER_MOUNT_PREFIX = "/lab/kerberos";

const STATUS: Record<string, number> = {
    BadRequest: 400,
    DirectoryConfigInvalid: 400,
    PlainLdapRefused: 400,
    InvalidAuthenticationToken: 401,
    DirectoryAuthFailed: 403,
    DirectoryAccessDenied: 403,
    Forbidden: 403,
    UnknownDomain: 404,
    NotFound: 404,
    MethodNotAllowed: 405,
    RotationTooSoon: 409,
    KerberosServerIncomplete: 409,
    DirectoryUnreachable: 502,
    DirectoryTlsFailed: 502,
    DirectoryWrongDomain: 502,
    DomainStrongAuthRequired: 502,
    DirectoryTimeout: 504,
};

function isLoopback(addr: string): boolean {
    const a = addr.replace(/^::ffff:/i, "");
    return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** Who the token says is calling, for the audit log's initiatedBy. */
export function actorFromClaims(claims: unknown): AuditActor | undefined {
    if (!claims || typeof claims !== "object") return undefined;
    const c = claims as Record<string, unknown>;
    const str = (k: string) => (typeof c[k] === "string" ? (c[k] as string) : undefined);
    const upn = str("upn") ?? str("preferred_username");
    if (upn) return { user: { id: str("oid"), userPrincipalName: upn, displayName: str("name") } };
    const appId = str("appid") ?? str("azp");
    if (appId) return { app: { appId, servicePrincipalId: str("oid"), displayName: str("app_displayname") } };
    return undefined;
}

function errorResponse(e: unknown, secrets: string[]): EmulatorResponse {
    const pe = e instanceof ProviderError ? e : new ProviderError("INTERNAL_ERROR", `lab Kerberos publisher failed: ${(e as Error)?.message ?? String(e)}`);
    let message = pe.message;
    for (const s of secrets) if (s) message = message.split(s).join("***");
    return { status: STATUS[pe.code] ?? 500, body: { error: { code: pe.code, message } } };
}

function ok(body: unknown): EmulatorResponse {
    return { status: 200, body };
}

/** The handler to mount at PUBLISHER_MOUNT_PREFIX (GraphEmulator.mount(prefix, handler)). */
export function publisherHandler(publisher: LabKerberosPublisher, tokens: TokenVerifier): (req: EmulatorRequest) => Promise<EmulatorResponse | undefined> {
    return async (req) => {
        const route = req.subPath.replace(/\/+$/, "") || "/";
        const body = (req.body && typeof req.body === "object" ? req.body : {}) as Record<string, any>;
        const secrets = [typeof body.domainCredential?.password === "string" ? body.domainCredential.password : ""];
        try {
            if (route === "/faults") {
                // test hook: only from this machine, no token (the lab's own admin surface)
                if (!isLoopback(req.remoteAddress)) throw new ProviderError("Forbidden", "fault injection is only available from loopback");
                if (req.method === "POST") {
                    publisher.faults.add({ domain: body.domain, point: body.point, times: body.times, delayMs: body.delayMs, at: body.at });
                    return ok({ faults: publisher.faults.list() });
                }
                if (req.method === "DELETE") {
                    publisher.faults.clear(req.query.get("domain") ?? undefined);
                    return ok({ faults: publisher.faults.list() });
                }
                if (req.method === "GET") return ok({ faults: publisher.faults.list() });
                throw new ProviderError("MethodNotAllowed", `${req.method} ${PUBLISHER_MOUNT_PREFIX}/faults is not supported`);
            }
            if (!["/set", "/get", "/remove"].includes(route)) return undefined; // not ours: the emulator answers 404
            if (req.method !== "POST") throw new ProviderError("MethodNotAllowed", `use POST ${PUBLISHER_MOUNT_PREFIX}${route}`);
            let claims: unknown;
            try {
                claims = await tokens.verifyAccessToken(req.headers.authorization);
            } catch (e) {
                claims = undefined;
            }
            // GraphEmulator.verifyAccessToken answers undefined (not an exception) for a bad token
            if (!claims) {
                throw new ProviderError("InvalidAuthenticationToken", "a valid bearer token from the lab's token endpoint is required (the cloud credential, like the module's -CloudCredential)");
            }
            const actor = actorFromClaims(claims);
            const domainReq = { domain: body.domain, domainCredential: body.domainCredential };
            switch (route) {
                case "/set":
                    return ok(await publisher.set({ ...domainReq, rotateServerKey: body.rotateServerKey === true, force: body.force === true }, actor));
                case "/get":
                    return ok(await publisher.get(domainReq));
                default:
                    return ok(await publisher.remove(domainReq, actor));
            }
        } catch (e) {
            return errorResponse(e, secrets);
        }
    };
}
