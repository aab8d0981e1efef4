// The e2e layer runs with the lab's Graph replicas lagging (E2E_CONSISTENCY): every resource kind
// must converge, refresh without a perpetual diff and lose no one's data under stale reads.
import { E2E_CONSISTENCY, labConsistency, requireLab } from "../support/lab";

export default async function globalSetup(): Promise<void> {
    await labConsistency(requireLab(), E2E_CONSISTENCY);
}
