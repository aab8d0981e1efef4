// The PowerShell publisher's public surface: the port adapter and its options.
export { createPowerShellPublisher, DEFAULT_TIMEOUT_MS } from "./powershell-publisher";
export type { PowerShellPublisherOptions, PowerShellShell } from "./powershell-publisher";
