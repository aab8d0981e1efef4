// CloudKerberosTrust: a whole cloud Kerberos trust rollout as one component (docs/resources/). Children:
//   <forest>/<domain>          one AzureADKerberosServer per domain of every forest
//   <name>/wave-<N>            a WaveGate after each wave: fails unless every domain of wave N is in sync
//   <name>/cloud-trust-policy  the Intune cloud trust profile       (optional)
//   <name>/host-to-realm       the host-to-realm mappings           (optional)
//   <name>/ca-exclusion/<x>    one ConditionalAccessExclusion each  (optional)
//   <name>/fido2-security-key-method  the tenant's FIDO2 method, for the pilot groups (optional)
//
// Order: the servers of wave N+1 depend on the gate of wave N, and the gate's inputs are the wave-N
// servers' verdicts, so wave N+1 starts only after every domain of wave N was created or updated AND
// reported inSync. Servers within a wave depend on nothing of each other, so the engine runs them in
// parallel, and with `pulumi up --continue-on-error` a failing forest does not stop the others of its
// wave (the engine skips only what depends on the failure: the following waves). The Intune,
// Conditional Access and FIDO2 children wait for the first wave's gate: clients are told to use cloud Kerberos
// trust only once at least one wave of domains can issue the partial TGTs it needs.
import * as pulumi from "@pulumi/pulumi";
import { AzureADKerberosServer } from "../resources/azure-ad-kerberos-server";
import { CloudTrustPolicy } from "../resources/cloud-trust-policy";
import { ConditionalAccessExclusion } from "../resources/conditional-access-exclusion";
import { Fido2SecurityKeyMethod } from "../resources/fido2-security-key-method";
import { HostToRealmMapping } from "../resources/host-to-realm-mapping";
import { WaveGate, type WaveGateArgs } from "../resources/wave-gate";
import type { CloudKerberosTrustArgs, DomainStatus, TenantResourceStatus } from "./cloud-kerberos-trust-types";
import { renderStatusTable, renderTenantTable } from "./status-table";
import { planWaves, type Wave } from "./waves";

export type { CloudKerberosTrustArgs, DomainStatus, TrustDomainArgs, TrustForestArgs } from "./cloud-kerberos-trust-types";

export const COMPONENT_TYPE = "entra-kerberos:index:CloudKerberosTrust";

export class CloudKerberosTrust extends pulumi.ComponentResource {
    /** the Kerberos servers by child name (`<forest>/<domain>`) */
    readonly servers: Record<string, AzureADKerberosServer>;
    /** one gate per wave, by wave number */
    readonly waveGates: Record<number, WaveGate>;
    readonly cloudTrustPolicy?: CloudTrustPolicy;
    readonly hostToRealmMapping?: HostToRealmMapping;
    readonly fido2SecurityKeyMethod?: Fido2SecurityKeyMethod;
    readonly conditionalAccessExclusions: ConditionalAccessExclusion[];
    /** one row per domain, in rollout order */
    readonly domains: pulumi.Output<DomainStatus[]>;
    /** the rows as a text table (what `npm run demo` prints) */
    readonly statusTable: pulumi.Output<string>;
    readonly allInSync: pulumi.Output<boolean>;
    /** one row per tenant child (Intune profiles, Conditional Access exclusions, the FIDO2 method) as a text table */
    readonly tenantTable: pulumi.Output<string>;

    constructor(name: string, args: CloudKerberosTrustArgs, opts?: pulumi.ComponentResourceOptions) {
        super(COMPONENT_TYPE, name, {}, opts);
        const waves = planWaves(args.forests);
        this.servers = {};
        this.waveGates = {};

        const rows: pulumi.Output<DomainStatus>[] = [];
        let previousGate: WaveGate | undefined;
        for (const wave of waves) {
            const servers = this.rollOutWave(wave, args, previousGate);
            rows.push(...servers.map(({ server, forest, domain }) => statusRow(server, forest, wave.wave, domain)));
            previousGate = this.gate(name, wave, servers.map((s) => s.server), args.readinessGate ? readinessInput(args, wave) : undefined);
        }

        const firstGate = waves.length ? this.waveGates[waves[0].wave] : undefined;
        const afterFirstWave: pulumi.CustomResourceOptions = { parent: this, dependsOn: firstGate ? [firstGate] : [] };
        if (args.cloudTrustPolicy) {
            this.cloudTrustPolicy = new CloudTrustPolicy(`${name}/cloud-trust-policy`, { ...args.cloudTrustPolicy, graph: args.graph }, afterFirstWave);
        }
        if (args.hostToRealm) {
            this.hostToRealmMapping = new HostToRealmMapping(`${name}/host-to-realm`, { ...args.hostToRealm, graph: args.graph }, afterFirstWave);
        }
        if (args.fido2SecurityKeyMethod) {
            this.fido2SecurityKeyMethod = new Fido2SecurityKeyMethod(`${name}/fido2-security-key-method`, { ...args.fido2SecurityKeyMethod, graph: args.graph }, afterFirstWave);
        }
        const exclusionNames = (args.conditionalAccessExclusions ?? []).map((e) => `${name}/ca-exclusion/${e.name ?? e.policy}`);
        this.conditionalAccessExclusions = (args.conditionalAccessExclusions ?? []).map(({ name: _childName, ...exclusion }, i) =>
            new ConditionalAccessExclusion(exclusionNames[i], { ...exclusion, graph: args.graph }, afterFirstWave));

        this.domains = pulumi.all(rows);
        this.statusTable = this.domains.apply(renderStatusTable);
        this.allInSync = this.domains.apply((list) => list.every((r) => r.inSync));
        this.tenantTable = pulumi.all(this.tenantRows(name, exclusionNames)).apply(renderTenantTable);
        this.registerOutputs({ domains: this.domains, statusTable: this.statusTable, allInSync: this.allInSync, tenantTable: this.tenantTable });
    }

