// Real exports put into the emulator's tenant as a tenant holds them: the entity's own fields,
// server-filled ones included (ids, dates, template references, settingCount), without the
// response-only annotations (@odata.context, navigation links, actions) that the emulator adds
// again, in its own way, when it serves the entity.
import type { GraphEmulator } from "../../../lab/emulator";

/** Drops `@odata.*` annotations and `#action` entries at every depth; keeps `@odata.type`, which names a derived type. */
export function withoutAnnotations(v: any): any {
    if (Array.isArray(v)) return v.map(withoutAnnotations);
    if (typeof v !== "object" || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
        if (k.startsWith("#") || (k.includes("@odata.") && k !== "@odata.type")) continue;
        out[k] = withoutAnnotations(x);
    }
    return out;
}

/** A settings catalog policy export (GET ...configurationPolicies/{id}?$expand=settings) held by the tenant. */
export function holdPolicy(emu: GraphEmulator, exported: any, changes: Record<string, unknown> = {}): string {
    const { "@odata.type": _t, assignments, settings, ...fields } = withoutAnnotations(exported);
    emu.state.insert("configurationPolicies", {
        isAssigned: false, ...fields, settings: settings.map((s: any) => ({ id: s.id, settingInstance: s.settingInstance })),
        assignments: assignments ?? [], ...changes,
    });
    return exported.id;
}

/** A deviceConfigurations export (GET ...deviceConfigurations/{id}?$expand=assignments) held by the tenant. */
export function holdProfile(emu: GraphEmulator, exported: any): string {
    emu.state.insert("deviceConfigurations", { assignments: [], ...withoutAnnotations(exported) });
    return exported.id;
}

/** A Conditional Access policy export, as the tenant holds it. */
export function holdCaPolicy(emu: GraphEmulator, exported: any): string {
    const { "@odata.type": _t, ...fields } = withoutAnnotations(exported);
    emu.state.insert("policies", fields);
    return exported.id;
}
