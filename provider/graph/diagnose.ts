// MSAL reports TLS, issuer and discovery problems all as `endpoints_resolution_error`
// (azure-identity-local.md). When that happens we fetch the discovery document ourselves, with the
// same trust, to tell the user which of those it is. Fails closed: this only explains, never retries.
import type { Dispatcher } from "undici";
import { ProviderError } from "../core/errors";
import { isTlsCode } from "./errors";
import { networkCode } from "./transport";

export async function diagnoseAuthority(authorityHost: string, tenantId: string, dispatcher: Dispatcher | undefined, resource: string): Promise<ProviderError | undefined> {
    const url = `${authorityHost}/${encodeURIComponent(tenantId)}/v2.0/.well-known/openid-configuration`;
    let res: Response;
    try {
        res = await fetch(url, { signal: AbortSignal.timeout(5000), ...(dispatcher ? { dispatcher } : {}) } as RequestInit);
    } catch (e) {
        const code = networkCode(e);
        if (isTlsCode(code)) {
            return new ProviderError("GRAPH_TLS",
                `cannot get a token: the TLS certificate of the authority ${authorityHost} is not trusted (${code}); set graph.caCertificate to the PEM of the CA that issued it`,
                { resource, serviceCode: code, input: "graph.caCertificate" });
        }
        return new ProviderError("GRAPH_NETWORK", `cannot get a token: the authority ${authorityHost} is unreachable (${code}); check graph.authorityHost`,
            { resource, serviceCode: code, input: "graph.authorityHost", retryable: true });
    }
    if (res.status === 400 || res.status === 404) {
        return new ProviderError("GRAPH_AUTH", `cannot get a token: the authority ${authorityHost} does not know tenant "${tenantId}" (HTTP ${res.status}); check graph.tenantId`,
            { resource, httpStatus: res.status, input: "graph.tenantId" });
    }
    const doc = (await res.json().catch(() => undefined)) as { issuer?: string } | undefined;
    if (res.ok && typeof doc?.issuer === "string" && new URL(doc.issuer).host !== new URL(authorityHost).host) {
        return new ProviderError("GRAPH_AUTH", `cannot get a token: the authority's issuer ${new URL(doc.issuer).origin} does not match graph.authorityHost ${authorityHost}`,
            { resource, input: "graph.authorityHost" });
    }
    return undefined;
}
