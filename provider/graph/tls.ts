// One trust list for both HTTP stacks (azure-identity-local.md): @azure/identity takes it as
// tlsOptions.ca, the Graph client's fetch as an undici Agent. `ca` REPLACES Node's default roots,
// so the public roots are kept and the private CA appended; TLS is never switched off.
import { X509Certificate } from "node:crypto";
import { rootCertificates } from "node:tls";
import type { Agent } from "undici";
import { ProviderError } from "../core/errors";
import { secureContextFor } from "../core/tls-context";

/**
 * Connect options of every undici Agent that talks to Entra or Graph. `rejectUnauthorized` is set
 * explicitly: Node's default follows NODE_TLS_REJECT_UNAUTHORIZED, and a pipeline that sets it to 0
 * (a common workaround elsewhere) must not switch verification off for a Tier-0 tool.
 */
export function strictConnect(ca: string[] | undefined): Agent.Options["connect"] {
    return { rejectUnauthorized: true, ...(ca ? { secureContext: secureContextFor(ca) } : {}) };
}

// Validated lists by their PEM text: every operation asks again for the same few CAs, and parsing
// them each time costs more than the request. Holds public certificates only.
const validated = new Map<string, string[]>();

export function trustList(caCertificate: string | undefined): string[] | undefined {
    if (caCertificate === undefined) return undefined;
    const known = validated.get(caCertificate);
    if (known) return known;
    const list = buildTrustList(caCertificate);
    if (validated.size >= 32) validated.delete(validated.keys().next().value!);
    validated.set(caCertificate, list);
    return list;
}

function buildTrustList(caCertificate: string): string[] {
    const pems = caCertificate.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (pems.length === 0) {
        throw new ProviderError("GRAPH_CONFIG", "graph.caCertificate must be PEM text (-----BEGIN CERTIFICATE-----...)", { input: "graph.caCertificate" });
    }
    for (const pem of pems) {
        try {
            new X509Certificate(pem);
        } catch {
            throw new ProviderError("GRAPH_CONFIG", "graph.caCertificate contains a certificate that does not parse", { input: "graph.caCertificate" });
        }
    }
    return [...rootCertificates, ...pems];
}
