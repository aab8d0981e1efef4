// Chooses the KerberosPublisherPort adapter from the resource's `publisher` input and resolves its
// secrets (SecretRefs) here, inside the provider process, at the moment of use. The reconciler gets
// a port plus the -DomainCredential to pass, and never knows which adapter it holds.
import { ProviderError } from "../core/errors";
import type { ResolvedDirectoryConnection } from "../ad/connection";
import { sharedCredentials } from "../graph/credential-cache";
import { resolveEndpoints } from "../graph/endpoints";
import { trustList } from "../graph/tls";
import type { GraphConnection, SecretResolver } from "../graph/types";
import type { KerberosPublisher } from "../kerberos/model";
import { createLabPublisher } from "./lab";
import type { DomainCredential, KerberosPublisherPort } from "./port";
import { createPowerShellPublisher, HOST_COMMANDS } from "./powershell-publisher";
import { manualCommands, type ManualRequest } from "./powershell-script";

export interface PublisherContext {
    /** the directory connection with its password resolved */
    directory: ResolvedDirectoryConnection;
    graph?: GraphConnection;
    resolveSecret: SecretResolver;
    /** per publisher call */
    timeoutMs?: number;
    env?: NodeJS.ProcessEnv;
    /** diagnostics of the adapter (secrets already scrubbed by it) */
    onLog?: (line: string) => void;
}

export interface PublisherHandle {
    port: KerberosPublisherPort;
    /** the module's -DomainCredential for every call */
    domainCredential: DomainCredential;
    /** what it is, for messages: "lab publisher https://…", "PowerShell (ssh admin@host)" */
    description: string;
    /**
     * publisher.signIn "deferred": this run has no cloud sign-in. The port's writes fail with
     * PublishDeferred naming the commands to run by hand, and reads never ask it (observe.ts).
     */
    deferred: boolean;
}

export function createPublisher(input: KerberosPublisher, ctx: PublisherContext): PublisherHandle {
    const fromDirectory: DomainCredential = { username: ctx.directory.username, password: ctx.directory.password };
    switch (input?.type) {
        case "lab":
            return {
                port: createLabPublisher({ endpoint: input.endpoint, caCertificate: input.caCertificate, timeoutMs: ctx.timeoutMs, ...labToken(ctx) }),
                domainCredential: fromDirectory,
                description: `lab publisher ${input.endpoint}`,
                deferred: false,
            };
        case "powershell": {
            const host = input.host ?? "windowsPowerShell";
            if (input.signIn?.mode === "deferred") return deferredPublisher(input, fromDirectory);
            const signIn = input.signIn;
            // The module's secrets are resolved only when the module runs: a refresh reads without
            // it (observe.ts), so a pull request's preview needs neither the cloud password nor the SSH key
            let module: { port: KerberosPublisherPort; domainCredential: DomainCredential } | undefined;
            const resolved = () => module ??= {
                port: createPowerShellPublisher({
                    shell: input.shell?.type === "ssh"
                        ? { type: "ssh", host: input.shell.host, user: input.shell.user, port: input.shell.port, hostKey: input.shell.hostKey,
                            privateKeyPem: ctx.resolveSecret(input.shell.privateKey, "publisher.shell.privateKey") }
                        : { type: "local" },
                    host, cloud: input.cloud, cloudUserPrincipalName: input.cloudUserPrincipalName, timeoutMs: ctx.timeoutMs, onLog: ctx.onLog,
                    cloudPassword: signIn?.mode === "password" ? ctx.resolveSecret(signIn.password, "publisher.signIn.password") : undefined,
                }),
                // the module's -DomainCredential: its own input, or the directory account (check made sure that one is a UPN then)
                domainCredential: input.domainCredential
                    ? { username: input.domainCredential.username, password: ctx.resolveSecret(input.domainCredential.password, "publisher.domainCredential.password") }
                    : fromDirectory,
            };
            return {
                get port() { return resolved().port; },
                get domainCredential() { return resolved().domainCredential; },
                description: `PowerShell publisher (${HOST_COMMANDS[host]}${input.shell?.type === "ssh" ? ` over ssh ${input.shell.user}@${input.shell.host}` : ", local"})`,
                deferred: false,
            };
        }
        default:
            throw new ProviderError("PublisherConfigInvalid", `publisher.type must be "powershell" or "lab", got ${JSON.stringify((input as { type?: unknown })?.type)}`, { input: "publisher.type" });
    }
}

type PowerShellInput = Extract<KerberosPublisher, { type: "powershell" }>;

/** publisher.signIn "deferred": every write is handed to the admin as the commands to run. */
function deferredPublisher(input: PowerShellInput, domainCredential: DomainCredential): PublisherHandle {
    const handOver = (req: Omit<ManualRequest, "cloudUserPrincipalName" | "endpoint">): never => {
        const what = req.operation === "set" ? (req.rotateServerKey ? "rotate and publish the key of" : "create or publish") : "remove";
        throw new ProviderError("PublishDeferred",
            `publisher.signIn is "deferred", so this run does not sign in to Entra: ${what} the Azure AD Kerberos server of ${req.domain} by hand. ` +
            "In an elevated Windows PowerShell on the Entra Connect server (or a host with the module and its RPC libraries), signed in as " +
            `${input.cloudUserPrincipalName} when the module asks (MFA included), run:\n\n` +
            manualCommands({ ...req, cloudUserPrincipalName: input.cloudUserPrincipalName, endpoint: input.cloud }).map((l) => `    ${l}`).join("\n") +
            "\n\nThen run `pulumi up` again: it reads the result (the Entra audit log and AD) and completes without publishing",
            { input: "publisher.signIn", resource: req.domain });
    };
    return {
        port: {
            set: async (req) => handOver({ operation: "set", domain: req.domain, rotateServerKey: req.rotateServerKey, force: req.force }),
            remove: async (req) => handOver({ operation: "remove", domain: req.domain }),
            get: async (req) => {
                throw new ProviderError("PublishDeferred", `publisher.signIn is "deferred": the cloud record of ${req.domain} is read from the Entra audit log, not the module`, { input: "publisher.signIn" });
            },
        },
        domainCredential,
        description: "PowerShell publisher (deferred: commands run by hand)",
        deferred: true,
    };
}

/** Bearer tokens for the lab publisher from the resource's graph credential (the lab's cloud credential). */
function labToken(ctx: PublisherContext): { getToken: () => Promise<string>; renewToken: () => void } {
    const graph = ctx.graph;
    if (!graph) {
        throw new ProviderError("PublisherConfigInvalid", 'graph is required with publisher.type "lab": the lab publisher authenticates with graph.credential', { input: "graph" });
    }
    const endpoints = resolveEndpoints(graph);
    // the process's credential for this identity: the same token as the Graph calls of every resource (credential-cache.ts)
    const credential = sharedCredentials.credential(graph, { endpoints, ca: trustList(graph.caCertificate), resolveSecret: ctx.resolveSecret, env: ctx.env ?? process.env });
    return {
        getToken: async () => {
            const t = await credential.getToken(endpoints.scope);
            if (!t?.token) throw new ProviderError("PublisherAuthFailed", "graph.credential returned no token for the lab publisher", { input: "graph.credential" });
            return t.token;
        },
        renewToken: () => credential.renew(),
    };
}
