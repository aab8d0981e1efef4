// The emulator speaks the schema of its API version: what it accepts on a write is defined there,
// and what it returns is too (v1.0 Conditional Access against the v1.0 CSDL, the beta Intune
// entities against the beta extract).
import { SEED } from "../../../lab/emulator";
import { CA_POLICY_SCHEMA } from "../../../lab/emulator/routes/conditional-access";
import { EXCLUDE_TARGET_PROPERTIES, FIDO2_PROPERTIES, KEY_RESTRICTION_PROPERTIES, TARGET_PROPERTIES } from "../../../lab/emulator/routes/authentication-methods";
import { CONFIG_PATH } from "../../../provider/fido2/model";
import { isProviderError } from "../../../provider/core/errors";
import { graphRequest, graphRequestRaw, type GraphClient } from "../../../provider/graph";
import { createCloudTrustPolicy, checkCloudTrustPolicy } from "../../../provider/intune/cloud-trust-policy";
import { createHostToRealmMapping, checkHostToRealmMapping } from "../../../provider/intune/host-to-realm-mapping";
import { validateBody, type SchemaModel } from "./csdl";
import * as path from "node:path";
import { betaSchema, GRAPH, readJson, v1Schema } from "./fixtures";
import { FAST_RETRY, startGraphLab, type GraphLab } from "../../integration/support/graph-lab";
import { withoutAnnotations } from "./tenant";

/** Every key of the emulator's schema, at every depth, as a path and the v1.0 type it must be on. */
function misfits(model: SchemaModel, schema: Record<string, any>, type: string, at: string, out: string[] = []): string[] {
    const info = model.types.get(type);
    if (!info) { out.push(`${at}: ${type} is not in ${model.label}`); return out; }
    for (const [k, kind] of Object.entries(schema)) {
        const p = info.properties.get(k);
        if (!p) { out.push(`${at}.${k}: ${type} has no such property in ${model.label}`); continue; }
        const target = p.type.replace(/^Collection\((.*)\)$/, "$1");
        if (typeof kind === "object" && "obj" in kind) misfits(model, kind.obj, target, `${at}.${k}`, out);
        const members: string[] | undefined = typeof kind === "object" ? kind.enum ?? kind.enumArray : undefined;
        const defined = model.enums.get(target)?.members;
        // operator is an Edm.String whose values the docs (not the CSDL) give
        if (members && defined) for (const m of members) if (!defined.has(m)) out.push(`${at}.${k}: '${m}' is not a member of ${target}`);
    }
    return out;
}

describe("Conditional Access (v1.0)", () => {
    test("every property the emulator accepts is one the v1.0 CSDL defines, with the CSDL's enum members", () => {
        expect(misfits(v1Schema(), CA_POLICY_SCHEMA, "microsoft.graph.conditionalAccessPolicy", "policy")).toEqual([]);
    });

    test("it accepts description, deletedDateTime and modifiedDateTime, which v1.0 defines", () => {
        for (const k of ["description", "deletedDateTime", "modifiedDateTime"]) expect(CA_POLICY_SCHEMA).toHaveProperty(k);
    });

    describe("on the wire", () => {
        let lab: GraphLab, gc: GraphClient;
        beforeAll(async () => { lab = await startGraphLab(); gc = lab.client(undefined, { retry: { ...FAST_RETRY, maxAttempts: 1 } }); });
        afterAll(async () => { await lab?.close(); });
        const path = `/identity/conditionalAccess/policies/${SEED.policies.requireMfa}`;

        test("a policy it returns is a v1.0 conditionalAccessPolicy, description, deletedDateTime and modifiedDateTime included", async () => {
            const p = await graphRequest<any>(gc, { method: "GET", version: "v1.0", path, description: "contract" });
            expect(p).toEqual(expect.objectContaining({ description: null, deletedDateTime: null, modifiedDateTime: null }));
            expect(validateBody(v1Schema(), "conditionalAccessPolicy", withoutAnnotations(p), { response: true })).toEqual({ errors: [], gaps: [] });
        });

        test("a description is written and returned; modifiedDateTime is the service's", async () => {
            await graphRequestRaw(gc, { method: "PATCH", version: "v1.0", path, body: { description: "set by contract", modifiedDateTime: "2001-01-01T00:00:00Z" }, description: "contract" });
            const p = await graphRequest<any>(gc, { method: "GET", version: "v1.0", path, description: "contract" });
            expect(p.description).toBe("set by contract");
            expect(p.modifiedDateTime).not.toBe("2001-01-01T00:00:00Z");
        });

        test.each([
            ["partialEnablementStrategy", { partialEnablementStrategy: null }],
            ["conditions.times", { conditions: { times: null } }],
            ["conditions.applications.globalSecureAccess", { conditions: { applications: { globalSecureAccess: null } } }],
        ])("a property only beta has (%s) is refused on v1.0 with 400 1007", async (_k, body) => {
            const e = await graphRequestRaw(gc, { method: "PATCH", version: "v1.0", path, body, description: "contract" }).then(() => undefined, (x) => x);
            expect(isProviderError(e)).toBe(true);
            expect(e.httpStatus).toBe(400);
            expect(e.message).toContain("1007: Incoming ConditionalAccessPolicy object is null or does not match the schema");
        });
    });
});

