// The PowerShell adapter against what is public about the module (../shared/fixtures/ad-powershell):
// the real Get-AzureADKerberosServer outputs, as the adapter's script hands them over, read into
// the port's table; and the real error texts mapped to the product's error codes.
import * as path from "node:path";
import { mapModuleError } from "../../../provider/publisher/powershell-errors";
import { readScriptResult, toServerTable } from "../../../provider/publisher/powershell-output";
import { CMDLETS, MODULE_NAME, resultMarker, SERVER_PROPERTIES } from "../../../provider/publisher/powershell-script";
import { makeScrubber } from "../../../provider/publisher/powershell-secrets";
import { POWERSHELL, readJson, readText } from "./fixtures";

const samples: any[] = readJson(path.join(POWERSHELL, "get-output-samples.json")).samples;
const errors: any[] = readJson(path.join(POWERSHELL, "errors.json")).errors;

/** Format-List text -> property -> printed value ("" for an empty one). */
function formatList(text: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of text.split("\n")) {
        const m = /^(\w+)\s*:\s?(.*)$/.exec(line);
        if (m) out[m[1]] = m[2].trim();
    }
    return out;
}

/** "4/23/2021 4:16:33 PM" (en-US; the module prints UTC wall-clock time, per the samples' notes) -> epoch ms. */
function printedUtc(s: string): number {
    const m = /^(\d+)\/(\d+)\/(\d{4}) (\d+):(\d{2}):(\d{2}) (AM|PM)$/.exec(s)!;
    const h = (Number(m[4]) % 12) + (m[7] === "PM" ? 12 : 0);
    return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), h, Number(m[5]), Number(m[6]));
}

const DATES = new Set(["KeyUpdatedOn", "CloudKeyUpdatedOn"]), INTEGERS = new Set(["Id", "KeyVersion", "CloudId", "CloudKeyVersion"]);

/** The object the script's `Select-Object ... | ConvertTo-Json` would print for that output, in one PowerShell's rendering. */
function asConvertToJson(printed: Record<string, string>, edition: "5.1" | "7"): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(printed)) {
        if (!SERVER_PROPERTIES.some((p) => p.toLowerCase() === k.toLowerCase())) continue; // Select-Object drops the rest (CloudTrustDisplay)
        if (v === "") out[k] = null;
        else if (DATES.has(k)) out[k] = edition === "5.1" ? `/Date(${printedUtc(v)})/` : new Date(printedUtc(v)).toISOString().replace(".000Z", "Z");
        else if (INTEGERS.has(k)) out[k] = Number(v);
        else out[k] = v;
    }
    return out;
}

/** stdout as the adapter's script prints it: module chatter, then the result line. */
function stdoutOf(server: unknown, nonce: string): string {
    const line = Buffer.from(JSON.stringify({ ok: true, server }), "utf8").toString("base64");
    return `WARNING: module chatter\r\n${resultMarker(nonce)} ${line}\r\n`;
}

describe("real Get-AzureADKerberosServer outputs read into the port's table", () => {
    test("the transcripts are all there", () => {
        expect(samples.map((s) => s.name)).toEqual(["tn-2021-create", "tn-2021-after-rotate", "sqlmi-doc-empty", "sqlmi-doc-with-trust", "fresh-tenant-2022", "whfb-wiki-2024", "avd-guide-pt (partial)"]);
    });

    test.each(samples.flatMap((s) => (["5.1", "7"] as const).map((edition) => ({ name: s.name, edition, text: s.text as string }))))("$name, rendered by PowerShell $edition", ({ edition, text }) => {
        const printed = formatList(text);
        const nonce = "c0ffee";
        const result = readScriptResult(stdoutOf(asConvertToJson(printed, edition), nonce), nonce);
        expect(result?.ok).toBe(true);
        const table = toServerTable(result!.ok ? result!.server : undefined, "requested.example");
        const value = (k: string) => Object.entries(printed).find(([p]) => p.toLowerCase() === k.toLowerCase())?.[1];
        for (const k of SERVER_PROPERTIES) {
            const v = value(k);
            const got = (table as unknown as Record<string, unknown>)[k];
            if (k === "DomainDnsName" && !v) expect(got).toBe("requested.example"); // an empty object: the domain asked for
            else if (v === undefined || v === "") expect(got).toBeNull();
            else if (DATES.has(k)) expect(got).toBe(new Date(printedUtc(v)).toISOString());
            else if (INTEGERS.has(k)) expect(got).toBe(Number(v));
            else expect(got).toBe(v);
        }
        // what every complete real transcript shows, kept by the reading
        if (table.CloudId !== null && table.DisplayName !== null) {
            expect(table.CloudId).toBe(table.Id);
            expect(table.DisplayName).toBe(`krbtgt_${table.Id}`);
            expect(table.CloudKeyVersion).toBe(table.KeyVersion);
            expect(table.CloudKeyUpdatedOn).toBe(table.KeyUpdatedOn);
        }
    });

    test("the first-time output (every property empty, printed as 'ID') reads as no server", () => {
        const empty = samples.find((s) => s.name === "sqlmi-doc-empty");
        const table = toServerTable(asConvertToJson(formatList(empty.text), "7"), "contoso.com");
        expect(Object.entries(table).filter(([, v]) => v !== null)).toEqual([["DomainDnsName", "contoso.com"]]);
    });
});

