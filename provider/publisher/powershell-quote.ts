// The only caller-supplied values that go into the PowerShell script text are the AD domain and the
// cloud UPN (secrets travel on a separate stdin line, never in the script). Both are validated to a
// strict ASCII shape first and then written as single-quoted literals, which PowerShell never
// expands ($, backtick and double quotes are inert inside '...'). Keeping the script pure ASCII also
// makes it independent of the remote console code page.
// The shapes are the input grammar's (core/grammar), the same rules `check` applies; here they
// guard the script text itself. The apostrophe a UPN may hold (O'Brien@contoso.com) is doubled by quoting.
import { ProviderError } from "../core/errors";
import { isDnsName, isUpn } from "../core/grammar";

function invalid(input: string, message: string): ProviderError {
    return new ProviderError("PublisherConfigInvalid", message, { input });
}

/** An AD domain's DNS name: ASCII labels (an IDN must be given in its xn-- form), no trailing dot. */
export function validateDomainName(domain: unknown, input = "domain"): string {
    if (typeof domain !== "string" || domain.length === 0) throw invalid(input, `${input} must be the AD domain's DNS name, e.g. "contoso.com"`);
    if (!isDnsName(domain)) {
        throw invalid(input, `${input} "${printable(domain)}" is not a DNS domain name (letters, digits and hyphens in dot-separated labels; IDNs in xn-- form)`);
    }
    return domain;
}

/** A user principal name user@domain, ASCII only. */
export function validateUserPrincipalName(upn: unknown, input = "publisher.cloudUserPrincipalName"): string {
    if (typeof upn !== "string" || upn.length === 0) throw invalid(input, `${input} must be a user principal name, e.g. "admin@contoso.onmicrosoft.com"`);
    if (!isUpn(upn)) throw invalid(input, `${input} "${printable(upn)}" is not a user principal name (user@domain, ASCII)`);
    return upn;
}

/**
 * A PowerShell single-quoted string literal. Inside '...' the only special characters are the
 * quote itself and its typographic variants (U+2018..U+201B), which PowerShell also accepts as
 * quotes; each is doubled. Validation keeps those out already; this is the second line.
 */
export function psSingleQuoted(value: string): string {
    return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`;
}

/** For messages: the value with control and non-ASCII characters made visible, cut at 80. */
function printable(s: string): string {
    const shown = s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    return shown.length > 80 ? `${shown.slice(0, 80)}...` : shown;
}
