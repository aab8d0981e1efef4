// The GitHub Actions OIDC token, exchanged by Entra for an app token (federated credential).
// The workflow needs `permissions: id-token: write`; the runner then exposes a request URL and a
// bearer for it. A fresh token is fetched on every call because these tokens are short-lived.
import type { Dispatcher } from "undici";
import { ProviderError } from "../core/errors";

export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

export interface GitHubOidcSource {
    requestUrl: string;
    requestToken: string;
}

/** Reads the runner's variables; fails with an actionable message when they are absent. */
export function githubOidcSource(env: NodeJS.ProcessEnv): GitHubOidcSource {
    const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!requestUrl || !requestToken) {
        throw new ProviderError("GRAPH_CONFIG",
            "graph.credential type githubOidc needs ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN: run inside GitHub Actions with `permissions: id-token: write`",
            { input: "graph.credential" });
    }
    return { requestUrl, requestToken };
}

export async function fetchGitHubOidcToken(src: GitHubOidcSource, dispatcher?: Dispatcher, timeoutMs = 30_000): Promise<string> {
    const url = new URL(src.requestUrl);
    url.searchParams.set("audience", TOKEN_EXCHANGE_AUDIENCE);
    let res: Response;
    try {
        res = await fetch(url, {
            headers: { authorization: `bearer ${src.requestToken}`, accept: "application/json" },
            signal: AbortSignal.timeout(timeoutMs),
            ...(dispatcher ? { dispatcher } : {}),
        } as RequestInit);
    } catch (e) {
        throw new ProviderError("GRAPH_AUTH", `could not reach the GitHub Actions OIDC token endpoint (${url.origin}): ${(e as Error).message}`, { input: "graph.credential", cause: e });
    }
    if (!res.ok) {
        throw new ProviderError("GRAPH_AUTH", `the GitHub Actions OIDC token endpoint answered HTTP ${res.status}; does the workflow grant \`id-token: write\`?`, { input: "graph.credential", httpStatus: res.status });
    }
    const body = (await res.json().catch(() => ({}))) as { value?: unknown };
    if (typeof body.value !== "string" || body.value === "") {
        throw new ProviderError("GRAPH_AUTH", "the GitHub Actions OIDC token endpoint returned no token", { input: "graph.credential" });
    }
    return body.value;
}