describe("the FIDO2 method configuration (v1.0)", () => {
    const propertiesOf = (type: string) => [...(v1Schema().types.get(type)?.properties.keys() ?? [])].sort();

    test.each([
        ["microsoft.graph.fido2AuthenticationMethodConfiguration", FIDO2_PROPERTIES],
        ["microsoft.graph.passkeyAuthenticationMethodTarget", TARGET_PROPERTIES],
        ["microsoft.graph.excludeTarget", EXCLUDE_TARGET_PROPERTIES],
        ["microsoft.graph.fido2KeyRestrictions", KEY_RESTRICTION_PROPERTIES],
    ])("the properties the emulator knows on %s are exactly the v1.0 CSDL's (own and inherited)", (type, known) => {
        expect([...known].sort()).toEqual(propertiesOf(type));
    });

    describe("on the wire", () => {
        let lab: GraphLab, gc: GraphClient;
        beforeAll(async () => { lab = await startGraphLab(); gc = lab.client(undefined, { retry: { ...FAST_RETRY, maxAttempts: 1 } }); });
        afterAll(async () => { await lab?.close(); });

        test("the configuration it returns is a v1.0 fido2AuthenticationMethodConfiguration, its targets passkeyAuthenticationMethodTargets", async () => {
            const c = await graphRequest<any>(gc, { method: "GET", version: "v1.0", path: CONFIG_PATH, description: "contract" });
            expect(c["@odata.type"]).toBe("#microsoft.graph.fido2AuthenticationMethodConfiguration");
            const body = withoutAnnotations(c);
            expect(validateBody(v1Schema(), "fido2AuthenticationMethodConfiguration", body, { response: true }).errors).toEqual([]);
        });

        test("a property only the passkey profiles' beta has, or a misspelt one, is refused with 400", async () => {
            for (const body of [{ passkeyType: "deviceBound" }, { keyRestrictions: { aaGuid: [] } }, { includeTargets: [{ id: SEED.groups.whfbPilot, targetType: "group", isRegistrationRequred: false }] }]) {
                const e = await graphRequestRaw(gc, { method: "PATCH", version: "v1.0", path: CONFIG_PATH, body, description: "contract" }).then(() => undefined, (x) => x);
                expect(isProviderError(e)).toBe(true);
                expect(e.httpStatus).toBe(400);
                expect(e.message).toContain("does not exist on type");
            }
        });
    });
});

describe("Intune (beta): what the emulator returns is what the beta schema defines", () => {
    let lab: GraphLab, gc: GraphClient;
    beforeAll(async () => { lab = await startGraphLab(); gc = lab.client(); });
    afterAll(async () => { await lab?.close(); });
    const OPTS = { client: { retry: FAST_RETRY } };

    test("a settings catalog policy with its settings and assignments", async () => {
        const r = checkCloudTrustPolicy({ graph: lab.conn(), displayName: "schema", scope: "both", useSecurityKeyForSignIn: true, cloudKerberosTicketRetrieval: true, assignments: { includeGroups: ["WHfB Pilot"], allDevices: true } });
        const { id } = await createCloudTrustPolicy(r.inputs, OPTS);
        const p = await graphRequest<any>(gc, { method: "GET", version: "beta", path: `/deviceManagement/configurationPolicies/${id}`, query: { $expand: "settings,assignments" }, description: "contract" });
        expect(validateBody(betaSchema(), "deviceManagementConfigurationPolicy", withoutAnnotations(p), { response: true })).toEqual({ errors: [], gaps: [] });
    });

    test("a list page has the envelope of the real page captured from the Intune admin center", async () => {
        const real = readJson(path.join(GRAPH, "peer-mocks/captured-intune-portal-configurationPolicies-list-page.json"));
        for (const n of ["page a", "page b", "page c"]) {
            await createCloudTrustPolicy(checkCloudTrustPolicy({ graph: lab.conn(), displayName: n }).inputs, OPTS);
        }
        const select = "id,name,description,platforms,technologies,lastModifiedDateTime,settingCount,roleScopeTagIds,isAssigned";
        const page = await graphRequest<any>(gc, { method: "GET", version: "beta", path: "/deviceManagement/configurationPolicies", query: { $select: select, $top: "2" }, description: "contract" });
        // @odata.context, @odata.count (not asked for), @odata.nextLink, then value (the capture keeps the envelope only)
        expect(Object.keys(page)).toEqual([...Object.keys(real.response), "value"]);
        expect(page["@odata.count"]).toBe(page.value.length); // the page's own count, as 100 on the real $top=100 page with a nextLink
        const next = new URL(page["@odata.nextLink"]), realNext = new URL(real.response["@odata.nextLink"]);
        expect([...next.searchParams.keys()].sort()).toEqual([...realNext.searchParams.keys()].filter((k) => k !== "$filter").sort());
        for (const p of page.value) expect(Object.keys(p).sort()).toEqual(select.split(",").sort());
    });

    test("a setting definition", async () => {
        const d = await graphRequest<any>(gc, { method: "GET", version: "beta", path: "/deviceManagement/configurationSettings/device_vendor_msft_passportforwork_securitykey_usesecuritykeyforsignin", description: "contract" });
        expect(validateBody(betaSchema(), "deviceManagementConfigurationSettingDefinition", withoutAnnotations(d), { response: true }).errors).toEqual([]);
    });

    test("a custom OMA-URI profile", async () => {
        const r = checkHostToRealmMapping({ graph: lab.conn(), displayName: "schema profile", mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }] });
        const { id } = await createHostToRealmMapping(r.inputs, OPTS);
        const d = await graphRequest<any>(gc, { method: "GET", version: "beta", path: `/deviceManagement/deviceConfigurations/${id}`, description: "contract" });
        expect(validateBody(betaSchema(), "deviceConfiguration", withoutAnnotations(d), { response: true })).toEqual({ errors: [], gaps: [] });
    });
});
