// Lab fixtures for the rollout tests (CloudKerberosTrust, the root program, the demo, the examples).
import * as path from "node:path";
import type { LabInfo } from "../../lab/layout";
import { labStackConfig } from "../../lab/stack-config";

export const REPO = path.resolve(__dirname, "../..");
export const EXAMPLES = path.join(REPO, "examples");

/** The examples' `lab` config: the lab's Graph connection and each forest's directory and publisher. */
export function labSitesConfig(lab: LabInfo): { value: string } {
    return { value: JSON.stringify(labStackConfig(lab)) };
}

/** Runs an operation that must fail; returns everything it printed (for assertions and secret scans). */
export async function failingText(p: Promise<unknown>): Promise<string> {
    const e: any = await p.then(() => { throw new Error("expected the operation to fail"); }, (err) => err);
    return `${e?.message ?? ""}\n${e?.stdout ?? ""}\n${e?.stderr ?? ""}`;
}
