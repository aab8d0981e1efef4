// Serializes a provider exactly as pulumi.dynamic.Resource does, in a fresh plain-node process:
// inside jest's VM the closure serializer mis-handles functions from Node's own realm, so a
// serialization check that runs in jest could pass when the real program would fail.
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../..");

export interface Serialized { text: string; containsSecrets: boolean }

/** `modulePath` is a compiled module (relative to the repo) exporting `exportName`, a ResourceProvider. */
export function serializeProviderInNode(modulePath: string, exportName: string): Serialized {
    const script = `
        const pulumi = require("@pulumi/pulumi");
        const provider = require(${JSON.stringify(path.join(REPO, modulePath))})[${JSON.stringify(exportName)}];
        pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })
            .then((sf) => process.stdout.write(JSON.stringify({ text: sf.text, containsSecrets: sf.containsSecrets })))
            .catch((e) => { console.error(e.stack || String(e)); process.exit(1); });`;
    return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: REPO, encoding: "utf8" }));
}

/** Loads serialized provider text the way the host does (require-from-string) and runs `calls` in plain node. */
export function runSerializedInNode(text: string, cwd: string, calls: string): string {
    // the same loader the host uses, resolved from @pulumi/pulumi's own dependencies
    const loader = require.resolve("require-from-string", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] });
    const script = `
        const provider = require(${JSON.stringify(loader)})(require("fs").readFileSync(0, "utf8")).handler();
        (async () => { ${calls} })().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });`;
    return execFileSync(process.execPath, ["-e", script], { cwd, input: text, encoding: "utf8" });
}
