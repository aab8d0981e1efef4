// Preloaded (NODE_OPTIONS=--require) into every node process of an engine-level run, so that the
// LDAP round trips of Pulumi's dynamic-provider host can be counted from outside: it subscribes to
// the provider's diagnostics channel (ad/connection.ts) and keeps a per-process count in
// $BENCH_PROBE_DIR/<pid>.json. A process that never talks LDAP writes nothing. Counts are written
// at most every 50 ms (the host is killed at the end, so nothing waits for an exit hook; reads
// finish long before the engine is done with the preview).
import { subscribe } from "node:diagnostics_channel";
import * as fs from "node:fs";
import * as path from "node:path";

const dir = process.env.BENCH_PROBE_DIR;
if (dir) {
    const counts: Record<string, number> = {};
    const file = path.join(dir, `${process.pid}.json`);
    let pending: NodeJS.Timeout | undefined;
    const flush = () => {
        pending = undefined;
        try { fs.writeFileSync(file, JSON.stringify(counts)); } catch { /* the run's directory is gone */ }
    };
    subscribe("pulumi-entra-kerberos:ldap-round-trip", (m) => {
        const kind = (m as { kind: string }).kind;
        counts[kind] = (counts[kind] ?? 0) + 1;
        if (!pending) {
            pending = setTimeout(flush, 50);
            pending.unref();
        }
    });
    process.on("exit", () => { if (pending) flush(); });
}
