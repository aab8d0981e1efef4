// One trust list for both HTTP stacks (azure-identity-local.md): @azure/identity takes it as
// tlsOptions.ca, the Graph client's fetch as an undici Agent. `ca` REPLACES Node's default roots,
// so the public roots are kept and the private CA appended; TLS is never switched off.
import { X509Certificate } from "node:crypto";
import { rootCertificates } from "node:tls";
import { ProviderError } from "../core/errors";

export function trustList(caCertificate: string | undefined): string[] | undefined {
    if (caCertificate === undefined) return undefined;
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
