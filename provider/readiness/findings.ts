// The readiness report's findings: plain data, one per thing that will (blocking) or may (warning)
// keep cloud Kerberos trust from working, or is worth knowing (info). Each names the object that
// causes it. The words a person reads are made from these in render.ts, never stored here, so
// `--json` consumers branch on `kind` and `facts`, not on sentences.

export type Severity = "blocking" | "warning" | "info";

/** Each kind's severity is fixed: the same cause always weighs the same. */
export const FINDING_SEVERITY = {
    // domain controllers (dc-builds.ts)
    "dc-not-windows": "info",
    "dc-os-unsupported": "warning",
    "dc-unpatched": "warning",
    "dc-patch-level-unknown": "warning",
    "domain-no-capable-dc": "blocking",
    "domain-unreadable": "blocking",
    // the domain's Kerberos server (readKerberosServer)
    "kerberos-server-absent": "info",
    "kerberos-server-inconsistent": "warning",
    "kerberos-key-old": "warning",
    "kerberos-server-other-tenant": "blocking",
    // pilot users (user-rules.ts)
    "user-in-denied-group": "blocking",
    "user-in-denied-rodc-group": "warning",
    "user-not-synchronised": "blocking",
    "user-disabled": "blocking",
    "user-domain-not-in-stack": "warning",
    "user-not-found-on-premises": "blocking",
    // pilot groups
    "pilot-group-not-found": "blocking",
    "pilot-group-ambiguous": "blocking",
    "pilot-groups-unreadable": "blocking",
    "no-pilot-groups": "info",
    // the tenant (tenant-rules.ts)
    "intune-profile-absent": "info",
    "intune-profile-not-assigned": "warning",
    "intune-conflicting-user-profile": "blocking",
    "intune-conflicting-profile": "warning",
    "ca-mfa-covers-storage-app": "blocking",
    "ca-report-only-mfa-covers-storage-app": "warning",
    "fido2-disabled": "warning",
    "fido2-not-targeting-pilot-group": "warning",
    "tenant-section-unreadable": "blocking",
} as const satisfies Record<string, Severity>;

export type FindingKind = keyof typeof FINDING_SEVERITY;

export interface Finding {
    kind: FindingKind;
    severity: Severity;
    /** what causes it: a DC's host name, a user's UPN, a domain's, a group's, a profile's or a policy's name, an object's DN */
    object: string;
    /** the AD domain it was found in, when it belongs to one */
    domain?: string;
    /** the pilot group whose member it is, for user findings */
    pilotGroup?: string;
    /** the kind's own facts (a build number, the denied groups), for machines and the table */
    facts?: Record<string, string | number | boolean | string[]>;
}

export function finding(kind: FindingKind, object: string, extra: Omit<Finding, "kind" | "severity" | "object"> = {}): Finding {
    return { kind, severity: FINDING_SEVERITY[kind], object, ...extra };
}

/** The report's verdict: blocking if any finding blocks, warnings if any warns, else ready. */
export type Verdict = "ready" | "warnings" | "blocking";

export function verdictOf(findings: readonly Finding[]): Verdict {
    if (findings.some((f) => f.severity === "blocking")) return "blocking";
    if (findings.some((f) => f.severity === "warning")) return "warnings";
    return "ready";
}

/** The command's exit code per verdict (docs/readiness.md): 0 ready, 1 warnings, 2 blocking. */
export const EXIT_CODES: Record<Verdict, number> = { ready: 0, warnings: 1, blocking: 2 };
