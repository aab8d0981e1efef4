// The resources the benchmark reads. The lab has three DCs with one Kerberos server each, so N
// "synthetic domains" are N resources spread round-robin over the three lab domains, each with its
// OWN directory URL: a listener of the delay proxy in front of its domain's DC. Nothing the provider
// keeps per DC (connections, the DSA-name cache) is therefore shared between two synthetic domains,
// and every read does the round trips a distinct domain would. What is legitimately shared by all
// domains of one tenant (the Graph token, the audit-log query) is shared, as it would be in reality.
import * as fs from "node:fs";
import type { LabForest, LabInfo } from "../lab/layout";
import type { EmulatorAdmin } from "./emulator-admin";
import type { Latency } from "./lower-bound";
import type { ProxyHandle } from "./proxy-process";

/** What both bench levels are given: the lab, its CA, the synthetic domains behind the delay proxy. */
export interface BenchSetup {
    lab: LabInfo;
    ca: string;
    domains: SyntheticDomain[];
    proxy: ProxyHandle;
    admin: EmulatorAdmin;
    latency: Latency;
}

export interface SyntheticDomain {
    /** resource name */
    name: string;
    forest: LabForest;
    /** the proxy listener's URL for this domain */
    url: string;
}

export function labGraph(lab: LabInfo, ca: string) {
    return {
        tenantId: lab.emulator.tenantId,
        credential: { type: "clientSecret" as const, clientId: lab.emulator.app.clientId, clientSecret: { env: lab.emulator.app.clientSecretEnv } },
        graphEndpoint: lab.emulator.url, authorityHost: lab.emulator.url, caCertificate: ca,
    };
}

/**
 * AzureADKerberosServer inputs for one domain. The certificate of the DC names it by DNS name and
 * by its own address, not the proxy's, so the connection asks for the DNS name (tlsServerName).
 */
export function serverInputs(lab: LabInfo, forest: LabForest, url: string, ca: string): Record<string, any> {
    return {
        domain: forest.domain,
        directory: { urls: [url], username: forest.adminUpn, password: { env: forest.adminPasswordEnv }, caCertificate: ca, tlsServerName: forest.dcHostName },
        publisher: { type: "lab", endpoint: lab.publisher.endpoint, caCertificate: ca },
        graph: labGraph(lab, ca),
    };
}

/** Synthetic domain i forwards through proxy listener i to lab forest i mod 3. */
export function syntheticDomains(lab: LabInfo, listenHost: string, ports: number[]): SyntheticDomain[] {
    return ports.map((port, i) => ({ name: `domain-${String(i).padStart(3, "0")}`, forest: lab.forests[i % lab.forests.length], url: `ldaps://${listenHost}:${port}` }));
}

/** The proxy targets matching syntheticDomains: listener i → the DC of forest i mod 3. */
export function proxyTargets(lab: LabInfo, n: number): { host: string; port: number }[] {
    return Array.from({ length: n }, (_, i) => ({ host: lab.forests[i % lab.forests.length].ip, port: 636 }));
}

/** The three policy resources of the engine-level stack (names of objects the emulator seeds). */
export function policyInputs(lab: LabInfo, ca: string) {
    const graph = labGraph(lab, ca);
    return {
        cloudTrust: { graph, displayName: "Bench - WHfB Cloud Kerberos Trust", assignments: { includeGroups: ["WHfB Pilot"] } },
        hostToRealm: {
            graph, displayName: "Bench - Kerberos HostToRealm",
            mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }],
            assignments: { includeGroups: ["WHfB Pilot"] },
        },
        caExclusion: { graph, policy: "Require MFA for all users", excludeApplications: ["[Storage Account] labstorage.file.core.windows.net"] },
    };
}

export function labCaPem(lab: LabInfo): string {
    return fs.readFileSync(lab.caCertPath, "utf8");
}
