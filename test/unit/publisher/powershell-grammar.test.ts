// Every script the adapter generates, read by a real PowerShell grammar (tree-sitter-powershell,
// through web-tree-sitter, both from npm): it parses without an error node, it calls the module's
// cmdlets only with parameter combinations Microsoft's own examples show, and any value that gets
// into the text stays one string literal whatever it holds.
import * as fs from "node:fs";
import fc from "fast-check";
import { Language, type Node, Parser } from "web-tree-sitter";
import { ProviderError } from "../../../provider/core/errors";
import { psSingleQuoted } from "../../../provider/publisher/powershell-quote";
import { BOOTSTRAP_LINE, buildScriptBody, MODULE_ENDPOINTS, type ScriptRequest, WATCHDOG_SCRIPT } from "../../../provider/publisher/powershell-script";

let parser: Parser;
beforeAll(async () => {
    await Parser.init();
    parser = new Parser();
    // bytes, not a path: loading from a path takes a dynamic import, which jest's CommonJS runtime refuses
    parser.setLanguage(await Language.load(fs.readFileSync(require.resolve("tree-sitter-powershell/tree-sitter-powershell.wasm"))));
});

function parse(text: string): Node {
    const tree = parser.parse(text);
    if (!tree) throw new Error("the parser returned no tree");
    return tree.rootNode;
}

function descendants(n: Node, type: string): Node[] {
    return n.descendantsOfType(type).filter((x): x is Node => x !== null);
}

/** Where the grammar found an error or had to assume a missing token, for the failure message. */
function errors(n: Node): string[] {
    const here = n.isError || n.isMissing ? [`${n.isMissing ? `missing ${n.type}` : "error"} at ${n.startPosition.row + 1}:${n.startPosition.column + 1}: ${n.text.slice(0, 60)}`] : [];
    if (!n.hasError && !n.isMissing) return here;
    return [...here, ...n.children.filter((c): c is Node => c !== null).flatMap(errors)];
}

interface Call { cmdlet: string; parameters: string[]; argumentTypes: string[] }

/** The commands of the script (name, parameters, and what each argument is), in order. */
function calls(root: Node): Call[] {
    return descendants(root, "command").map((c) => {
        const elements = c.childForFieldName("command_elements");
        const parts = elements ? elements.namedChildren.filter((x): x is Node => x !== null && x.type !== "command_argument_sep") : [];
        return {
            cmdlet: c.childForFieldName("command_name")?.text ?? "",
            parameters: parts.filter((p) => p.type === "command_parameter").map((p) => p.text.replace(/^-/, "")),
            argumentTypes: parts.filter((p) => p.type !== "command_parameter").map((p) => (descendants(p, "variable").length === 1 && p.text.startsWith("$") ? "variable" : p.type)),
        };
    });
}

// The combinations in Microsoft's examples (entra-docs howto-authentication-passwordless-security-key-on-premises.md,
// kerberos-server-key-rotation.md; sql-docs winauth-azuread-setup-incoming-trust-based-flow.md), each with
// -DomainCredential, which this adapter always passes. Sorted, for comparison.
const DOCUMENTED: Record<string, string[][]> = {
    "Set-AzureADKerberosServer": [
        ["CloudCredential", "Domain", "DomainCredential"], ["Domain", "DomainCredential", "UserPrincipalName"],
        ["CloudCredential", "Domain", "DomainCredential", "RotateServerKey"], ["Domain", "DomainCredential", "RotateServerKey", "UserPrincipalName"],
        ["CloudCredential", "Domain", "DomainCredential", "Force", "RotateServerKey"], ["Domain", "DomainCredential", "Force", "RotateServerKey", "UserPrincipalName"],
    ],
    "Get-AzureADKerberosServer": [["CloudCredential", "Domain", "DomainCredential"], ["Domain", "DomainCredential", "UserPrincipalName"]],
    "Remove-AzureADKerberosServer": [["CloudCredential", "Domain", "DomainCredential"], ["Domain", "DomainCredential", "UserPrincipalName"]],
};
// the national-cloud switch, as a public 21Vianet deployment guide shows it (POWERSHELL.md, "National clouds")
const ENDPOINT_CMDLET = "Set-AzureADKerberosServerEndpoint";

