// The WaveGate provider (see wave-gate.ts), loaded by `require` inside Pulumi's dynamic-provider host.
// The verdict is enforced in create and update, not in check: a failed step is what the engine's
// --continue-on-error isolates (the next wave is skipped, other work goes on), while a check failure
// would stop the whole deployment.
//
// The readiness gate (readinessGate: true) runs in diff as well as in create and update: diff is
// what a preview calls for a gate already in the state, so `pulumi preview` fails with the same
// refusal `pulumi up` would give, and in `up` the refusal comes before any server of the next wave
// is touched (they depend on this gate). The report reads the world as it is when the gate runs.
import { isUnknown, UNKNOWN_VALUE } from "../core/unknown";
import type * as pulumi from "@pulumi/pulumi";
import { ProviderError } from "../core/errors";
import { configView } from "../core/stack-config";
import type { SecretConfig } from "../core/secrets";
import { displayNameProblem, freeTextProblem, numberProblem, unknownFields, unknownInput } from "../core/grammar";
import { cloudKerberosTrustConfigErrors } from "../components/cloud-kerberos-trust-config";
import { readinessRefusal, type ReadinessGateInput } from "../components/readiness-gate";
import type { ReadinessReport } from "../readiness/report";
import type { WaveGateDomain } from "./wave-gate";

interface GateInputs {
    wave: number;
    domains: WaveGateDomain[];
    readiness?: ReadinessGateInput;
}

// The stack config from `configure`, for { config: "key" } references in the readiness spec.
let stackConfig: SecretConfig | undefined;

/** The report runner; a seam for unit tests, which have no DCs. */
export type ReportRunner = (input: ReadinessGateInput, config: SecretConfig | undefined) => Promise<Pick<ReadinessReport, "verdict" | "findings">>;

const runReport: ReportRunner = async (input, config) => {
    // loaded here, not at the top: a rollout without the gate never loads the report's LDAP and Graph code
    const { readinessReport } = await import("../readiness/report");
    return readinessReport(input.spec, { config, extraPilotGroups: input.pilotGroups });
};
let reportRunner: ReportRunner = runReport;

/** For unit tests: the report the gate runs (restored with no argument). */
export function setReportRunner(r?: ReportRunner): void { reportRunner = r ?? runReport; }

const containsUnknown = (v: unknown): boolean =>
    v === UNKNOWN_VALUE || (Array.isArray(v) ? v.some(containsUnknown) : !!v && typeof v === "object" && Object.values(v).some(containsUnknown));

/** The readiness input's problems, each naming its field; nothing is read from the network here. */
function readinessProblems(r: unknown): pulumi.dynamic.CheckFailure[] {
    if (r === undefined || containsUnknown(r)) return [];
    if (typeof r !== "object" || r === null || Array.isArray(r)) return [{ property: "readiness", reason: "readiness must be { spec, pilotGroups }" }];
    const o = r as Record<string, unknown>;
    const failures = unknownFields("readiness", o, ["spec", "pilotGroups"], "a field of readiness");
    if (!Array.isArray(o.pilotGroups) || o.pilotGroups.some((g) => typeof g !== "string" || g.length === 0 || g.length > 256)) {
        failures.push({ property: "readiness.pilotGroups", reason: "readiness.pilotGroups must be a list of group names or ids (1 to 256 characters)" });
    }
    for (const e of cloudKerberosTrustConfigErrors(o.spec, "readiness.spec")) failures.push({ property: e.path, reason: `${e.path}: ${e.message}` });
    return failures;
}

/** Domains of one wave: far beyond any forest count, small enough to print. */
const MAX_DOMAINS = 1000;

