// The README's "Graph application permissions" table, parsed: the least-privilege test registers
// apps with exactly these roles, so the README cannot drift from what the provider really needs.
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "./lab";

/** The README's "Graph application permissions" table: resource -> permissions (the source of truth). */
export function readmePermissions(): Record<string, string[]> {
    const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
    const section = readme.split(/^#{2,4} /m).find((s) => s.startsWith("Graph application permissions"));
    if (!section) throw new Error('README.md has no "Graph application permissions" section');
    const out: Record<string, string[]> = {};
    for (const line of section.split("\n")) {
        const cells = line.split("|").map((c) => c.trim());
        const name = /^`(\w+)`$/.exec(cells[1] ?? "")?.[1];
        if (name && cells[2] !== undefined) out[name] = [...cells[2].matchAll(/`([A-Za-z]+(\.[A-Za-z]+)+)`/g)].map((m) => m[1]);
    }
    return out;
}
