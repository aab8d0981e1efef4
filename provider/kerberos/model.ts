// The AzureADKerberosServer model: what a user declares (inputs, docs/resources/) and what the provider
// reports (outputs: Get-AzureADKerberosServer's properties plus the verdict). Plain data only:
// inputs are stored in Pulumi state as they are, so every secret in them is a SecretRef.
import type { SecretRef } from "../core/secrets";
import type { GraphConnection } from "../graph/types";

export type { SecretRef } from "../core/secrets";
export type { GraphConnection, GraphCredentialConfig } from "../graph/types";

/** One AD domain over LDAP (docs/resources/). */
export interface DirectoryConnection {
    /** "ldaps://dc1.corp.example.com:636", tried in order (failover) */
    urls: string[];
    /** UPN ("admin@corp.example.com") or DN */
    username: string;
    password: SecretRef;
    /** PEM; TLS is verified by default */
    caCertificate?: string;
    tlsServerName?: string;
    /** default false: plain ldap:// is refused unless this is true */
    allowPlainLdap?: boolean;
    timeoutMs?: number;
}

/** Where the PowerShell publisher runs (API input; the adapter gets the private key resolved). */
export type PublisherShell =
    | { type: "local" }
    | {
        type: "ssh"; host: string; user: string; privateKey: SecretRef; port?: number;
        /** the host's public key: a known_hosts line or a bare "<type> <base64>"; default: ssh's own known_hosts */
        hostKey?: string;
    };

/** Which PowerShell runs the module: Windows PowerShell 5.1 (the default, the one Microsoft documents) or PowerShell 7. */
export type PowerShellHost = "windowsPowerShell" | "pwsh";

/**
 * The Entra cloud the module publishes to: Set-AzureADKerberosServerEndpoint -TargetEndpoint
 * 0 (public), 1 (China, operated by 21Vianet), 2 (US Government). See provider/publisher/POWERSHELL.md.
 */
export type EntraCloud = "public" | "china" | "usGovernment";

/** The module's -DomainCredential when it is not the directory account. */
export interface ModuleDomainCredential {
    /** UPN form (admin@corp.example.com): the module's NTLM fallback for DOMAIN\name fails */
    username: string;
    password: SecretRef;
}

/**
 * How the module signs in to Entra (docs/operations.md, "Sign-in to Entra"):
 *   - "password": -CloudCredential with this account's password (resource-owner password flow,
 *     which cannot satisfy MFA). Accepted only with accountExcludedFromMfa: true, the operator's
 *     statement that the account is excluded from MFA (and so should be a cloud-only account,
 *     PIM-activated just in time, with Conditional Access scoped to the runner).
 *   - "deferred": no sign-in in this run. `up` does everything else; a publish this resource needs
 *     fails with PublishDeferred, printing the PowerShell commands to run by hand on the Entra
 *     Connect server; the next `up` reads the result (audit log) and completes without publishing.
 */
export type PublisherSignIn =
    | { mode: "password"; password: SecretRef; accountExcludedFromMfa: true }
    | { mode: "deferred" };

/** Who creates, rotates, publishes and removes the key material (docs/resources/). */
export type KerberosPublisher =
    | {
        type: "powershell";
        shell?: PublisherShell;
        cloudUserPrincipalName: string;
        signIn: PublisherSignIn;
        /** default "windowsPowerShell" (powershell.exe) */
        host?: PowerShellHost;
        /** default: the directory connection's account, which must then be in UPN form */
        domainCredential?: ModuleDomainCredential;
        /** set the module's endpoint to this cloud before every operation; left out: the endpoint the host's module is set to (public unless changed) */
        cloud?: EntraCloud;
    }
    | {
        type: "lab";
        /** the lab publisher's base URL, e.g. https://127.0.0.1:47443/lab/kerberos */
        endpoint: string;
        /** PEM the publisher's TLS certificate is verified against */
        caCertificate?: string;
    };

export interface KeyRotation {
    /** rotate when the key is older than this many days (positive, at most 3650) */
    maxAgeDays?: number;
    /** any string; changing it rotates the key once */
    trigger?: string;
    /**
     * Rotate even within 24 hours of the previous rotation (the module's -Force). Default false:
     * Entra activates a new key only after 24 h, so rotating twice within that window can leave
     * tickets encrypted with a key the cloud no longer has.
     */
    force?: boolean;
}

/** Per-operation time limits in seconds (the Node dynamic-provider host ignores customTimeouts). */
export interface OperationTimeouts {
    create?: number;
    read?: number;
    update?: number;
    delete?: number;
}