// any: the engine's property bags (Pulumi's ResourceProvider signature); checkInputs validates them
function checkInputs(news: any): pulumi.dynamic.CheckFailure[] {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const rule = (property: string, reason: string | undefined) => { if (reason) failures.push({ property, reason }); };
    // what the class does not set is a typo, or a value stored in state unread
    for (const k of Object.keys(news)) if (!["wave", "domains", "readiness", "__provider"].includes(k)) failures.push(unknownInput(k, "WaveGate", ["wave", "domains", "readiness"]));
    failures.push(...readinessProblems(news.readiness));
    if (!isUnknown(news.wave) && numberProblem("wave", news.wave, { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true })) {
        failures.push({ property: "wave", reason: "wave must be a whole number of at least 1" });
    }
    if (isUnknown(news.domains)) return failures;
    if (!Array.isArray(news.domains) || news.domains.length > MAX_DOMAINS) {
        failures.push({ property: "domains", reason: `domains must be a list of at most ${MAX_DOMAINS} { name, inSync, driftReasons }` });
        return failures;
    }
    // the class fills these from the servers' outputs; a value of another shape is not theirs
    news.domains.forEach((d: any, i: number) => {
        const at = `domains[${i}]`;
        if (isUnknown(d)) return;
        if (typeof d !== "object" || d === null || Array.isArray(d)) { failures.push({ property: at, reason: `${at} must be { name, inSync, driftReasons }` }); return; }
        failures.push(...unknownFields(at, d, ["name", "inSync", "driftReasons"], "a field of a domain"));
        if (!isUnknown(d.name)) rule(`${at}.name`, displayNameProblem(`${at}.name`, d.name, { max: 512, what: "the domain as <forest>/<domain>" }));
        if (d.inSync !== undefined && !isUnknown(d.inSync) && typeof d.inSync !== "boolean") failures.push({ property: `${at}.inSync`, reason: `${at}.inSync must be true or false` });
        if (d.driftReasons === undefined || isUnknown(d.driftReasons)) return;
        if (!Array.isArray(d.driftReasons)) { failures.push({ property: `${at}.driftReasons`, reason: `${at}.driftReasons must be a list of strings` }); return; }
        d.driftReasons.forEach((r: unknown, j: number) => { if (!isUnknown(r)) rule(`${at}.driftReasons[${j}]`, freeTextProblem(`${at}.driftReasons[${j}]`, r, 4096)); });
    });
    return failures;
}

/** The domains of this wave that are not in sync, as "corp/corp.example.com (reason; reason)". */
export function outOfSync(inputs: GateInputs): string[] {
    return inputs.domains
        .filter((d) => d.inSync !== true)
        .map((d) => `${d.name} (${Array.isArray(d.driftReasons) && d.driftReasons.length ? d.driftReasons.join("; ") : "no verdict"})`);
}

/** The report's verdict for the wave, or a WaveNotReady error naming the domains and their blocking findings. */
async function readinessVerdict(inputs: GateInputs): Promise<string> {
    const r = inputs.readiness!;
    const report = await reportRunner(r, stackConfig);
    const refusal = readinessRefusal(inputs.wave, inputs.domains.map((d) => d.name), report);
    if (refusal) throw new ProviderError("WaveNotReady", refusal, { resource: `wave ${inputs.wave}` });
    return report.verdict;
}

async function pass(inputs: GateInputs): Promise<Record<string, unknown>> {
    const bad = outOfSync(inputs);
    if (bad.length > 0) {
        throw new ProviderError("WaveNotInSync",
            `wave ${inputs.wave} is not complete: ${bad.length} of ${inputs.domains.length} domain${inputs.domains.length === 1 ? "" : "s"} not in sync: ${bad.join(", ")}. ` +
            "Later waves are held back until `pulumi up --refresh` brings every domain of this wave in sync", { resource: `wave ${inputs.wave}` });
    }
    if (!inputs.readiness) return { wave: inputs.wave, domains: inputs.domains };
    return { wave: inputs.wave, domains: inputs.domains, readiness: inputs.readiness, readinessVerdict: await readinessVerdict(inputs) };
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
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        stackConfig = configView(req.config);
    },
    async check(_olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
        return { inputs: news, failures: checkInputs(news ?? {}) };
    },
    async diff(_id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
        // the readiness of the wave is asked again on every preview and up (see the top of this file);
        // a refusal fails here, a pass changes nothing of the gate by itself
        const named = Array.isArray(news.domains) && news.domains.every((d: any) => d && typeof d.name === "string" && !isUnknown(d.name));
        if (news.readiness && !containsUnknown(news.readiness) && !isUnknown(news.wave) && named) await readinessVerdict(news);
        const readinessChanged = JSON.stringify(olds.readiness ?? null) !== JSON.stringify(news.readiness ?? null);
        return { changes: gateChanged(olds, news) || readinessChanged, replaces: [], deleteBeforeReplace: false };
    },
    async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
        return { id: `wave-${inputs.wave}`, outs: await pass(inputs) };
    },
    async read(id: string, props: any): Promise<pulumi.dynamic.ReadResult> {
        return { id, props }; // nothing outside the state to observe
    },
    async update(_id: string, _olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: await pass(news) };
    },
    async delete(): Promise<void> {
        // nothing to remove
    },
};