const NONCE = "0123456789abcdef01234567";
const requests: ScriptRequest[] = [];
for (const cloudAuth of ["credential", "interactive"] as const) {
    for (const stopAfterMs of [undefined, 302_000]) {
        const base = { domain: "contoso.com", cloudUserPrincipalName: "o'brien@contoso.onmicrosoft.com", cloudAuth, nonce: NONCE, stopAfterMs };
        requests.push(
            { ...base, operation: "get" }, { ...base, operation: "remove" }, { ...base, operation: "set" },
            { ...base, operation: "set", rotateServerKey: true }, { ...base, operation: "set", rotateServerKey: true, force: true },
            { ...base, operation: "get", endpoint: "china" }, { ...base, operation: "set", endpoint: "usGovernment" }, { ...base, operation: "remove", endpoint: "public" },
        );
    }
}
const label = (r: ScriptRequest) => `${r.operation}${r.rotateServerKey ? " -RotateServerKey" : ""}${r.force ? " -Force" : ""} (${r.cloudAuth}${r.stopAfterMs ? ", watchdog" : ""}${r.endpoint ? `, ${r.endpoint} cloud` : ""})`;

describe("the generated scripts, parsed", () => {
    test("the bootstrap line and the watchdog script parse", () => {
        expect(errors(parse(BOOTSTRAP_LINE))).toEqual([]);
        expect(errors(parse(WATCHDOG_SCRIPT))).toEqual([]);
    });

    test("a broken script is reported (the check can fail)", () => {
        expect(errors(parse("try { Get-Thing -Domain $d\n"))).toEqual([expect.stringMatching(/^missing \}/)]);
        expect(errors(parse("$x = 'unterminated\n"))).not.toEqual([]);
        expect(errors(parse("$x = @(1, 2\n"))).not.toEqual([]);
    });

    test.each(requests.map((r) => [label(r), r] as const))("%s: no parse error, documented parameters only", (_name, req) => {
        const root = parse(buildScriptBody(req));
        expect(errors(root)).toEqual([]);
        const moduleCalls = calls(root).filter((c) => c.cmdlet in DOCUMENTED);
        const expected = req.operation === "set" ? ["Set-AzureADKerberosServer", "Get-AzureADKerberosServer"]
            : req.operation === "get" ? ["Get-AzureADKerberosServer"] : ["Remove-AzureADKerberosServer"];
        expect(moduleCalls.map((c) => c.cmdlet)).toEqual(expected);
        for (const c of moduleCalls) {
            expect(DOCUMENTED[c.cmdlet]).toContainEqual([...c.parameters].sort());
            // every argument is a variable the script set up, never inline text
            expect(c.argumentTypes.every((t) => t === "variable")).toBe(true);
            expect(c.parameters).toContain(req.cloudAuth === "credential" ? "CloudCredential" : "UserPrincipalName");
        }
        // the only other commands: the module import and the script's own helpers (Select-Object is
        // in Select-PekServer's body, which every script defines; remove does not call it)
        // the endpoint, when asked for: once, before the operation, with the documented number (the
        // grammar reads a bare number argument as an array_literal_expression of one element)
        const all = calls(root);
        const endpointCalls = all.filter((c) => c.cmdlet === ENDPOINT_CMDLET);
        expect(endpointCalls.map((c) => [c.parameters, c.argumentTypes])).toEqual(req.endpoint ? [[["TargetEndpoint"], ["array_literal_expression"]]] : []);
        if (req.endpoint) {
            expect(all.indexOf(endpointCalls[0])).toBeLessThan(all.findIndex((c) => c.cmdlet in DOCUMENTED));
            expect(buildScriptBody(req)).toContain(`${ENDPOINT_CMDLET} -TargetEndpoint ${MODULE_ENDPOINTS[req.endpoint]}\n`);
        }
        const others = new Set(all.filter((c) => !(c.cmdlet in DOCUMENTED) && c.cmdlet !== ENDPOINT_CMDLET).map((c) => c.cmdlet));
        expect([...others].sort()).toEqual(["ConvertFrom-PekField", "ConvertTo-Json", "Import-Module", "Select-Object", "Select-PekServer", "Write-PekResult"]
            .filter((n) => req.operation !== "remove" || n !== "Select-PekServer"));
    });
});

