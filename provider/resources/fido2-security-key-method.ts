// Fido2SecurityKeyMethod: this stack's part of the tenant's FIDO2 security key (passkey) method
// configuration in Entra's authentication methods policy, a singleton other people share. It adds
// and keeps only its own include targets (the pilot groups) and the settings the program declares,
// and its delete removes only the targets it added (docs/resources/fido2-security-key-method.md).
// The provider object holds only a module path (core/dynamic.ts); the implementation is -impl.ts.
import * as pulumi from "@pulumi/pulumi";
import { DYNAMIC_MODULE, lazyProvider, packageModule } from "../core/dynamic";
import type { GraphConnection } from "../graph/types";
import { OUTPUT_KEYS, type EnforcementType, type MethodState } from "../fido2/model";
import type { DeepInput } from "./deep-input";

export interface Fido2SecurityKeyMethodArgs {
    graph: DeepInput<GraphConnection>;
    /** pilot groups enabled for FIDO2 security keys: object ids or exact display names */
    includeGroups?: pulumi.Input<pulumi.Input<string>[]>;
    /** the method's state for the whole tenant; left out: as it is */
    state?: pulumi.Input<MethodState>;
    /** whether users may register security keys themselves; left out: as it is */
    isSelfServiceRegistrationAllowed?: pulumi.Input<boolean>;
    /** whether keys must present a valid attestation to register; left out: as it is */
    isAttestationEnforced?: pulumi.Input<boolean>;
    /** which authenticator models (AAGUIDs) may register; left out: as it is */
    keyRestrictions?: pulumi.Input<{
        isEnforced: pulumi.Input<boolean>;
        enforcementType: pulumi.Input<EnforcementType>;
        aaGuids: pulumi.Input<pulumi.Input<string>[]>;
    }>;
}

export const fido2SecurityKeyMethodProvider = lazyProvider(
    packageModule("bin/provider/resources/fido2-security-key-method-impl"), "fido2SecurityKeyMethodImpl");

export class Fido2SecurityKeyMethod extends pulumi.dynamic.Resource {
    /** resolved object ids of includeGroups, in the same order */
    declare readonly groupIds: pulumi.Output<string[]>;
    /** the include targets this resource added, and the only ones its delete removes */
    declare readonly ownedGroupIds: pulumi.Output<string[]>;

    constructor(name: string, args: Fido2SecurityKeyMethodArgs, opts?: pulumi.CustomResourceOptions) {
        const outputs = Object.fromEntries(OUTPUT_KEYS.map((k) => [k, undefined]));
        super(fido2SecurityKeyMethodProvider, name, { ...outputs, ...args }, opts, DYNAMIC_MODULE, "Fido2SecurityKeyMethod");
    }
}
