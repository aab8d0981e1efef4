// The rollout's status tables as text: one line per domain, the Get-AzureADKerberosServer columns a
// person compares (Id, on-prem and cloud key versions, when and where the key was last changed) and
// the verdict with its reasons; and one line per tenant resource (the Intune profiles, the
// Conditional Access exclusions, the FIDO2 method) with the object it manages and what of it is
// this rollout's. Pure, so the layout is unit-tested.
import type { DomainStatus, TenantResourceStatus } from "./cloud-kerberos-trust-types";

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

const TENANT_COLUMNS: [header: string, cell: (r: TenantResourceStatus) => string][] = [
    ["RESOURCE", (r) => r.kind],
    ["NAME", (r) => r.name],
    ["OBJECT", (r) => r.object],
    ["THIS ROLLOUT'S PART", (r) => r.owned],
    ["DRIFT", (r) => (r.drift.length ? r.drift.join("; ") : "-")],
];

export function renderStatusTable(rows: readonly DomainStatus[]): string {
    const lines = layOut(COLUMNS, rows);
    const inSync = rows.filter((r) => r.inSync).length;
    lines.push(`${inSync} of ${rows.length} domain${rows.length === 1 ? "" : "s"} in sync`);
    return lines.join("\n");
}

export function renderTenantTable(rows: readonly TenantResourceStatus[]): string {
    const lines = layOut(TENANT_COLUMNS, rows);
    const clean = rows.filter((r) => r.drift.length === 0).length;
    lines.push(`${clean} of ${rows.length} tenant resource${rows.length === 1 ? "" : "s"} without drift`);
    return lines.join("\n");
}

function layOut<R>(columns: [string, (r: R) => string][], rows: readonly R[]): string[] {
    const cells = [columns.map(([h]) => h), ...rows.map((r) => columns.map(([, f]) => f(r)))];
    const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
    return cells.map((line) => line.map((c, i) => (i === line.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd());
}
