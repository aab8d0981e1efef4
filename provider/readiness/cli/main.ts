#!/usr/bin/env node
// entra-kerberos-readiness (also `npm run readiness -- --stack <name>`): the readiness report of a
// stack (docs/readiness.md). The report on stdout, a table or `--json`; progress and errors on
// stderr; exit code 0 ready, 1 warnings, 2 blocking, 3 when no report could be made.
import { ProviderError } from "../../core/errors";
import { EXIT_CODES } from "../findings";
import { renderReport } from "../render";
import { readinessReport } from "../report";
import { ArgumentError, parseReadinessArgs, USAGE } from "./args";
import { readStackConfig } from "./stack-file";

export const EXIT_FAILED = 3;

export async function main(argv: readonly string[], io = { out: process.stdout, err: process.stderr, env: process.env }): Promise<number> {
    const say = (s: string) => io.err.write(`${s}\n`);
    try {
        const args = parseReadinessArgs(argv);
        if (args === "help") { io.out.write(`${USAGE}\n`); return 0; }
        const stack = readStackConfig(args.dir, args.stack);
        say(`readiness: stack ${args.stack} (${stack.file})`);
        const report = await readinessReport(stack.value, { env: io.env, config: stack.config, extraPilotGroups: args.groups, progress: (l) => say(`readiness: ${l}`) });
        io.out.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
        say(`readiness: ${report.verdict}`);
        return EXIT_CODES[report.verdict];
    } catch (e) {
        if (e instanceof ArgumentError) { say(`entra-kerberos-readiness: ${e.message}\n${USAGE}`); return EXIT_FAILED; }
        // ProviderErrors are scrubbed of every secret the report resolved (report.ts)
        say(`entra-kerberos-readiness: ${e instanceof ProviderError ? `${e.code}: ${e.message}` : (e as Error).message}`);
        return EXIT_FAILED;
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
