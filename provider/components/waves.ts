// The rollout order of a CloudKerberosTrust: forests grouped by wave (default 1), waves ascending,
// forests and domains in the order they were declared. Pure, so the order is unit-tested.
import type { TrustDomainArgs, TrustForestArgs } from "./cloud-kerberos-trust-types";

export interface WaveMember {
    forest: string;
    domain: TrustDomainArgs;
    /** the AzureADKerberosServer child's name: `<forest>/<domain>` */
    childName: string;
}

export interface Wave {
    wave: number;
    members: WaveMember[];
}

export const DEFAULT_WAVE = 1;

export function serverChildName(forest: string, domain: string): string {
    return `${forest}/${domain.toLowerCase().replace(/\.$/, "")}`;
}

export function planWaves(forests: readonly TrustForestArgs[]): Wave[] {
    const byWave = new Map<number, WaveMember[]>();
    for (const f of forests) {
        const wave = f.wave ?? DEFAULT_WAVE;
        if (!Number.isInteger(wave) || wave < 1) throw new Error(`forest ${f.name}: wave must be a whole number of at least 1, not ${wave}`);
        const members = byWave.get(wave) ?? [];
        for (const d of f.domains) members.push({ forest: f.name, domain: d, childName: serverChildName(f.name, d.domain) });
        byWave.set(wave, members);
    }
    return [...byWave.entries()].sort(([a], [b]) => a - b).map(([wave, members]) => ({ wave, members }));
}
