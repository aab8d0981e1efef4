// Which cloud a connection points at, and the values derived from that.
import { ProviderError } from "../core/errors";
import type { GraphConnection } from "./types";

export const PUBLIC_AUTHORITY = "https://login.microsoftonline.com";
export const PUBLIC_GRAPH = "https://graph.microsoft.com";

// Authorities MSAL's instance discovery knows. Anything else (a lab, a private emulator) needs
// disableInstanceDiscovery, or MSAL calls login.microsoftonline.com to validate it.
const MICROSOFT_AUTHORITIES = new Set(["login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn"]);
// National-cloud Graph hosts issue tokens for their own resource; everything else asks for the
// global Graph resource (the lab emulator accepts that audience, as does any Graph proxy).
const SOVEREIGN_GRAPH = new Set(["graph.microsoft.us", "dod-graph.microsoft.us", "microsoftgraph.chinacloudapi.cn"]);

function httpsOrigin(value: string, input: string): string {
    let u: URL;
    try {
        u = new URL(value);
    } catch {
        throw new ProviderError("GRAPH_CONFIG", `${input} must be an https URL, got "${value}"`, { input });
    }
    if (u.protocol !== "https:") throw new ProviderError("GRAPH_CONFIG", `${input} must use https (MSAL and the Graph SDK refuse plain http), got "${value}"`, { input });
    if (u.pathname !== "/" && u.pathname !== "") throw new ProviderError("GRAPH_CONFIG", `${input} must be an origin without a path, got "${value}"`, { input });
    return u.origin;
}

export interface ResolvedEndpoints {
    authorityHost: string;
    graphEndpoint: string;
    graphHostname: string;
    /** the one scope requested for Graph tokens */
    scope: string;
    disableInstanceDiscovery: boolean;
}

export function resolveEndpoints(conn: GraphConnection): ResolvedEndpoints {
    const authorityHost = httpsOrigin(conn.authorityHost ?? PUBLIC_AUTHORITY, "graph.authorityHost");
    const graphEndpoint = httpsOrigin(conn.graphEndpoint ?? PUBLIC_GRAPH, "graph.graphEndpoint");
    const graphHostname = new URL(graphEndpoint).hostname;
    return {
        authorityHost,
        graphEndpoint,
        graphHostname,
        scope: `${SOVEREIGN_GRAPH.has(graphHostname) ? graphEndpoint : PUBLIC_GRAPH}/.default`,
        disableInstanceDiscovery: !MICROSOFT_AUTHORITIES.has(new URL(authorityHost).hostname),
    };
}
