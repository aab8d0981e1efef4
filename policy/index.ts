// CrossGuard policy pack for pulumi-entra-kerberos stacks. Runs locally, no Pulumi Cloud needed:
//   pulumi preview --policy-pack policy/ [--policy-pack-config policy-config.json]
// Config (all optional): { "kerberos-key-rotation-max-age": { "maxAgeDays": 90 },
//                          "ca-exclusions-keep-break-glass": { "breakGlassGroups": ["Break Glass Admins"] } }
import { PolicyPack } from "@pulumi/policy";
import { breakGlassExcluded } from "./rules/break-glass";
import { keyRotationMaxAge } from "./rules/key-rotation";
import { noPlainLdapOutsideLab } from "./rules/plain-ldap";
import { noPrivilegedGroupInAllowList } from "./rules/privileged-groups";
import { noKerberosServerReplacement } from "./rules/replacement";

new PolicyPack("entra-kerberos", {
    policies: [keyRotationMaxAge, noPrivilegedGroupInAllowList, noPlainLdapOutsideLab, breakGlassExcluded, noKerberosServerReplacement],
});
