// The publisher factory: which adapter for which input, where each secret comes from, and the
// configurations it refuses before any I/O (constructing an adapter does no I/O).
import { ProviderError } from "../../../provider/core/errors";
import { withDeadline } from "../../../provider/core/deadline";
import { createPublisher, type PublisherContext } from "../../../provider/publisher/factory";

const directory = { urls: ["ldaps://dc1:636"], username: "admin@corp.example.com", password: "Dir-Pw-123" };
const graph = { tenantId: "7b0f2c3e-5d1a-4c8e-9f60-1a2b3c4d5e6f", credential: { type: "clientSecret" as const, clientId: "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c", clientSecret: { env: "G" } } };

function ctx(over: Partial<PublisherContext> = {}): PublisherContext & { resolved: string[] } {
    const resolved: string[] = [];
    return {
        directory, graph, resolved,
        resolveSecret: (ref: any, input?: string) => {
            resolved.push(input ?? "?");
            return ref.env === "SSH_KEY" ? "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n" : `value-of-${ref.env ?? ref.config}`;
        },
        ...over,
    };
}

describe("createPublisher", () => {
    test("lab: the domain credential is the directory account; the cloud credential comes from graph", () => {
        const c = ctx();
        const h = createPublisher({ type: "lab", endpoint: "https://127.0.0.1:47443/lab/kerberos" }, c);
        expect(h.domainCredential).toEqual({ username: directory.username, password: directory.password });
        expect(h.description).toBe("lab publisher https://127.0.0.1:47443/lab/kerberos");
        expect(typeof h.port.set).toBe("function");
    });

    test("lab without graph is refused naming graph", () => {
        expect(() => createPublisher({ type: "lab", endpoint: "https://127.0.0.1:1/lab" }, ctx({ graph: undefined })))
            .toThrow(expect.objectContaining({ code: "PublisherConfigInvalid", input: "graph" }));
    });

    test("lab endpoint must be https", () => {
        expect(() => createPublisher({ type: "lab", endpoint: "http://127.0.0.1:1/lab" }, ctx())).toThrow(/https/);
    });

    test("powershell over ssh: private key and cloud password resolved from their SecretRefs, named by input, only when the module runs", () => {
        const c = ctx();
        const h = createPublisher({
            type: "powershell", cloudUserPrincipalName: "admin@contoso.onmicrosoft.com", signIn: { mode: "password", password: { env: "CLOUD_PW" }, accountExcludedFromMfa: true },
            shell: { type: "ssh", host: "win1.corp.example.com", user: "svc", privateKey: { env: "SSH_KEY" } },
        }, c);
        // a refresh reads without the module: it must not need the module's secrets
        expect(h.description).toBe("PowerShell publisher (powershell.exe over ssh svc@win1.corp.example.com)");
        expect(c.resolved).toEqual([]);
        expect(typeof h.port.get).toBe("function");
        expect(c.resolved).toEqual(["publisher.shell.privateKey", "publisher.signIn.password"]);
        expect(h.domainCredential).toEqual({ username: directory.username, password: directory.password });
        expect(h.description).toBe("PowerShell publisher (powershell.exe over ssh svc@win1.corp.example.com)");
    });

    test("powershell, deferred sign-in: nothing resolved, and a write hands over the commands to run by hand, without a secret", async () => {
        const c = ctx();
        const h = createPublisher({ type: "powershell", cloudUserPrincipalName: "admin@contoso.onmicrosoft.com", signIn: { mode: "deferred" }, cloud: "china" }, c);
        expect(c.resolved).toEqual([]);
        expect(h.deferred).toBe(true);
        const e = await h.port.set({ domain: "corp.example.com", domainCredential: h.domainCredential, rotateServerKey: true }).catch((x) => x);
        expect(e).toMatchObject({ code: "PublishDeferred", input: "publisher.signIn", resource: "corp.example.com" });
        for (const line of [
            "Import-Module AzureADHybridAuthenticationManagement", "Set-AzureADKerberosServerEndpoint -TargetEndpoint 1",
            "$domain = 'corp.example.com'", "$userPrincipalName = 'admin@contoso.onmicrosoft.com'",
            "Set-AzureADKerberosServer -Domain $domain -UserPrincipalName $userPrincipalName -DomainCredential $domainCred -RotateServerKey",
            "Get-AzureADKerberosServer -Domain $domain -UserPrincipalName $userPrincipalName -DomainCredential $domainCred",
        ]) expect(e.message).toContain(`\n    ${line}`);
        expect(e.message).not.toContain(directory.password);
        await expect(h.port.remove({ domain: "corp.example.com", domainCredential: h.domainCredential }))
            .rejects.toMatchObject({ code: "PublishDeferred", message: expect.stringContaining("Remove-AzureADKerberosServer -Domain $domain") });
    });

    test("powershell locally: the host named in the description", () => {
        const pw = { mode: "password" as const, password: { env: "PW" }, accountExcludedFromMfa: true as const };
        expect(createPublisher({ type: "powershell", cloudUserPrincipalName: "admin@contoso.onmicrosoft.com", signIn: pw }, ctx()).description).toBe("PowerShell publisher (powershell.exe, local)");
        expect(createPublisher({ type: "powershell", host: "pwsh", cloudUserPrincipalName: "admin@contoso.onmicrosoft.com", signIn: pw }, ctx()).description)
            .toBe("PowerShell publisher (pwsh, local)");
    });

    test("publisher.domainCredential is the module's -DomainCredential, apart from the directory account", () => {
        const c = ctx();
        const h = createPublisher({
            type: "powershell", cloudUserPrincipalName: "a@b.c", signIn: { mode: "password", password: { env: "PW" }, accountExcludedFromMfa: true },
            domainCredential: { username: "da@child.corp.example.com", password: { env: "DA_PW" } },
        }, c);
        expect(c.resolved).toEqual([]);
        expect(h.domainCredential.username).toBe("da@child.corp.example.com");
        expect(c.resolved).toEqual(["publisher.signIn.password", "publisher.domainCredential.password"]);
        expect(h.domainCredential).toEqual({ username: "da@child.corp.example.com", password: "value-of-DA_PW" });
    });

    test("an unknown type", () => {
        expect(() => createPublisher({ type: "rest" } as any, ctx())).toThrow(ProviderError);
    });
});

describe("withDeadline", () => {
    test("a step that hangs becomes OperationTimeout naming the input to raise", async () => {
        const never = new Promise<void>(() => undefined);
        await expect(withDeadline(20, "AzureADKerberosServer corp: create", () => never, "timeouts.create"))
            .rejects.toMatchObject({ code: "OperationTimeout", input: "timeouts.create", retryable: true, message: expect.stringMatching(/safe to run it again.*timeouts\.create/) });
    });

    test("a result in time passes through", async () => {
        await expect(withDeadline(1000, "x", async () => 42)).resolves.toBe(42);
    });
});
