// Access to the running lab for integration, contract and e2e tests (`npm test` starts it with
// `lab up`; run `npm run lab -- up` before running one of these layers alone).
import * as fs from "node:fs";
import { Client } from "ldapts";
import { LabForest, LabInfo, labJsonPath } from "../../lab/layout";

export function requireLab(): LabInfo {
    const file = labJsonPath();
    if (!fs.existsSync(file)) throw new Error(`no lab at ${file}: run \`npm run lab -- up\` first`);
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

export function labCa(lab: LabInfo): string {
    return fs.readFileSync(lab.caCertPath, "utf8");
}

/** Every secret value the lab uses, for "no secret anywhere" scans. */
export function labSecretValues(lab: LabInfo): string[] {
    return Object.values(lab.secrets).filter((v) => v.length >= 8);
}

/** An independent, plain ldapts admin connection (not the product's port) to check what is on a DC. */
export async function withAdminLdap<T>(lab: LabInfo, forest: LabForest, fn: (c: Client) => Promise<T>): Promise<T> {
    const client = new Client({ url: forest.ldapsUrl, tlsOptions: { ca: [labCa(lab)], rejectUnauthorized: true } });
    try {
        await client.bind(forest.adminUpn, lab.secrets[forest.adminPasswordEnv]);
        return await fn(client);
    } finally {
        await client.unbind().catch(() => undefined);
    }
}

/** The lab's SecretRef environment (admin passwords, Graph client secret). */
/** Asserts that no lab secret value appears in any of `texts` (engine output, errors, exported state). */
export function expectNoLabSecret(lab: LabInfo, texts: string[]): void {
    for (const secret of labSecretValues(lab)) for (const text of texts) expect(text).not.toContain(secret);
}

export function labSecretEnv(lab: LabInfo): Record<string, string> {
    return { ...lab.secrets };
}

/**
 * The e2e layer runs against a lab whose Graph replicas lag (lab/emulator/consistency.ts): for
 * 1.5 s after a write of a Conditional Access policy or an Intune profile, half the reads of it see
 * the version before. Fixed seed, so a failing run can be repeated.
 */
export const E2E_CONSISTENCY = { enabled: true, windowMs: 1500, staleProbability: 0.5, seed: 13 };

/** Sets the lab emulator's eventual-consistency mode; returns the settings with `staleServed`, the reads it served old versions to. */
export async function labConsistency(lab: LabInfo, settings?: Record<string, unknown>): Promise<Record<string, any>> {
    const { Agent } = await import("undici");
    const dispatcher = new Agent({ connect: { ca: [labCa(lab)] } });
    try {
        if (settings) {
            const r = await fetch(`${lab.emulator.url}/_emulator/consistency`, {
                method: "PUT", dispatcher, headers: { "content-type": "application/json" }, body: JSON.stringify(settings),
            } as RequestInit);
            if (!r.ok) throw new Error(`emulator consistency: HTTP ${r.status} ${await r.text()}`);
        }
        return await (await fetch(`${lab.emulator.url}/_emulator/consistency`, { dispatcher } as RequestInit)).json();
    } finally {
        await dispatcher.close();
    }
}
