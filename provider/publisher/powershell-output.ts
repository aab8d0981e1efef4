// Reading what the script printed: find this run's result line among whatever else pwsh wrote
// to stdout (warnings, module chatter), decode it, and turn Get's object into the port's table.
import { ProviderError } from "../core/errors";
import type { KerberosServerTable } from "./port";
import { resultMarker, SERVER_PROPERTIES } from "./powershell-script";
import { normalizeDate, normalizeInteger, normalizeText } from "./powershell-values";

/** The exception the script caught: $_.Exception's type and message, the error id, inner exceptions. */
export interface ModuleErrorInfo {
    type: string;
    message: string;
    errorId?: string;
    inner: { type: string; message: string }[];
}

export type ScriptResult =
    | { ok: true; server: unknown }
    | { ok: false; error: ModuleErrorInfo };

/**
 * pwsh 7.2+ can color error and warning text with ANSI escapes ($PSStyle) even when its output is
 * redirected, depending on version and settings; strip escapes and other control characters from
 * anything shown to a user.
 */
export function plainText(s: string): string {
    return s.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-_]/g, "").replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, "");
}

function invalidOutput(message: string, cause?: unknown): ProviderError {
    return new ProviderError("PublisherOutputInvalid", message, { cause });
}

function str(v: unknown): string {
    return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
}

function moduleError(raw: unknown): ModuleErrorInfo {
    const e = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
    // ConvertTo-Json prints a one-element array as the element itself in 5.1 (a single hashtable
    // in @() is unrolled by the pipeline), so inner may be an object, an array or null
    const innerRaw = e.inner === null || e.inner === undefined ? [] : Array.isArray(e.inner) ? e.inner : [e.inner];
    return {
        type: str(e.type) || "UnknownException",
        message: str(e.message),
        errorId: e.errorId === undefined || e.errorId === null ? undefined : str(e.errorId),
        // any: the script's JSON output, checked field by field
        inner: innerRaw.filter((x) => x && typeof x === "object").map((x: any) => ({ type: str(x.type), message: str(x.message) })),
    };
}

/**
 * The result line of this run, decoded. Undefined when there is none (pwsh failed before the
 * script reported); a ProviderError when there is one that cannot be read.
 */
export function readScriptResult(stdout: string, nonce: string): ScriptResult | undefined {
    const prefix = `${resultMarker(nonce)} `;
    const line = stdout.split(/\r?\n/).find((l) => l.startsWith(prefix));
    if (line === undefined) return undefined;
    const payload = line.slice(prefix.length).trim();
    let doc: unknown;
    try {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) throw new Error("not base64");
        doc = JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
    } catch (e) {
        throw invalidOutput(`the PowerShell result line could not be decoded (${(e as Error).message})`, e);
    }
    if (!doc || typeof doc !== "object" || typeof (doc as any).ok !== "boolean") {
        throw invalidOutput("the PowerShell result is not the expected {ok, ...} object");
    }
    const d = doc as Record<string, unknown>;
    return d.ok ? { ok: true, server: d.server ?? null } : { ok: false, error: moduleError(d.error) };
}

/** Case-insensitive property lookup: PowerShell property names are case-insensitive ("ID" vs "Id"). */
function prop(o: Record<string, unknown>, name: string): unknown {
    const key = Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : o[key];
}

/**
 * Get-AzureADKerberosServer's object (after Select-Object) -> the port's table. Null or absent
 * (no server for the domain) gives every field null; DomainDnsName falls back to the requested domain.
 */
export function toServerTable(raw: unknown, domain: string): KerberosServerTable {
    const o: Record<string, unknown> = raw && typeof raw === "object" && !Array.isArray(raw)
        ? raw as Record<string, unknown>
        : Array.isArray(raw) && raw[0] && typeof raw[0] === "object" ? raw[0] : {};
    if (raw !== null && raw !== undefined && typeof raw !== "object") throw invalidOutput("Get-AzureADKerberosServer's output is not an object");
    const read = <T>(name: (typeof SERVER_PROPERTIES)[number], f: (v: unknown) => T): T => {
        try {
            return f(prop(o, name));
        } catch (e) {
            throw invalidOutput(`Get-AzureADKerberosServer's ${name} is ${(e as Error).message}`, e);
        }
    };
    return {
        Id: read("Id", normalizeInteger),
        UserAccount: read("UserAccount", normalizeText),
        ComputerAccount: read("ComputerAccount", normalizeText),
        DisplayName: read("DisplayName", normalizeText),
        DomainDnsName: read("DomainDnsName", normalizeText) ?? domain,
        KeyVersion: read("KeyVersion", normalizeInteger),
        KeyUpdatedOn: read("KeyUpdatedOn", normalizeDate),
        KeyUpdatedFrom: read("KeyUpdatedFrom", normalizeText),
        CloudDisplayName: read("CloudDisplayName", normalizeText),
        CloudDomainDnsName: read("CloudDomainDnsName", normalizeText),
        CloudId: read("CloudId", normalizeInteger),
        CloudKeyVersion: read("CloudKeyVersion", normalizeInteger),
        CloudKeyUpdatedOn: read("CloudKeyUpdatedOn", normalizeDate),
    };
}
