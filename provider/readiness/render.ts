// The readiness report as a person reads it: a table of domains, one of pilot groups, then the
// findings, worst first, one sentence each made from the finding's data. The data (report.ts) holds
// no sentences; `--json` prints the data itself.
import type { Finding } from "./findings";
import type { ReadinessReport } from "./report";

const list = (v: unknown) => (Array.isArray(v) ? v.join(", ") : String(v ?? ""));

/** One sentence per finding kind, from its facts. */
export function describeFinding(f: Finding): string {
    const x = f.facts ?? {};
    switch (f.kind) {
        case "dc-not-windows": return `not a Windows DC (${x.operatingSystem} ${x.operatingSystemVersion}): not assessed against Microsoft's Windows Server requirement`;
        case "dc-os-unsupported": return `${x.operatingSystem} (build ${x.build}) cannot serve cloud Kerberos: Windows Server 2016 or later is needed`;
        case "dc-unpatched": return `${x.operatingSystem} ${x.operatingSystemVersion} lacks the November 2019 update (build ${x.requiredRevision} or later)`;
        case "dc-patch-level-unknown": return x.requiredRevision
            ? `${x.operatingSystem} ${x.operatingSystemVersion}: AD does not record the update level; check the November 2019 update (build ${x.requiredRevision}) is installed`
            : `operating system "${x.operatingSystem}" version "${x.operatingSystemVersion}" is not one the report can read`;
        case "domain-no-capable-dc": return `no domain controller of this domain can serve cloud Kerberos (${list(x.domainControllers)})`;
        case "domain-unreadable": return `the domain could not be read: ${x.error}`;
        case "kerberos-server-absent": return "no Kerberos server yet (the rollout creates it)";
        case "kerberos-server-inconsistent": return `the Kerberos server objects disagree: ${list(x.problems)}`;
        case "kerberos-key-old": return `the Kerberos server key is ${x.keyAgeDays} days old (keyRotation.maxAgeDays ${x.maxAgeDays})`;
        case "user-in-denied-group": return `member of ${list(x.deniedGroups)} (directly or through nested groups): will not get a cloud TGT`;
        case "user-in-denied-rodc-group": return `member of ${list(x.deniedGroups)}: denied by a normal RODC, not by the Kerberos server's own list unless it names the group`;
        case "user-not-synchronised": return "not synchronised from AD (no onPremisesSecurityIdentifier): no cloud TGT for a cloud-only user";
        case "user-disabled": return `disabled in ${list(x.disabledIn)}`;
        case "user-domain-not-in-stack": return `synchronised from a domain this stack does not roll out (SID ${x.onPremisesSecurityIdentifier})`;
        case "user-not-found-on-premises": return `its on-premises SID ${x.onPremisesSecurityIdentifier} is no user of ${f.domain}`;
        case "pilot-group-not-found": return "no group of this name or id in the tenant";
        case "pilot-group-ambiguous": return `several groups have this name (${list(x.ids)}): give the object id`;
        case "pilot-groups-unreadable": return `the pilot groups could not be read from Graph: ${x.error}`;
        case "kerberos-server-other-tenant": return `the Kerberos server's SCP names tenant ${x.tenantId}, not the configured ${x.configuredTenantId}: objects left by another tenant; remove them (Remove-AzureADKerberosServer there, or delete CN=AzureAD,CN=System) before the rollout creates its own`;
        case "intune-profile-absent": return "the stack's cloud trust profile is not in the tenant yet (the rollout creates it)";
        case "intune-profile-not-assigned": return `profile ${x.profileId} is not assigned to the stack's groups (${list(x.groupIds)}); assigned to ${list(x.assignedGroupIds) || "none"}`;
        case "intune-conflicting-user-profile": return `${x.source} profile ${x.profileId} sets ${list(x.settings)} in user scope, which wins over the device-scope cloud trust profile`;
        case "intune-conflicting-profile": return `${x.source} profile ${x.profileId} also sets ${list(x.settings)} (${x.scope} scope): a conflict where the values differ`;
        case "ca-mfa-covers-storage-app": return `policy ${x.policyId} requires MFA for ${x.includedAs === "All" ? "All apps" : "the app"} and does not exclude storage app ${x.appId}`;
        case "ca-report-only-mfa-covers-storage-app": return `report-only policy ${x.policyId} requires MFA for ${x.includedAs === "All" ? "All apps" : "the app"} without excluding storage app ${x.appId}: it blocks once enabled`;
        case "fido2-disabled": return `the tenant's FIDO2 method is ${x.state || "not enabled"}: no security key sign-in`;
        case "fido2-not-targeting-pilot-group": return x.excluded
            ? `the FIDO2 method excludes this group (${x.groupId})`
            : `the FIDO2 method does not target this group (${x.groupId}) nor all users; it targets ${list(x.includeTargets) || "nobody"}`;
        case "tenant-section-unreadable": return `could not be read from Graph: ${x.error}`;
        case "no-pilot-groups": return "the stack names no pilot group (fido2SecurityKeyMethod.includeGroups, cloudTrustPolicy.assignments.includeGroups); no user was checked";
    }
}

function table(header: string[], rows: string[][]): string[] {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

const ORDER = { blocking: 0, warning: 1, info: 2 } as const;

export function renderReport(r: ReadinessReport): string {
    const out: string[] = [`Readiness of tenant ${r.tenantId}: ${r.verdict.toUpperCase()} (${r.counts.blocking} blocking, ${r.counts.warning} warnings, ${r.counts.info} info)`, ""];
    out.push(...table(["forest", "domain", "domain level", "forest level", "DCs (OS version)", "Kerberos server"], r.domains.map((d) => {
        const ks = d.kerberosServer;
        const server = !ks ? "not read" : !ks.exists ? "absent" : `key ${ks.keyVersion ?? "?"} (kvno ${ks.keyVersionNumber ?? "?"}), ${ks.keyAgeDays ?? "?"} days old${ks.complete ? "" : ", inconsistent"}`;
        return [d.forest, d.domain, d.domainFunctionalLevel ?? "-", d.forestFunctionalLevel ?? "-",
            d.domainControllers.map((dc) => `${dc.hostName} (${dc.operatingSystem ?? "?"} ${dc.operatingSystemVersion ?? "?"})`).join("; ") || "-", server];
    })));
    if (r.pilotGroups.length > 0) {
        out.push("", ...table(["pilot group", "users", "users with findings"], r.pilotGroups.map((g) => [g.group, String(g.users), String(g.usersWithFindings)])));
    }
    if (r.tenant) {
        const t = r.tenant;
        out.push("", ...table(["cloud trust profile", "assigned groups", "Intune profiles read", "CA policies read", "FIDO2"], [[
            t.cloudTrustProfile ? `${t.cloudTrustProfile.name} (${t.cloudTrustProfile.id})` : "-", t.cloudTrustProfile?.assignedGroupIds.join(", ") || "-",
            String(t.intuneProfilesRead ?? "-"), String(t.conditionalAccessPoliciesRead ?? "-"), t.fido2State ?? "-",
        ]]));
    }
    const findings = [...r.findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
    if (findings.length > 0) {
        out.push("", ...table(["severity", "object", "where", "finding"], findings.map((f) => [
            f.severity, f.object, [f.domain, f.pilotGroup && `pilot group ${f.pilotGroup}`].filter(Boolean).join(", ") || "-", describeFinding(f),
        ])));
    }
    return out.join("\n") + "\n";
}
