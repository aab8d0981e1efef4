// `lab up` for the DCs: install Samba if needed, provision the forests that are missing (in
// parallel: provisioning is CPU-bound Python, ~7 s each, ~15 s for three on 2 cores), start all.
import { ensureLabCa } from "../ca";
import { ForestSpec, LabForest } from "../layout";
import { ensureSambaInstalled } from "./install";
import { startDc } from "./lifecycle";
import { checkSpec, dcPaths, labForestOf } from "./paths";
import { isProvisioned, provisionForest } from "./provision";

const secs = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/** Runs all jobs to the end (none is left running unobserved), then throws one error naming every failure. */
async function allOrThrow<T>(what: string, jobs: Promise<T>[]): Promise<T[]> {
    const results = await Promise.allSettled(jobs);
    const failures = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).message ?? String(r.reason)] : []));
    if (failures.length) throw new Error(`${what}: ${failures.length} failed:\n${failures.join("\n")}`);
    return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

function checkSpecs(specs: ForestSpec[]): void {
    specs.forEach(checkSpec);
    for (const key of ["name", "ip", "domain"] as const) {
        const seen = new Set<string>();
        for (const s of specs) {
            if (seen.has(s[key])) throw new Error(`two forests share ${key} ${s[key]}`);
            seen.add(s[key]);
        }
    }
}

/**
 * @param adminPasswords keyed by forest name (the forest's adminPasswordEnv name is accepted too);
 *   only needed for forests that are not provisioned yet.
 */
export async function upForests(labDir: string, specs: ForestSpec[], adminPasswords: Record<string, string>,
    log: (s: string) => void = () => {}): Promise<LabForest[]> {
    checkSpecs(specs);
    await ensureSambaInstalled(log);
    ensureLabCa(labDir); // before the parallel part, so the provisions don't race to create it

    const forests = await allOrThrow("provision", specs.map(async (spec) => {
        if (isProvisioned(dcPaths(labDir, spec.name))) {
            log(`samba: ${spec.name}: already provisioned`);
            return labForestOf(spec);
        }
        const password = adminPasswords[spec.name] ?? adminPasswords[labForestOf(spec).adminPasswordEnv];
        if (!password) throw new Error(`forest ${spec.name}: no admin password given`);
        const t0 = Date.now();
        const forest = await provisionForest(labDir, spec, password);
        log(`samba: ${spec.name}: provisioned ${spec.domain} in ${secs(t0)}`);
        return forest;
    }));

    await allOrThrow("start", forests.map(async (forest) => {
        const t0 = Date.now();
        const pid = await startDc(labDir, forest);
        log(`samba: ${forest.name}: DC up on ${forest.ldapsUrl} (pid ${pid}, ${secs(t0)})`);
    }));
    return forests;
}
