// Back to a consistent emulator for whatever runs on the shared lab after the e2e layer.
import { labConsistency, requireLab } from "../support/lab";

export default async function globalTeardown(): Promise<void> {
    const lab = requireLab();
    const during = await labConsistency(lab);
    await labConsistency(lab, { enabled: false });
    process.stderr.write(`\ne2e: the lab's lagging replicas served ${during.staleServed} stale reads\n`);
}
