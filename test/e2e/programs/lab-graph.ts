// The Graph connection the e2e programs build from their stack config (the lab's emulator and app).
import type * as pulumi from "@pulumi/pulumi";

export function labGraphFromConfig(config: pulumi.Config) {
    return {
        tenantId: config.require("tenantId"),
        credential: { type: "clientSecret" as const, clientId: config.require("clientId"), clientSecret: { env: config.require("clientSecretEnv") } },
        graphEndpoint: config.require("graphEndpoint"),
        authorityHost: config.require("graphEndpoint"),
        caCertificate: config.require("caCertificate"),
    };
}
