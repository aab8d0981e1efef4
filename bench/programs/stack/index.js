// The engine-level benchmark's program (plain JavaScript: no TypeScript compile in either stack).
// $BENCH_STACK_SPEC names a JSON file: { kind: "real" | "noop", servers: [{ name, args }],
// policies: { cloudTrust, hostToRealm, caExclusion } }. "real" declares N AzureADKerberosServer
// plus CloudTrustPolicy, HostToRealmMapping and ConditionalAccessExclusion; "noop" declares the same
// names with the same arguments as no-op dynamic resources (bench/noop-provider.ts).
"use strict";
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");

const spec = JSON.parse(fs.readFileSync(process.env.BENCH_STACK_SPEC, "utf8"));

if (spec.kind === "real") {
    const { AzureADKerberosServer } = require("pulumi-entra-kerberos");
    const { CloudTrustPolicy } = require("pulumi-entra-kerberos/bin/provider/resources/cloud-trust-policy");
    const { HostToRealmMapping } = require("pulumi-entra-kerberos/bin/provider/resources/host-to-realm-mapping");
    const { ConditionalAccessExclusion } = require("pulumi-entra-kerberos/bin/provider/resources/conditional-access-exclusion");
    for (const s of spec.servers) new AzureADKerberosServer(s.name, s.args);
    new CloudTrustPolicy("cloud-trust", spec.policies.cloudTrust);
    new HostToRealmMapping("host-to-realm", spec.policies.hostToRealm);
    new ConditionalAccessExclusion("ca-exclusion", spec.policies.caExclusion);
} else {
    const { DYNAMIC_MODULE, lazyProvider, packageModule } = require("pulumi-entra-kerberos/bin/provider/core/dynamic");
    const provider = lazyProvider(packageModule("bin/bench/noop-provider"), "noopProvider");
    class BenchNoop extends pulumi.dynamic.Resource {
        constructor(name, props) { super(provider, name, props, undefined, DYNAMIC_MODULE, "BenchNoop"); }
    }
    for (const s of spec.servers) new BenchNoop(s.name, s.args);
    new BenchNoop("cloud-trust", spec.policies.cloudTrust);
    new BenchNoop("host-to-realm", spec.policies.hostToRealm);
    new BenchNoop("ca-exclusion", spec.policies.caExclusion);
}
