// check: every input validated without I/O, each failure naming its input path. Table-driven: one
// row per rule, each row a change to a valid baseline and the paths that must fail.
import { rootCertificates } from "node:tls";
import { inputWarnings, validateInputs, UNKNOWN } from "../../../provider/kerberos/validation";

// a real certificate: check parses PEM, so a text with only the BEGIN line is refused
const CA = rootCertificates[0];
const base = () => ({
    domain: "corp.example.com",
    directory: { urls: ["ldaps://dc1.corp.example.com:636"], username: "admin@corp.example.com", password: { env: "CORP_PW" }, caCertificate: CA },
    publisher: { type: "lab", endpoint: "https://127.0.0.1:47443/lab/kerberos", caCertificate: CA },
    graph: { tenantId: "7b0f2c3e-5d1a-4c8e-9f60-1a2b3c4d5e6f", credential: { type: "clientSecret", clientId: "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c", clientSecret: { env: "GRAPH_SECRET" } } },
    driftReasons: [],
});

type Row = [name: string, change: (i: any) => void, failing: string[], reason?: RegExp];

// an ssh shell with a real-shaped ed25519 host key (type string, then 32 bytes)
const HOST_KEY = `ssh-ed25519 ${Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from("ssh-ed25519"), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 9)]).toString("base64")}`;
const ssh = () => ({ type: "ssh", host: "adm01.corp.example.com", user: "svc", privateKey: { env: "K" }, hostKey: HOST_KEY });
const ps = (extra: object = {}) => ({ type: "powershell", cloudUserPrincipalName: "admin@contoso.onmicrosoft.com", shell: ssh(), signIn: { mode: "deferred" }, ...extra });
const pwSignIn = (extra: object = {}) => ({ mode: "password", password: { env: "CLOUD_PW" }, accountExcludedFromMfa: true, ...extra });