/** The value of `$name = '<literal>'` in a script, as PowerShell reads a verbatim string, or why not. */
function literalAssigned(root: Node, name: string): string {
    const assignment = descendants(root, "assignment_expression").find((a) => a.child(0)?.text === `$${name}`);
    if (!assignment) throw new Error(`no assignment to $${name}`);
    const value = assignment.childForFieldName("value");
    const literals = value ? descendants(value, "string_literal") : [];
    if (!value || literals.length !== 1 || literals[0].text !== value.text.trim()) throw new Error(`$${name} is not one string literal: ${value?.toString()}`);
    if (descendants(value, "sub_expression").length || descendants(value, "variable").length) throw new Error(`$${name} holds an expression`);
    // inside '...' the only escape is a doubled quote (any of the four kinds PowerShell accepts)
    return literals[0].text.slice(1, -1).replace(/(['\u2018\u2019\u201A\u201B])\1/g, "$1");
}

describe("values in the script stay string literals", () => {
    // what the alphabet is made of: the characters that would end or escape a literal, or start an
    // expression, in any PowerShell string form; plus line breaks and non-ASCII
    const nasty = fc.constantFrom("'", "\u2018", "\u2019", "\u201A", "\u201B", "\"", "`", "$", "(", ")", "$(", "@(", "{", "}", ";", "#", "<#", "#>", "\n", "\r\n", "|", "&", "é", "\u00a0", "\u{1F600}", "a", "Z", "0", " ");
    const text = fc.array(fc.oneof(nasty, fc.string({ unit: "grapheme", maxLength: 3 })), { maxLength: 12 }).map((parts) => parts.join(""));

    test("psSingleQuoted: any text is one literal that reads back as itself", () => {
        fc.assert(fc.property(text, (value) => {
            const root = parse(`$v = ${psSingleQuoted(value)}\n`);
            expect(errors(root)).toEqual([]);
            expect(literalAssigned(root, "v")).toBe(value);
        }), { numRuns: 400 });
    });

    test("the domain and the UPN: refused by validation, or one literal that reads back as itself", () => {
        const req: ScriptRequest = { operation: "set", domain: "contoso.com", cloudUserPrincipalName: "admin@contoso.com", cloudAuth: "credential", nonce: NONCE };
        let accepted = 0;
        fc.assert(fc.property(text, fc.boolean(), (value, asDomain) => {
            const r = asDomain ? { ...req, domain: `a${value}.com` } : { ...req, cloudUserPrincipalName: `x${value}@contoso.com` };
            let body: string;
            try {
                body = buildScriptBody(r);
            } catch (e) {
                expect(e).toBeInstanceOf(ProviderError);
                return;
            }
            accepted++;
            const root = parse(body);
            expect(errors(root)).toEqual([]);
            expect(literalAssigned(root, "domain")).toBe(r.domain);
            expect(literalAssigned(root, "cloudUserPrincipalName")).toBe(r.cloudUserPrincipalName);
        }), { numRuns: 400 });
        // the property also ran on values that got through (an apostrophe in a UPN does)
        expect(accepted).toBeGreaterThan(0);
    });

    test("the UPN with an apostrophe, the one quote validation lets through", () => {
        const root = parse(buildScriptBody({ operation: "get", domain: "contoso.com", cloudUserPrincipalName: "o'brien@contoso.com", cloudAuth: "interactive", nonce: NONCE }));
        expect(errors(root)).toEqual([]);
        expect(literalAssigned(root, "cloudUserPrincipalName")).toBe("o'brien@contoso.com");
    });
});