export interface AzureADKerberosServerInputs {
    /** DNS name of the AD domain; changing it replaces the resource */
    domain: string;
    directory: DirectoryConnection;
    publisher: KerberosPublisher;
    /** cross-checks the cloud key version against the Entra audit log (category KerberosDomain) */
    graph?: GraphConnection;
    /** msDS-RevealOnDemandGroup: names, DNs or SIDs; default ["Domain Users"] */
    allowedGroups?: string[];
    /** added to the nine built-in denied groups, which always stay */
    deniedGroups?: string[];
    /** default false: a privileged group in allowedGroups is refused */
    allowPrivilegedGroups?: boolean;
    keyRotation?: KeyRotation;
    timeouts?: OperationTimeouts;
    /** set by the Resource class (OWNER_INPUT) */
    listOwner?: string;
}

/**
 * Set by the Resource class, never by users: the desired verdict ("no drift"). `read` reports the
 * observed reasons under the same input name, so `pulumi preview --refresh --diff` prints
 * `driftReasons: ["key version on-prem 4052 ≠ cloud 4040"] => []` for a drifted server.
 */
export const DRIFT_INPUT = "driftReasons";

/**
 * Set by `check`, never by users: the domain this resource was made for, when the program now names
 * another one (a replacement: Remove- then Set-AzureADKerberosServer). Policy packs see only the
 * checked inputs, never the plan, so this is how a CrossGuard rule can flag the replacement.
 */
export const REPLACES_DOMAIN_INPUT = "replacesDomain";

/**
 * Set by the Resource class, never by users: who declares this server ("project/stack/name"). Its
 * allow/deny entries are claimed in AD under this name, so several stacks can declare one domain
 * without removing each other's entries (ad/list-claims.ts).
 */
export const OWNER_INPUT = "listOwner";

/** The owner when the Resource class did not set one (the provider driven directly). */
export function listOwnerOf(inputs: { listOwner?: string; domain: string }): string {
    return inputs.listOwner ?? `(no owner)/${normalizeDomain(inputs.domain)}`;
}

/** Every input key the provider accepts (check refuses others, so a typo does not pass silently). */
export const INPUT_KEYS = [
    "domain", "directory", "publisher", "graph", "allowedGroups", "deniedGroups", "allowPrivilegedGroups",
    "keyRotation", "timeouts", DRIFT_INPUT, OWNER_INPUT,
] as const;

export interface AzureADKerberosServerOutputs {
    /** msDS-SecondaryKrbTgtNumber (Get's Id) */
    branchId: number | null;
    domainDnsName: string;
    computerAccount: string | null;
    userAccount: string | null;
    /** originating USN of the krbtgt_AzureAD key change */
    keyVersion: number | null;
    keyUpdatedOn: string | null;
    keyUpdatedFrom: string | null;
    cloudId: number | null;
    cloudDomainDnsName: string | null;
    cloudKeyVersion: number | null;
    cloudKeyUpdatedOn: string | null;
    /** OriginatingUsn of the newest KerberosDomain audit event (null without `graph` or without an event) */
    auditKeyVersion: number | null;
    /**
     * where the cloud* values came from: "module" (Get/Set-AzureADKerberosServer, or the lab
     * publisher), "auditLog" (the newest KerberosDomain audit event, app-only Graph), "state" (the last
     * module read; the log has no event within its retention), "none" (AD has no Kerberos server to look up)
     */
    cloudKeySource: "module" | "auditLog" | "state" | "none";
    /** when this resource last rotated the key (its own 24-hour rule uses this) */
    lastRotatedOn: string | null;
    inSync: boolean;
    driftReasons: string[];
}

/** What a state entry holds: the inputs it was made from, and the outputs. */
export type AzureADKerberosServerState = AzureADKerberosServerInputs & AzureADKerberosServerOutputs;

export const OUTPUT_KEYS: readonly (keyof AzureADKerberosServerOutputs)[] = [
    "branchId", "domainDnsName", "computerAccount", "userAccount", "keyVersion", "keyUpdatedOn", "keyUpdatedFrom",
    "cloudId", "cloudDomainDnsName", "cloudKeyVersion", "cloudKeyUpdatedOn", "auditKeyVersion", "cloudKeySource", "lastRotatedOn",
    "inSync", "driftReasons",
];

/** msDS-RevealOnDemandGroup when allowedGroups is not given (what Microsoft's module sets). */
export const DEFAULT_ALLOWED_GROUP_INPUTS: readonly string[] = ["Domain Users"];

export const DEFAULT_TIMEOUTS_SECONDS: Required<OperationTimeouts> = { create: 300, read: 120, update: 300, delete: 180 };

/** The module allows one rotation per 24 hours unless -Force (docs/sources.md, Kerberos §2.3). */
export const ROTATION_MIN_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** The inputs part of a state entry (what `read` hands back to the engine as the inputs). */
export function inputsOf(state: Record<string, any>): AzureADKerberosServerInputs {
    const out: Record<string, any> = {};
    for (const k of INPUT_KEYS) if (k !== DRIFT_INPUT && state[k] !== undefined) out[k] = state[k];
    return out as AzureADKerberosServerInputs;
}

/** DNS names compare case-insensitively and without a trailing dot. */
export function normalizeDomain(domain: string): string {
    return domain.trim().replace(/\.$/, "").toLowerCase();
}
