// The WaveGate provider (see wave-gate.ts), loaded by `require` inside Pulumi's dynamic-provider host.
// The verdict is enforced in create and update, not in check: a failed step is what the engine's
// --continue-on-error isolates (the next wave is skipped, other work goes on), while a check failure
// would stop the whole deployment.
import type * as pulumi from "@pulumi/pulumi";
import { ProviderError } from "../core/errors";
import { UNKNOWN_VALUE } from "../graph/check-connection";
import type { WaveGateDomain } from "./wave-gate";

interface GateInputs {
    wave: number;
    domains: WaveGateDomain[];
}

const isUnknown = (v: unknown) => v === UNKNOWN_VALUE;

function checkInputs(news: any): pulumi.dynamic.CheckFailure[] {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!isUnknown(news.wave) && (!Number.isInteger(news.wave) || news.wave < 1)) failures.push({ property: "wave", reason: "wave must be a whole number of at least 1" });
    if (!isUnknown(news.domains) && !Array.isArray(news.domains)) failures.push({ property: "domains", reason: "domains must be a list" });
    return failures;
}

/** The domains of this wave that are not in sync, as "corp/corp.example.com (reason; reason)". */
export function outOfSync(inputs: GateInputs): string[] {
    return inputs.domains
        .filter((d) => d.inSync !== true)
        .map((d) => `${d.name} (${Array.isArray(d.driftReasons) && d.driftReasons.length ? d.driftReasons.join("; ") : "no verdict"})`);
}

function pass(inputs: GateInputs): Record<string, unknown> {
    const bad = outOfSync(inputs);
    if (bad.length > 0) {
        throw new ProviderError("WaveNotInSync",
            `wave ${inputs.wave} is not complete: ${bad.length} of ${inputs.domains.length} domain${inputs.domains.length === 1 ? "" : "s"} not in sync: ${bad.join(", ")}. ` +
            "Later waves are held back until `pulumi up --refresh` brings every domain of this wave in sync", { resource: `wave ${inputs.wave}` });
    }
    return { wave: inputs.wave, domains: inputs.domains };
}

/**
 * A change worth showing: a domain joined or left the wave, or a known verdict differs. A verdict
 * that is still unknown (its server is being updated in this preview) is not a change of the gate.
 */
export function gateChanged(olds: GateInputs, news: GateInputs): boolean {
    if (isUnknown(news.domains) || isUnknown(news.wave)) return true;
    if (olds.wave !== news.wave || !Array.isArray(olds.domains) || olds.domains.length !== news.domains.length) return true;
    return news.domains.some((d, i) => {
        const o = olds.domains[i];
        if (isUnknown(d) || isUnknown(d?.name)) return true;
        if (o?.name !== d.name) return true;
        if (!isUnknown(d.inSync) && o.inSync !== d.inSync) return true;
        return !isUnknown(d.driftReasons) && JSON.stringify(o.driftReasons ?? []) !== JSON.stringify(d.driftReasons ?? []);
    });
}

export const waveGateProvider = {
    async check(_olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
        return { inputs: news, failures: checkInputs(news ?? {}) };
    },
    async diff(_id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
        return { changes: gateChanged(olds, news), replaces: [], deleteBeforeReplace: false };
    },
    async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
        return { id: `wave-${inputs.wave}`, outs: pass(inputs) };
    },
    async read(id: string, props: any): Promise<pulumi.dynamic.ReadResult> {
        return { id, props }; // nothing outside the state to observe
    },
    async update(_id: string, _olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: pass(news) };
    },
    async delete(): Promise<void> {
        // nothing to remove
    },
};