    /** One row per tenant child, from its outputs. */
    private tenantRows(name: string, exclusionNames: string[]): pulumi.Output<TenantResourceStatus>[] {
        const rows: pulumi.Output<TenantResourceStatus>[] = [];
        const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
        const p = this.cloudTrustPolicy;
        if (p) {
            rows.push(pulumi.all([p.policyId, p.settingCount, p.includeGroupIds, p.drift]).apply(([id, settings, groups, drift]) => ({
                kind: "CloudTrustPolicy" as const, name: `${name}/cloud-trust-policy`, object: id,
                owned: `the whole profile: ${count(settings, "setting")}, assigned to ${count(groups?.length ?? 0, "group")}`, drift: drift ?? [],
            })));
        }
        const h = this.hostToRealmMapping;
        if (h) {
            rows.push(pulumi.all([h.policyId, h.mappings, h.deliveredAs, h.drift]).apply(([id, mappings, delivery, drift]) => ({
                kind: "HostToRealmMapping" as const, name: `${name}/host-to-realm`, object: id,
                owned: `the whole profile: ${count(mappings.length, "realm")}, as ${delivery}`, drift: drift ?? [],
            })));
        }
        this.conditionalAccessExclusions.forEach((e, i) => {
            rows.push(pulumi.all([e.policyDisplayName, e.ownedApplicationIds, e.ownedGroupIds, e.ownedUserIds]).apply(([policy, apps, groups, users]) => ({
                kind: "ConditionalAccessExclusion" as const, name: exclusionNames[i], object: `"${policy}"`,
                owned: `excludes ${count(apps.length, "app")}, ${count(groups.length, "group")}, ${count(users.length, "user")}`, drift: [] as string[],
            })));
        });
        const f = this.fido2SecurityKeyMethod;
        if (f) {
            rows.push(f.ownedGroupIds.apply((groups) => ({
                kind: "Fido2SecurityKeyMethod" as const, name: `${name}/fido2-security-key-method`, object: "FIDO2 security key method",
                owned: `includes ${count(groups.length, "group")}`, drift: [] as string[],
            })));
        }
        return rows;
    }

    /** The servers of one wave, each depending on the previous wave's gate. */
    private rollOutWave(wave: Wave, args: CloudKerberosTrustArgs, previousGate: WaveGate | undefined) {
        return wave.members.map(({ forest, domain: d, childName }) => {
            const server = new AzureADKerberosServer(childName, {
                domain: d.domain,
                directory: d.directory,
                publisher: d.publisher,
                graph: args.graph,
                allowedGroups: d.allowedGroups,
                deniedGroups: d.deniedGroups,
                allowPrivilegedGroups: d.allowPrivilegedGroups,
                keyRotation: d.keyRotation ?? args.keyRotation,
                timeouts: d.timeouts,
            }, { parent: this, dependsOn: previousGate ? [previousGate] : [] });
            this.servers[childName] = server;
            return { server, forest, domain: d.domain };
        });
    }

    /** The gate after a wave: its inputs are the wave's verdicts, so it runs after all of them. */
    private gate(name: string, wave: Wave, servers: AzureADKerberosServer[], readiness: WaveGateArgs["readiness"]): WaveGate {
        const gate = new WaveGate(`${name}/wave-${wave.wave}`, {
            wave: wave.wave,
            readiness,
            domains: servers.map((s, i) => ({ name: wave.members[i].childName, inSync: s.inSync, driftReasons: s.driftReasons })),
        }, { parent: this, dependsOn: servers });
        this.waveGates[wave.wave] = gate;
        return gate;
    }
}

/**
 * The readiness report a wave's gate runs (readinessGate): the rollout's config cut down to this
 * wave's forests (the report reads only their domains), and the rollout's pilot groups.
 */
function readinessInput(args: CloudKerberosTrustArgs, wave: Wave): WaveGateArgs["readiness"] {
    const forests = args.forests.filter((f) => wave.members.some((m) => m.forest === f.name));
    // the report's own pilotGroupsOf drops the duplicates
    const policyGroups = pulumi.output(args.cloudTrustPolicy?.assignments ?? {}).apply((a) => a.includeGroups ?? []);
    const groups = pulumi.all([args.fido2SecurityKeyMethod?.includeGroups ?? [], policyGroups]).apply(([fido2, policy]) => [...fido2, ...policy]);
    return { spec: { graph: args.graph, forests, ...(args.keyRotation ? { keyRotation: args.keyRotation } : {}) } as Record<string, unknown>, pilotGroups: groups };
}

// The keys of a status row that come straight from the server's outputs.
const SERVER_COLUMNS = [
    "branchId", "domainDnsName", "computerAccount", "userAccount", "keyVersion", "keyUpdatedOn", "keyUpdatedFrom",
    "cloudId", "cloudDomainDnsName", "cloudKeyVersion", "cloudKeyUpdatedOn", "inSync", "driftReasons",
] as const satisfies readonly (keyof DomainStatus & keyof AzureADKerberosServer)[];

function statusRow(s: AzureADKerberosServer, forest: string, wave: number, domain: string): pulumi.Output<DomainStatus> {
    const outputs: Record<string, pulumi.Output<unknown>> = {};
    for (const k of SERVER_COLUMNS) outputs[k] = s[k];
    return pulumi.all(outputs).apply((o: Record<string, any>): DomainStatus => ({
        ...(o as Omit<DomainStatus, "forest" | "wave" | "domain">), forest, wave, domain, driftReasons: o.driftReasons ?? [],
    }));
}
