// Resource inputs against the reliability lab, and a real Pulumi stack of the reliability program
// (test/e2e/programs/reliability) configured with them. Every secret is a SecretRef { env } to the
// lab's environment variables, which only the stack's process environment carries.
import * as path from "node:path";
import type { LabForest, LabInfo } from "../../../lab/layout";
import { createTestStack, type TestStack } from "../../support/stack";
import { labCaPem } from "./lab";

export const PROGRAM = path.resolve(__dirname, "../../e2e/programs/reliability");

export function graphConn(lab: LabInfo, app: { clientId: string; secretEnv: string } = { clientId: lab.emulator.app.clientId, secretEnv: lab.emulator.app.clientSecretEnv }) {
    return {
        tenantId: lab.emulator.tenantId,
        credential: { type: "clientSecret" as const, clientId: app.clientId, clientSecret: { env: app.secretEnv } },
        graphEndpoint: lab.emulator.url, authorityHost: lab.emulator.url, caCertificate: labCaPem(lab),
    };
}

export function serverArgs(lab: LabInfo, f: LabForest, extra: Record<string, unknown> = {}): Record<string, any> {
    const ca = labCaPem(lab);
    return {
        domain: f.domain,
        directory: { urls: [f.ldapsUrl], username: f.adminUpn, password: { env: f.adminPasswordEnv }, caCertificate: ca },
        publisher: { type: "lab", endpoint: lab.publisher.endpoint, caCertificate: ca },
        graph: graphConn(lab),
        ...extra,
    };
}

export const cloudTrustArgs = (lab: LabInfo, displayName: string, extra: Record<string, unknown> = {}) => ({
    graph: graphConn(lab), displayName, assignments: { includeGroups: ["WHfB Pilot"], excludeGroups: ["Break Glass Admins"] }, ...extra,
});

export const hostToRealmArgs = (lab: LabInfo, displayName: string, extra: Record<string, unknown> = {}) => ({
    graph: graphConn(lab), displayName, mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }], ...extra,
});

export const exclusionArgs = (lab: LabInfo, policy: string, extra: Record<string, unknown>) => ({ graph: graphConn(lab), policy, ...extra });

export interface Declared {
    servers?: { name: string; args: unknown }[];
    cloudTrustPolicies?: { name: string; args: unknown }[];
    hostToRealmMappings?: { name: string; args: unknown }[];
    exclusions?: { name: string; args: unknown }[];
}

const KEYS = ["servers", "cloudTrustPolicies", "hostToRealmMappings", "exclusions"] as const;

/** The program's config for these resources (every key set, so a key left out declares none). */
export function declaredConfig(d: Declared): Record<string, { value: string }> {
    return Object.fromEntries(KEYS.map((k) => [k, { value: JSON.stringify(d[k] ?? []) }]));
}

export async function reliabilityStack(lab: LabInfo, d: Declared, env: Record<string, string> = {}): Promise<TestStack> {
    return createTestStack({ programDir: PROGRAM, env: { ...lab.secrets, ...env }, config: declaredConfig(d) });
}

export async function declare(t: TestStack, d: Declared): Promise<void> {
    await t.stack.setAllConfig(declaredConfig(d));
}

/** The whole text of a failed operation (message, stdout, stderr), or throws if it succeeded. */
export async function failureText(p: Promise<unknown>): Promise<string> {
    const e: any = await p.then(() => { throw new Error("expected the operation to fail"); }, (err) => err);
    if (e?.message === "expected the operation to fail") throw e;
    return `${e?.message ?? ""}\n${e?.stdout ?? ""}\n${e?.stderr ?? ""}`;
}
