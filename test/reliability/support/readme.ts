// The Graph application permissions of each resource, parsed from the "Permissions" table of its page
// in docs/resources/: the least-privilege test registers apps with exactly these roles, so the docs
// cannot drift from what the provider really needs.
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "./lab";

/** Each resource page's Graph permissions table row: resource -> permissions (the source of truth). */
export function readmePermissions(): Record<string, string[]> {
    const dir = path.join(REPO, "docs/resources");
    const out: Record<string, string[]> = {};
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".md"))) {
        const page = fs.readFileSync(path.join(dir, file), "utf8");
        const section = page.split(/^## /m).find((s) => s.startsWith("Permissions"));
        for (const line of (section ?? "").split("\n")) {
            const cells = line.split("|").map((c) => c.trim());
            const name = /^`(\w+)`$/.exec(cells[1] ?? "")?.[1];
            if (name && cells[2] !== undefined) out[name] = [...cells[2].matchAll(/`([A-Za-z]+(\.[A-Za-z]+)+)`/g)].map((m) => m[1]);
        }
    }
    if (Object.keys(out).length === 0) throw new Error('docs/resources/*.md have no "Permissions" table');
    return out;
}
