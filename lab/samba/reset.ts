// Puts a forest back to its just-provisioned state (objects created by tests disappear).
import { LabForest } from "../layout";
import { startDc, stopDc } from "./lifecycle";
import { dcPaths } from "./paths";
import { restoreSnapshot } from "./snapshot";

export async function resetForest(labDir: string, forest: LabForest): Promise<void> {
    await stopDc(labDir, forest);
    await restoreSnapshot(dcPaths(labDir, forest.name));
    await startDc(labDir, forest);
}
