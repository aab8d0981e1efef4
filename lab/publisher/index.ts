// The lab Kerberos publisher: the cloud side of Set/Get/Remove-AzureADKerberosServer for the lab.
export { LabKerberosPublisher, ROTATION_INTERVAL_MS } from "./publisher";
export type { LabKerberosPublisherOptions } from "./publisher";
export { publisherHandler, PUBLISHER_MOUNT_PREFIX, actorFromClaims } from "./http";
export { kerberosDomainAuditEvent, kerberosDomainDescription } from "./audit";
export { Faults } from "./faults";
export type { FaultPoint, FaultSpec } from "./faults";
export { RecordStore } from "./store";
export type * from "./types";
