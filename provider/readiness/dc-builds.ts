// Which domain controllers can serve cloud Kerberos, from what AD says of them (operatingSystem,
// operatingSystemVersion of the DC computer objects). Pure.
//
// Microsoft: "On a Windows Server 2016 or 2019 domain controller, check that the Nov patch is
// applied", and patch "a majority of your Windows Server 2016 or 2019 domain controllers" (FAQ for
// hybrid FIDO2 security keys, https://learn.microsoft.com/entra/identity/authentication/howto-authentication-passwordless-faqs).
// The November 2019 cumulative updates and their builds: Windows Server 2016, KB4525236, OS build
// 14393.3326 (https://support.microsoft.com/help/4525236); Windows Server 2019, KB4523205, OS build
// 17763.864 (https://support.microsoft.com/help/4523205). Builds before 14393 (Windows Server 2012 R2
// and older) cannot serve it; later releases (2022: 20348, 2025: 26100) shipped with it.
//
// AD stores "10.0 (14393)": the build without the update revision, so for 2016 and 2019 the patch
// level is usually unknown from AD alone, and the report says so rather than guessing.
import { finding, type Finding } from "./findings";

export interface DcFacts {
    /** dNSHostName, or the computer's DN when it has none */
    hostName: string;
    operatingSystem?: string;
    operatingSystemVersion?: string;
}

export type DcCapability = "capable" | "incapable" | "unknown" | "not-windows";

/** build -> first revision with the November 2019 update (the sources above) */
export const NOVEMBER_2019_REVISION: Readonly<Record<number, number>> = { 14393: 3326, 17763: 864 };
export const FIRST_SUPPORTED_BUILD = 14393;

export interface WindowsBuild {
    build: number;
    /** the update revision (UBR), when the version string carries one */
    revision?: number;
}

/** "10.0 (14393)" or "10.0 (14393.3326)" -> { build, revision }; undefined for any other form. */
export function parseWindowsVersion(version: string | undefined): WindowsBuild | undefined {
    const m = /^\s*\d+\.\d+\s*\((\d+)(?:\.(\d+))?\)\s*$/.exec(version ?? "");
    if (!m) return undefined;
    return { build: Number(m[1]), revision: m[2] === undefined ? undefined : Number(m[2]) };
}

export interface DcAssessment {
    capability: DcCapability;
    build?: WindowsBuild;
    finding?: Finding;
}

export function assessDc(dc: DcFacts, domain: string): DcAssessment {
    const os = dc.operatingSystem ?? "";
    const facts = { operatingSystem: os || "(not set)", operatingSystemVersion: dc.operatingSystemVersion ?? "(not set)" };
    if (!/windows/i.test(os)) {
        return { capability: "not-windows", finding: finding("dc-not-windows", dc.hostName, { domain, facts }) };
    }
    const build = parseWindowsVersion(dc.operatingSystemVersion);
    if (!build) return { capability: "unknown", finding: finding("dc-patch-level-unknown", dc.hostName, { domain, facts }) };
    if (build.build < FIRST_SUPPORTED_BUILD) {
        return { capability: "incapable", build, finding: finding("dc-os-unsupported", dc.hostName, { domain, facts: { ...facts, build: build.build } }) };
    }
    const line = NOVEMBER_2019_REVISION[build.build];
    if (line === undefined) return { capability: "capable", build };
    if (build.revision === undefined) {
        return { capability: "unknown", build, finding: finding("dc-patch-level-unknown", dc.hostName, { domain, facts: { ...facts, requiredRevision: `${build.build}.${line}` } }) };
    }
    if (build.revision < line) {
        return { capability: "incapable", build, finding: finding("dc-unpatched", dc.hostName, { domain, facts: { ...facts, requiredRevision: `${build.build}.${line}` } }) };
    }
    return { capability: "capable", build };
}

/**
 * Per DC findings, and a blocking one when the domain has Windows DCs and every one of them is known
 * not to serve cloud Kerberos (a DC of unknown patch level or a non-Windows DC is not counted
 * against the domain: the report cannot tell).
 */
export function dcFindings(dcs: readonly DcFacts[], domain: string): { assessments: DcAssessment[]; findings: Finding[] } {
    const assessments = dcs.map((dc) => assessDc(dc, domain));
    const findings = assessments.flatMap((a) => (a.finding ? [a.finding] : []));
    const windows = assessments.filter((a) => a.capability !== "not-windows");
    if (windows.length > 0 && assessments.every((a) => a.capability === "incapable")) {
        findings.push(finding("domain-no-capable-dc", domain, { domain, facts: { domainControllers: dcs.map((d) => d.hostName) } }));
    }
    return { assessments, findings };
}
