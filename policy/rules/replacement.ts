// Replacing an AzureADKerberosServer (its `domain` changed) runs Remove-AzureADKerberosServer on the
// old domain: every cloud Kerberos ticket for it stops working until the new one is published and
// activated. CrossGuard analyzers see the new inputs only, never the plan, so the provider's `check`
// names the previous domain in the hidden input `replacesDomain` when it sees the change, and this
// rule refuses it. (A server that simply leaves the program is a delete, which policies cannot see:
// the GitHub Actions example fails its preview on that instead.)
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { KERBEROS_SERVER } from "./types";

export const REPLACES_DOMAIN_INPUT = "replacesDomain";

export const noKerberosServerReplacement: ResourceValidationPolicy = {
    name: "no-kerberos-server-replacement",
    description: "An AzureADKerberosServer is never replaced (its domain changed): that removes the old domain's Kerberos server first.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== KERBEROS_SERVER) return;
        const previous = args.props[REPLACES_DOMAIN_INPUT];
        if (typeof previous === "string") {
            reportViolation(`${args.name}: domain changes from ${previous} to ${args.props.domain}, which replaces the Kerberos server: ` +
                `Remove-AzureADKerberosServer on ${previous} breaks its cloud Kerberos tickets. Declare a new resource for ${args.props.domain} and retire the old one deliberately.`);
        }
    },
};