describe("real error texts mapped to the product's error codes", () => {
    // entries whose text is a description, not a message (they start with "("), have nothing to map
    const observed = errors.filter((e) => !String(e.text).startsWith("("));
    const EXPECTED: Record<string, string> = {
        "The user has insufficient access rights": "DirectoryAccessDenied",
        "Failed to set password for account": "PublisherModuleOutdated",
        "Operation is not supported on this platform": "PublisherPlatformUnsupported",
        "UserAccount.SecondaryKrbTgtNumber": "KerberosServerIncomplete",
        "Strong authentication is required": "DomainStrongAuthRequired",
        "ServiceCredentials MUST be zero": "PublisherModuleOutdated",
        "Microsoft.Online.PasswordSynchronization.Rpc.dll": "PublisherRuntimeMissing",
        // -SetupCloudTrust only (the product never passes it), mapped with the sources' advice all the same
        "Collision setting top level names": "KerberosTrustNameCollision",
        "LsaCreateTrustedDomainEx 0x549": "KerberosTrustChildDomain",
        // Entra's own error text: the AADSTS code is part of the message
        "AADSTS5000225": "CloudTenantBlocked",
        // ADAL's refusal of a sign-in prompt in a session without a desktop (the module ships ADAL)
        "not running in UserInteractive mode": "PublisherInteractionRequired",
    };

    test("every observed text has an expected code here", () => {
        expect(observed.map((e) => Object.keys(EXPECTED).find((k) => e.text.includes(k)) ?? e.text)).toEqual(Object.keys(EXPECTED));
    });

    test.each(observed.map((e) => [Object.keys(EXPECTED).find((k) => e.text.includes(k))!, e] as const))("%s", (key, e) => {
        // the error view prefixes "<Cmdlet> : "; $_.Exception.Message, which the script reports, does not
        const message = String(e.text).replace(/^[A-Z][a-z]+-[A-Za-z]+ ?: /, "");
        const type = e.exceptionType ?? String(e.fullyQualifiedErrorId ?? "System.Exception").split(",")[0];
        const err = mapModuleError({ type, message, inner: [] }, { operation: "set", domain: "contoso.com", scrub: makeScrubber([]) });
        expect(err.code).toBe(EXPECTED[key]);
        expect(err.message).toContain(message.slice(0, 40)); // the module's own words follow the fix
    });

    test("the cmdlets and module the adapter calls are the ones the module's public pages list (module.md)", () => {
        const md = readText(path.join(POWERSHELL, "module.md"));
        const section = md.slice(md.indexOf("Cmdlets (gallery page for"), md.indexOf("Endpoints (`Get-AzureADKerberosServerEndpoint`"));
        const listed = section.replace(/\*/g, "").split(/[\s,.:]+/).filter((w) => /^[A-Z][a-z]+-AzureADKerberos\w*$/.test(w));
        expect(listed).toHaveLength(11);
        for (const cmdlet of Object.values(CMDLETS)) expect(listed).toContain(cmdlet);
        expect(md).toContain(`# ${MODULE_NAME}:`);
    });
});
