// Every Kerberos server rotates its key on a schedule no longer than the organisation allows
// (default 180 days, Microsoft's advice is to rotate with the krbtgt schedule). An unset maxAgeDays
// means "never because of age", which the rule refuses too.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { KERBEROS_SERVER } from "./types";

export const DEFAULT_MAX_AGE_DAYS = 180;

export const keyRotationMaxAge: ResourceValidationPolicy = {
    name: "kerberos-key-rotation-max-age",
    description: `Every AzureADKerberosServer sets keyRotation.maxAgeDays, at most ${DEFAULT_MAX_AGE_DAYS} days (configurable: maxAgeDays).`,
    enforcementLevel: "mandatory",
    configSchema: { properties: { maxAgeDays: { type: "integer", minimum: 1, default: DEFAULT_MAX_AGE_DAYS } } },
    validateResource: (args, reportViolation) => {
        if (args.type !== KERBEROS_SERVER) return;
        const limit = args.getConfig<{ maxAgeDays: number }>().maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
        const days = args.props.keyRotation?.maxAgeDays;
        if (days === undefined || days === null) {
            reportViolation(`${args.name}: keyRotation.maxAgeDays is not set, so the key of ${args.props.domain} is never rotated for its age; set it to at most ${limit}.`);
        } else if (typeof days === "number" && days > limit) {
            reportViolation(`${args.name}: keyRotation.maxAgeDays is ${days}; this organisation rotates Kerberos server keys at least every ${limit} days.`);
        }
    },
};
