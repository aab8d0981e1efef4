// The rollout's status table as text: one line per domain, the Get-AzureADKerberosServer columns a
// person compares (Id, on-prem and cloud key versions, when and where the key was last changed) and
// the verdict with its reasons. Pure, so the layout is unit-tested.
import type { DomainStatus } from "./cloud-kerberos-trust-types";

const COLUMNS: [header: string, cell: (r: DomainStatus) => string][] = [
    ["WAVE", (r) => String(r.wave)],
    ["FOREST", (r) => r.forest],
    ["DOMAIN", (r) => r.domainDnsName || r.domain],
    ["ID", (r) => show(r.branchId)],
    ["KEY VERSION", (r) => show(r.keyVersion)],
    ["CLOUD KEY VERSION", (r) => show(r.cloudKeyVersion)],
    ["KEY UPDATED ON", (r) => show(r.keyUpdatedOn)],
    ["KEY UPDATED FROM", (r) => show(r.keyUpdatedFrom)],
    ["IN SYNC", (r) => (r.inSync ? "yes" : "NO")],
    ["DRIFT", (r) => (r.driftReasons.length ? r.driftReasons.join("; ") : "-")],
];

function show(v: string | number | null | undefined): string {
    return v === null || v === undefined || v === "" ? "-" : String(v);
}

export function renderStatusTable(rows: readonly DomainStatus[]): string {
    const cells = [COLUMNS.map(([h]) => h), ...rows.map((r) => COLUMNS.map(([, f]) => f(r)))];
    const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
    const lines = cells.map((line) => line.map((c, i) => (i === line.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd());
    const inSync = rows.filter((r) => r.inSync).length;
    lines.push(`${inSync} of ${rows.length} domain${rows.length === 1 ? "" : "s"} in sync`);
    return lines.join("\n");
}
