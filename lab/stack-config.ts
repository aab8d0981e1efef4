// Writes Pulumi.lab.yaml for the root program: the structured `cloudKerberosTrust` config pointing
// at the lab. Secrets are SecretRefs to environment variables (`npm run lab -- env` prints them),
// so the file holds no secret. Rewriting it keeps everything else in the file (the passphrase
// provider's salt, other config keys).
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { SEED } from "./emulator/seed";
import { LabInfo, repoRoot } from "./layout";

export const PROJECT_NAME = "pulumi-entra-kerberos";

export function labStackConfig(lab: LabInfo): Record<string, unknown> {
    return {
        // one entry for the lab CA, which signs the DCs', the emulator's and the publisher's certificates
        caCertificate: fs.readFileSync(lab.caCertPath, "utf8"),
        graph: {
            tenantId: lab.emulator.tenantId,
            credential: { type: "clientSecret", clientId: lab.emulator.app.clientId, clientSecret: { env: lab.emulator.app.clientSecretEnv } },
            graphEndpoint: lab.emulator.url,
            authorityHost: lab.emulator.url,
        },
        forests: lab.forests.map((f, i) => ({
            name: f.name,
            wave: i === 0 ? 1 : 2,
            domains: [{
                domain: f.domain,
                directory: { urls: [f.ldapsUrl], username: f.adminUpn, password: { env: f.adminPasswordEnv } },
                publisher: { type: "lab", endpoint: lab.publisher.endpoint },
            }],
        })),
        ...labTenantRollout(),
    };
}

/**
 * The tenant side of the lab rollout, on what the lab tenant seeds (lab/emulator/seed.ts): the
 * cloud trust profile for the pilot devices, the realm mapping of the lab's storage account, the
 * storage app excluded from "Require MFA for all users" (a policy another team owns, with their
 * break-glass exclusions on it), and FIDO2 security keys for the pilot users (beside the helpdesk
 * group another team enabled).
 */
export function labTenantRollout() {
    return {
        cloudTrustPolicy: {
            displayName: "WHfB cloud Kerberos trust (lab)", scope: "device" as const, useSecurityKeyForSignIn: true,
            assignments: { includeGroups: ["WHfB Pilot"] },
        },
        hostToRealm: {
            displayName: "Kerberos host-to-realm mappings (lab)",
            mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net", SEED.storageAccountHost] }],
            assignments: { includeGroups: ["WHfB Pilot"] },
        },
        conditionalAccessExclusions: [{ name: "storage-mfa", policy: "Require MFA for all users", excludeApplications: [SEED.storageAppId] }],
        fido2SecurityKeyMethod: { state: "enabled" as const, includeGroups: ["WHfB Pilot Users"] },
    };
}

export function writeLabStackConfig(lab: LabInfo, dir = process.env.ENTRA_KERBEROS_LAB_STACK_DIR ?? repoRoot()): string {
    const file = path.join(dir, "Pulumi.lab.yaml");
    const doc: any = fs.existsSync(file) ? (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) : {};
    doc.config = { ...(doc.config ?? {}), [`${PROJECT_NAME}:cloudKerberosTrust`]: labStackConfig(lab) };
    fs.writeFileSync(file, yaml.dump(doc, { lineWidth: -1 }));
    return file;
}
