// The Samba part of the local lab: one single-DC AD forest per loopback address, LDAPS with the
// lab CA. Each module below does one job; this file is the API other parts of the lab import.
export { ensureSambaInstalled, SAMBA_PACKAGES } from "./install";
export { provisionForest } from "./provision";
export { startDc, stopDc, dcStatus } from "./lifecycle";
export { resetForest } from "./reset";
export { upForests } from "./up";
export { labForestOf, dcPaths } from "./paths";
export { labLdapClient, ldapsRootDse, ldapsAnswers } from "./probe";
export { labCaCertPath, readLabCaPem } from "./tls";
