// The KerberosPublisher port: who creates, rotates, publishes and removes the Azure AD Kerberos
// server's key material. Microsoft's cloud side is private (docs/sources.md, Kerberos §3.2), so key
// publication goes through Microsoft's PowerShell module (production) or the lab publisher (lab).
// The reconciler holds one of these and never knows which.

/** Get-AzureADKerberosServer's property table; on-prem values from AD, Cloud* from Entra; null when absent. */
export interface KerberosServerTable {
    Id: number | null;
    UserAccount: string | null;
    ComputerAccount: string | null;
    DisplayName: string | null;
    DomainDnsName: string;
    KeyVersion: number | null;
    KeyUpdatedOn: string | null;
    KeyUpdatedFrom: string | null;
    CloudDisplayName: string | null;
    CloudDomainDnsName: string | null;
    CloudId: number | null;
    CloudKeyVersion: number | null;
    CloudKeyUpdatedOn: string | null;
}

/** The module's -DomainCredential: an account in Domain Admins (and Enterprise Admins) of the domain. */
export interface DomainCredential {
    username: string;
    password: string;
}

export interface PublisherRequest {
    domain: string;
    domainCredential: DomainCredential;
}

export interface SetServerRequest extends PublisherRequest {
    /** Set-AzureADKerberosServer -RotateServerKey */
    rotateServerKey?: boolean;
    /** -Force: rotate even within 24 h of the last rotation */
    force?: boolean;
}

export interface KerberosPublisherPort {
    /** Set-AzureADKerberosServer: create (idempotent) or rotate and publish; returns the table after. */
    set(req: SetServerRequest): Promise<KerberosServerTable>;
    /** Get-AzureADKerberosServer: the table (all on-prem/cloud fields null when absent). */
    get(req: PublisherRequest): Promise<KerberosServerTable>;
    /** Remove-AzureADKerberosServer: objects in AD and the KerberosDomain in Entra. */
    remove(req: PublisherRequest): Promise<void>;
}
