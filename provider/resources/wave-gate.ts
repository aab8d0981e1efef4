// WaveGate: the point between two waves of a CloudKerberosTrust rollout. Its inputs are the verdicts
// (inSync, driftReasons) of every Kerberos server of one wave, so the engine runs it only after
// all of them are created or updated; its create/update fails, naming each domain and why, when any
// of them is not in sync. The next wave's servers depend on it, so they start only after every domain
// of this wave exists and is in sync. With a `readiness` input it also refuses while the readiness
// report of the wave's domains has a blocking finding. It changes nothing outside Pulumi's state.
import * as pulumi from "@pulumi/pulumi";
import { DYNAMIC_MODULE, lazyProvider, packageModule } from "../core/dynamic";

export interface WaveGateDomain {
    /** `<forest>/<domain>` */
    name: string;
    inSync: boolean;
    driftReasons: string[];
}

export interface WaveGateArgs {
    wave: pulumi.Input<number>;
    domains: pulumi.Input<pulumi.Input<{ name: pulumi.Input<string>; inSync: pulumi.Input<boolean>; driftReasons: pulumi.Input<pulumi.Input<string>[]> }>[]>;
    /** with `readinessGate: true`: the readiness report this gate also runs (readiness-gate.ts) */
    readiness?: pulumi.Input<{ spec: pulumi.Input<Record<string, unknown>>; pilotGroups: pulumi.Input<pulumi.Input<string>[]> }>;
}

export const waveGateProvider = lazyProvider(packageModule("bin/provider/resources/wave-gate-impl"), "waveGateProvider");

export class WaveGate extends pulumi.dynamic.Resource {
    declare readonly wave: pulumi.Output<number>;
    declare readonly domains: pulumi.Output<WaveGateDomain[]>;
    /** the verdict of the last readiness report this gate ran (readinessGate only) */
    declare readonly readinessVerdict: pulumi.Output<string | undefined>;

    constructor(name: string, args: WaveGateArgs, opts?: pulumi.CustomResourceOptions) {
        super(waveGateProvider, name, args, opts, DYNAMIC_MODULE, "WaveGate");
    }
}