const rows: Row[] = [
    ["a valid baseline", () => undefined, []],
    ["domain missing", (i) => { delete i.domain; }, ["domain"], /required/],
    ["domain not a DNS name", (i) => { i.domain = "corp..example"; }, ["domain"], /not a DNS domain name/],
    ["domain with a space", (i) => { i.domain = " corp.example.com"; }, ["domain"]],
    ["domain with a trailing dot is fine", (i) => { i.domain = "corp.example.com."; }, []],
    ["directory missing", (i) => { delete i.directory; }, ["directory"]],
    ["no urls", (i) => { i.directory.urls = []; }, ["directory.urls"]],
    ["url not a URL", (i) => { i.directory.urls = ["ldaps://ok:636", "dc2"]; }, ["directory.urls[1]"], /not a URL/],
    ["http url", (i) => { i.directory.urls = ["https://dc1:636"]; }, ["directory.urls[0]"], /ldaps:\/\//],
    ["url with a base DN", (i) => { i.directory.urls = ["ldaps://dc1:636/DC=corp"]; }, ["directory.urls[0]"], /no base DN/],
    ["plain LDAP refused", (i) => { i.directory.urls = ["ldap://dc1:389"]; }, ["directory.urls[0]"], /plain LDAP.*allowPlainLdap/],
    ["plain LDAP with allowPlainLdap", (i) => { i.directory.urls = ["ldap://dc1:389"]; i.directory.allowPlainLdap = true; }, []],
    ["username missing", (i) => { i.directory.username = ""; }, ["directory.username"]],
    ["password as a value", (i) => { i.directory.password = "hunter2-plain"; }, ["directory.password"], /never the secret itself/],
    ["password missing", (i) => { delete i.directory.password; }, ["directory.password"], /required/],
    ["password ref with two keys", (i) => { i.directory.password = { env: "A", config: "b" }; }, ["directory.password"]],
    ["password from config is fine", (i) => { i.directory.password = { config: "proj:corpPassword" }; }, []],
    ["caCertificate not PEM", (i) => { i.directory.caCertificate = "not a cert"; }, ["directory.caCertificate"]],
    ["timeoutMs negative", (i) => { i.directory.timeoutMs = -1; }, ["directory.timeoutMs"]],
    ["publisher missing", (i) => { delete i.publisher; }, ["publisher"]],
    ["publisher type unknown", (i) => { i.publisher = { type: "rest" }; }, ["publisher.type"]],
    ["lab endpoint http", (i) => { i.publisher.endpoint = "http://127.0.0.1:1/lab"; }, ["publisher.endpoint"], /https/],
    ["lab publisher without graph", (i) => { delete i.graph; }, ["graph"], /graph is required with publisher.type "lab"/],
    ["powershell without graph is fine", (i) => { i.publisher = ps({ signIn: pwSignIn() }); delete i.graph; }, []],
    ["powershell without signIn", (i) => { i.publisher = ps({ signIn: undefined }); }, ["publisher.signIn"], /required/],
    ["signIn of an unknown mode", (i) => { i.publisher = ps({ signIn: { mode: "interactive" } }); }, ["publisher.signIn"], /got mode "interactive"/],
    ["password sign-in without the MFA acknowledgement", (i) => { i.publisher = ps({ signIn: pwSignIn({ accountExcludedFromMfa: undefined }) }); }, ["publisher.signIn.accountExcludedFromMfa"], /excluded from MFA/],
    ["password sign-in with the acknowledgement false", (i) => { i.publisher = ps({ signIn: pwSignIn({ accountExcludedFromMfa: false }) }); }, ["publisher.signIn.accountExcludedFromMfa"], /deferred/],
    ["password sign-in without the password", (i) => { i.publisher = ps({ signIn: pwSignIn({ password: undefined }) }); }, ["publisher.signIn.password"]],
    ["deferred sign-in with a password", (i) => { i.publisher = ps({ signIn: { mode: "deferred", password: { env: "X" } } }); }, ["publisher.signIn.password"]],
    ["the old cloudPassword is refused, naming what replaces it", (i) => { i.publisher = ps({ cloudPassword: { env: "CLOUD_PW" } }); }, ["publisher.cloudPassword"], /signIn: \{ mode: "password", password: <the same SecretRef>, accountExcludedFromMfa: true \}/],
    ["powershell local on a non-Windows provider", (i) => { i.publisher = ps({ shell: { type: "local" }, signIn: pwSignIn() }); }, ["publisher.shell"], /runs on linux: the module runs only on Windows/],
    ["deferred: no PowerShell starts, so local mode is fine on any platform", (i) => { i.publisher = ps({ shell: { type: "local" } }); }, []],
    ["powershell without shell is local: refused on a non-Windows provider", (i) => { i.publisher = ps({ shell: undefined, signIn: pwSignIn() }); }, ["publisher.shell"], /\(the default\)/],
    ["powershell host pwsh is an explicit choice", (i) => { i.publisher = ps({ host: "pwsh" }); }, []],
    ["powershell host windowsPowerShell", (i) => { i.publisher = ps({ host: "windowsPowerShell" }); }, []],
    ["powershell host unknown", (i) => { i.publisher = ps({ host: "powershell.exe" }); }, ["publisher.host"], /"windowsPowerShell".*"pwsh"/],
    ["powershell cloud unknown (Microsoft Cloud Germany is retired)", (i) => { i.publisher = ps({ cloud: "germany" }); }, ["publisher.cloud"], /"public", "china", "usGovernment"/],
    ["powershell unknown key (pwshCommand)", (i) => { i.publisher = ps({ pwshCommand: "pwsh" }); }, ["publisher.pwshCommand"]],
    ["powershell shell unknown key", (i) => { i.publisher = ps({ shell: { ...ssh(), knownHostsFile: "/k" } }); }, ["publisher.shell.knownHostsFile"]],
    ["powershell ssh without hostKey is fine (ssh's own known_hosts)", (i) => { i.publisher = ps({ shell: { ...ssh(), hostKey: undefined } }); }, []],
    ["powershell ssh hostKey as a known_hosts line", (i) => { i.publisher = ps({ shell: { ...ssh(), hostKey: `adm01.corp.example.com ${HOST_KEY}` } }); }, []],
    ["powershell ssh hostKey not a key", (i) => { i.publisher = ps({ shell: { ...ssh(), hostKey: "ssh-ed25519 AAAA" } }); }, ["publisher.shell.hostKey"], /not a ssh-ed25519 public key/],
    ["powershell with a DN directory account needs domainCredential", (i) => { i.directory.username = "CN=admin,CN=Users,DC=corp,DC=example,DC=com"; i.publisher = ps(); }, ["publisher.domainCredential"], /UPN/],
    ["powershell with a DN directory account and domainCredential", (i) => {
        i.directory.username = "CN=ldap-reader,CN=Users,DC=corp,DC=example,DC=com";
        i.publisher = ps({ domainCredential: { username: "da@corp.example.com", password: { env: "DA_PW" } } });
    }, []],
    ["powershell domainCredential down-level name", (i) => { i.publisher = ps({ domainCredential: { username: "CORP\\da", password: { env: "DA_PW" } } }); }, ["publisher.domainCredential.username"], /UPN/],
    ["powershell domainCredential password as a value", (i) => { i.publisher = ps({ domainCredential: { username: "da@corp.example.com", password: "pw-value" } }); }, ["publisher.domainCredential.password"]],
    ["powershell domainCredential unknown key", (i) => { i.publisher = ps({ domainCredential: { username: "da@corp.example.com", password: { env: "P" }, domain: "x" } }); }, ["publisher.domainCredential.domain"]],
    ["powershell without UPN", (i) => { i.publisher = { type: "powershell", signIn: { mode: "deferred" }, shell: ssh() }; }, ["publisher.cloudUserPrincipalName"]],
    ["powershell sign-in password as a value", (i) => { i.publisher = ps({ signIn: pwSignIn({ password: "pw-value" }) }); }, ["publisher.signIn.password"]],
    ["powershell ssh without key", (i) => { i.publisher = { type: "powershell", signIn: { mode: "deferred" }, cloudUserPrincipalName: "a@b.c", shell: { type: "ssh", host: "h", user: "u" } }; }, ["publisher.shell.privateKey"]],
    ["powershell ssh bad port", (i) => { i.publisher = { type: "powershell", signIn: { mode: "deferred" }, cloudUserPrincipalName: "a@b.c", shell: { type: "ssh", host: "h", user: "u", privateKey: { env: "K" }, port: 70000 } }; }, ["publisher.shell.port"]],
    ["powershell shell unknown", (i) => { i.publisher = { type: "powershell", signIn: { mode: "deferred" }, cloudUserPrincipalName: "a@b.c", shell: { type: "winrm" } }; }, ["publisher.shell"]],
    ["graph tenant missing", (i) => { i.graph.tenantId = ""; }, ["graph.tenantId"]],
    ["graph credential unknown", (i) => { i.graph.credential = { type: "password" }; }, ["graph.credential.type"]],
    ["graph clientId not a GUID", (i) => { i.graph.credential.clientId = "app"; }, ["graph.credential.clientId"]],
    ["graph clientSecret as a value", (i) => { i.graph.credential.clientSecret = "s3cr3t-value"; }, ["graph.credential.clientSecret"]],
    ["graph endpoint http", (i) => { i.graph.graphEndpoint = "http://127.0.0.1:1"; }, ["graph.graphEndpoint"], /https/],
    ["allowedGroups not a list", (i) => { i.allowedGroups = "Domain Users"; }, ["allowedGroups"]],
    ["allowedGroups empty name", (i) => { i.allowedGroups = ["Staff", ""]; }, ["allowedGroups[1]"]],
    ["allowedGroups empty list is fine (deny by default)", (i) => { i.allowedGroups = []; }, []],
    ["allowedGroups bad SID", (i) => { i.allowedGroups = ["S-1-5-21-x"]; }, ["allowedGroups[0]"], /looks like a SID/],
    ["deniedGroups control character", (i) => { i.deniedGroups = ["a\nb"]; }, ["deniedGroups[0]"]],
    ["Domain Admins by name refused", (i) => { i.allowedGroups = ["Domain Users", "Domain Admins"]; }, ["allowedGroups[1]"], /Domain Admins, a privileged group.*allowPrivilegedGroups: true/],
    ["Domain Admins by down-level name", (i) => { i.allowedGroups = ["CORP\\Domain Admins"]; }, ["allowedGroups[0]"]],
    ["Enterprise Admins by RID 519", (i) => { i.allowedGroups = ["S-1-5-21-1-2-3-519"]; }, ["allowedGroups[0]"], /Enterprise Admins/],
    ["Administrators by BUILTIN SID", (i) => { i.allowedGroups = ["S-1-5-32-544"]; }, ["allowedGroups[0]"], /Administrators/],
    ["Backup Operators by DN", (i) => { i.allowedGroups = ["CN=Backup Operators,CN=Builtin,DC=corp,DC=example,DC=com"]; }, ["allowedGroups[0]"]],
    ["each privileged group by name", (i) => { i.allowedGroups = ["domain admins", "Enterprise Admins", "Schema Admins", "Administrators", "Account Operators", "Server Operators", "Backup Operators", "Domain Controllers", "Cert Publishers"]; }, [0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => `allowedGroups[${n}]`)],
    ["privileged with allowPrivilegedGroups", (i) => { i.allowedGroups = ["Domain Admins"]; i.allowPrivilegedGroups = true; }, []],
    ["privileged in deniedGroups is fine", (i) => { i.deniedGroups = ["Domain Admins"]; }, []],
    ["a group ending in Admins is not privileged", (i) => { i.allowedGroups = ["Helpdesk Admins", "S-1-5-21-1-2-3-1105"]; }, []],
    ["allowPrivilegedGroups not boolean", (i) => { i.allowPrivilegedGroups = "yes"; }, ["allowPrivilegedGroups"]],
    ["LDAP filter syntax in a group name", (i) => { i.allowedGroups = ["*)(objectClass=*"]; }, ["allowedGroups[0]"], /not a group name: .*cannot contain/],
    ["DN syntax in a group name", (i) => { i.deniedGroups = ["Pilot,OU=Domain Controllers,DC=corp,DC=example,DC=com"]; }, ["deniedGroups[0]"], /not a group name/],
    ["a wildcard name", (i) => { i.allowedGroups = ["Domain*"]; }, ["allowedGroups[0]"], /not a group name/],
    ["a DN with an empty part", (i) => { i.allowedGroups = ["CN=Pilot,,DC=corp,DC=example,DC=com"]; }, ["allowedGroups[0]"], /looks like a DN but has a malformed part/],
    ["a DN ending in a lone escape", (i) => { i.allowedGroups = ["CN=Pilot,DC=corp,DC=com\\"]; }, ["allowedGroups[0]"], /unfinished escape/],
    ["a DN without a domain", (i) => { i.allowedGroups = ["CN=Pilot,OU=Groups"]; }, ["allowedGroups[0]"], /names no domain/],
    ["a DN with escaped commas and parentheses is fine", (i) => { i.allowedGroups = ["CN=Pilot\\, EU (2026),OU=Groups,DC=corp,DC=example,DC=com"]; }, []],
    ["names with spaces, dots, dashes and parentheses are fine", (i) => { i.allowedGroups = ["WHfB Pilot (EU)", "svc.kerberos-users", "Staff_2026"]; }, []],
    ["an oversized list", (i) => { i.allowedGroups = Array.from({ length: 257 }, (_, n) => `Group ${n}`); }, ["allowedGroups"], /257 entries; at most 256/],
    ["maxAgeDays zero", (i) => { i.keyRotation = { maxAgeDays: 0 }; }, ["keyRotation.maxAgeDays"], /positive/],
    ["maxAgeDays too large", (i) => { i.keyRotation = { maxAgeDays: 3651 }; }, ["keyRotation.maxAgeDays"], /at most 3650/],
    ["maxAgeDays 3650 is fine", (i) => { i.keyRotation = { maxAgeDays: 3650, trigger: "2026-Q4", force: true }; }, []],
    ["maxAgeDays not a number", (i) => { i.keyRotation = { maxAgeDays: "180" }; }, ["keyRotation.maxAgeDays"]],
    ["trigger not a string", (i) => { i.keyRotation = { trigger: 3 }; }, ["keyRotation.trigger"]],
    ["force not boolean", (i) => { i.keyRotation = { force: "yes" }; }, ["keyRotation.force"]],
    ["keyRotation unknown key", (i) => { i.keyRotation = { maxAge: 3 }; }, ["keyRotation.maxAge"]],
    ["timeouts unknown operation", (i) => { i.timeouts = { refresh: 10 }; }, ["timeouts.refresh"]],
    ["timeouts zero", (i) => { i.timeouts = { create: 0 }; }, ["timeouts.create"]],
    // reported on the resource, naming the key: the engine prints a failing top-level property's value
    ["unknown input (a typo)", (i) => { i.allowedGroup = ["x"]; }, [""], /"allowedGroup" is not an input/],
    ["driftReasons set by a user", (i) => { i.driftReasons = "none"; }, ["driftReasons"]],
    ["several failures at once", (i) => { i.domain = "x"; i.directory.password = "pw"; i.keyRotation = { maxAgeDays: -3 }; }, ["domain", "directory.password", "keyRotation.maxAgeDays"]],
];

describe("validateInputs (check, no I/O)", () => {
    test.each(rows.map(([name, change, failing, reason]) => ({ name, change, failing, reason })))("$name", ({ change, failing, reason }) => {
        const inputs = base();
        change(inputs);
        const failures = validateInputs(inputs, { platform: "linux" });
        expect(failures.map((f) => f.property).sort()).toEqual([...failing].sort());
        if (reason) expect(failures.map((f) => f.reason).join("\n")).toMatch(reason);
        // every reason names its own input path
        for (const f of failures) expect(f.reason).toContain(f.property.replace(/\[\d+\]$/, ""));
    });

    test("local mode passes on a Windows provider, with or without an explicit shell", () => {
        for (const shell of [undefined, { type: "local" }]) {
            const inputs: any = base();
            inputs.publisher = ps({ shell });
            expect(validateInputs(inputs, { platform: "win32" })).toEqual([]);
        }
    });

    test("host pwsh passes check with a warning naming the known failure; the default warns of nothing", () => {
        const inputs: any = base();
        inputs.publisher = ps({ host: "pwsh" });
        expect(inputWarnings(inputs)).toEqual([expect.stringContaining("Operation is not supported on this platform")]);
        inputs.publisher = ps();
        expect(inputWarnings(inputs)).toEqual([]);
    });

    test("a secret given as a value is never repeated in the failure", () => {
        const inputs: any = base();
        inputs.directory.password = "Sup3r-Secret-Value";
        inputs.graph.credential.clientSecret = "An0ther-Secret-Value";
        const text = JSON.stringify(validateInputs(inputs));
        expect(text).not.toContain("Sup3r-Secret-Value");
        expect(text).not.toContain("An0ther-Secret-Value");
    });

    test("values unknown during preview are not judged", () => {
        const inputs: any = base();
        inputs.domain = UNKNOWN;
        inputs.directory.urls = [UNKNOWN];
        inputs.directory.password = UNKNOWN;
        inputs.allowedGroups = [UNKNOWN];
        inputs.publisher = UNKNOWN;
        expect(validateInputs(inputs)).toEqual([]);
    });
});
