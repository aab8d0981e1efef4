// Every real export, put into the emulator's tenant as a tenant holds it (tenant.ts) and read
// through the provider: adoption by display name works, a policy equal to the inputs gives no diff
// (twice: no perpetual diff), and the drift verdict names what differs.
import { randomUUID } from "node:crypto";
import { SEED } from "../../../lab/emulator";
import { isProviderError, type ProviderError } from "../../../provider/core/errors";
import { RequestPacer } from "../../../provider/graph/pacer";
import { graphGateway } from "../../../provider/conditional-access/graph-gateway";
import { exclusionsOf } from "../../../provider/conditional-access/merge";
import { createExclusion, readExclusion } from "../../../provider/conditional-access/operations";
import { observedAssignments } from "../../../provider/intune/assignments";
import {
    checkCloudTrustPolicy, createCloudTrustPolicy, diffCloudTrustPolicy, readCloudTrustPolicy, type CheckedCloudTrustInputs,
} from "../../../provider/intune/cloud-trust-policy";
import { readPolicy } from "../../../provider/intune/configuration-policies";
import { readProfile } from "../../../provider/intune/device-configurations";
import { checkHostToRealmMapping, createHostToRealmMapping, readHostToRealmMapping } from "../../../provider/intune/host-to-realm-mapping";
import { HOST_TO_REALM_OMA_URI } from "../../../provider/intune/host-to-realm";
import { markedDescription } from "../../../provider/intune/marker";
import { flattenSettings, settingsDifference } from "../../../provider/intune/settings-compare";
import { FAST_RETRY, startGraphLab, type GraphLab } from "../../integration/support/graph-lab";
import { realExport, realExportNames } from "./fixtures";
import { holdCaPolicy, holdPolicy, holdProfile, withoutAnnotations } from "./tenant";

const OPTS = { client: { retry: FAST_RETRY } };
const CKT = "oib-settings-catalog-cloud-kerberos-trust-v3.5.json";
const TEMPLATE = "oib-settings-catalog-whfb-configuration-template-v3.2.json";
const OMA = "oib-custom-omauri-whfb-hybrid-cloud-trust-2022.json";
const dev = "device_vendor_msft_passportforwork_{tenantid}";
const TICKET = "device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled";

let lab: GraphLab;
beforeEach(async () => { lab = await startGraphLab(); }); // each test its own tenant: exports keep their real ids
afterEach(async () => { await lab?.close(); });

async function failure(p: Promise<unknown>): Promise<ProviderError> {
    try { await p; } catch (e) { if (isProviderError(e)) return e; throw e; }
    throw new Error("expected a failure");
}

/** The inputs that say what the OIB cloud Kerberos trust baseline says. */
function cktInputs(extra: Record<string, unknown> = {}): CheckedCloudTrustInputs {
    const r = checkCloudTrustPolicy({ graph: lab.conn(), displayName: realExport(CKT).name, description: "NOTE: Requires setup of Cloud Kerberos Trust to function.", cloudKerberosTicketRetrieval: true, ...extra });
    expect(r.failures).toEqual([]);
    return r.inputs;
}

/** A real choice child of the device group, in the export's own wire form (annotations and all). */
function realChild(exported: any, id: string, value: string): any {
    const template = exported.settings[1].settingInstance.groupSettingCollectionValue[0].children[0];
    return { ...template, settingDefinitionId: id, choiceSettingValue: { ...template.choiceSettingValue, value: `${id}_${value}` } };
}

describe(`settings catalog: ${CKT}`, () => {
    test("read through the provider: exactly its two setting lines, the server's fields ignored", async () => {
        const id = holdPolicy(lab.emu, realExport(CKT));
        const p = await readPolicy(lab.client(), id, "contract");
        expect(p).toMatchObject({ id, name: realExport(CKT).name, settingCount: 2, roleScopeTagIds: ["0"] });
        expect(flattenSettings(p!.settings)).toEqual([`${dev}[0]/policies_usecloudtrustforonpremauth = true`, `${TICKET} = 1`]);
    });

    test("adoption by display name: refused without adoptExisting, naming it; with it, the same policy is rewritten, scope tags kept", async () => {
        const exported = realExport(CKT);
        const id = holdPolicy(lab.emu, exported, { roleScopeTagIds: ["0", "3"] });
        const refused = await failure(createCloudTrustPolicy(cktInputs(), OPTS));
        expect(refused.code).toBe("POLICY_NOT_OURS");
        expect(refused.message).toContain(`(id ${id})`);

        const news = cktInputs({ adoptExisting: true });
        const { id: adopted, outs } = await createCloudTrustPolicy(news, OPTS);
        expect(adopted).toBe(id);
        expect(lab.emu.state.configurationPolicies.filter((p) => p.name === exported.name)).toHaveLength(1);
        expect(lab.emu.state.get("configurationPolicies", id).roleScopeTagIds).toEqual(["0", "3"]);
        expect(outs.settings).toEqual(news.settings);
        expect(outs.drift).toBeUndefined();
        const refreshed = await readCloudTrustPolicy(id, outs, OPTS);
        expect(diffCloudTrustPolicy(refreshed.props, news)).toEqual({ changes: false, reasons: [] });
    });

    test("a policy equal to the inputs gives no diff, and no perpetual diff", async () => {
        const exported = realExport(CKT);
        const news = cktInputs();
        // the real export, holding what the inputs say: the two device settings the baseline leaves out, and the marker
        const children = exported.settings[1].settingInstance.groupSettingCollectionValue[0].children;
        children.push(realChild(exported, `${dev}_policies_usepassportforwork`, "true"), realChild(exported, `${dev}_policies_usecertificateforonpremauth`, "false"));
        const id = holdPolicy(lab.emu, { ...exported, description: markedDescription(news.description) });

        const first = await readCloudTrustPolicy(id, news, OPTS);
        expect(diffCloudTrustPolicy(first.props, news)).toEqual({ changes: false, reasons: [] });
        const second = await readCloudTrustPolicy(id, first.props, OPTS);
        expect(second.props).toEqual(first.props);
        expect(diffCloudTrustPolicy(second.props, news)).toEqual({ changes: false, reasons: [] });
    });

    test("held as exported, the drift verdict names what differs from the inputs", async () => {
        const news = cktInputs();
        const id = holdPolicy(lab.emu, realExport(CKT));
        const r = await readCloudTrustPolicy(id, news, OPTS);
        expect(diffCloudTrustPolicy(r.props, news)).toEqual({ changes: true, reasons: ["description", "settings", "drift"] });
        expect(settingsDifference(r.props.settings as string[], news.settings!)).toEqual({
            unexpected: [], missing: [`${dev}[0]/policies_usecertificateforonpremauth = false`, `${dev}[0]/policies_usepassportforwork = true`],
        });
        expect(r.props.drift).toEqual([expect.stringContaining("lost the pulumi-entra-kerberos marker")]);
    });
});

describe(`template-based policy: ${TEMPLATE}`, () => {
    test("read through the provider: template references (server-filled) do not take part in the comparison", async () => {
        const exported = realExport(TEMPLATE);
        const id = holdPolicy(lab.emu, exported);
        const p = await readPolicy(lab.client(), id, "contract");
        const lines = flattenSettings(p!.settings);
        expect(lines).toEqual([
            "device_vendor_msft_passportforwork_biometrics_facialfeaturesuseenhancedantispoofing = true",
            `${dev}[0]/policies_enablepinrecovery = true`,
            `${dev}[0]/policies_pincomplexity_minimumpinlength = 6`,
            `${dev}[0]/policies_requiresecuritydevice = true`,
            `${dev}[0]/policies_usecertificateforonpremauth = false`,
            `${dev}[0]/policies_usepassportforwork = true`,
        ]);
        // the same settings without any template reference read as the same lines
        const bare = JSON.parse(JSON.stringify(exported.settings, (k, v) => (/TemplateReference$/.test(k) ? undefined : v)));
        expect(flattenSettings(bare)).toEqual(lines);
    });

    test("a CloudTrustPolicy of the same name does not adopt it, even with adoptExisting: a plain PUT would drop its template", async () => {
        const exported = realExport(TEMPLATE);
        const id = holdPolicy(lab.emu, exported);
        const refused = await failure(createCloudTrustPolicy(cktInputs({ displayName: exported.name, adoptExisting: true }), OPTS));
        expect(refused.code).toBe("POLICY_TEMPLATE_BASED");
        expect(refused.message).toContain(`(id ${id}) was made from template ${exported.templateReference.templateId}`);
        // nothing was written: the template's policy is as it was
        expect(lab.emu.state.get("configurationPolicies", id).templateReference.templateId).toBe(exported.templateReference.templateId);
        expect(lab.emu.requestLog.filter((r) => r.method === "PUT")).toEqual([]);
    });

    test("a CloudTrustPolicy refreshed onto it names every line that is not the program's", async () => {
        const news = cktInputs({ displayName: realExport(TEMPLATE).name });
        const id = holdPolicy(lab.emu, realExport(TEMPLATE));
        const r = await readCloudTrustPolicy(id, news, OPTS);
        expect(settingsDifference(r.props.settings as string[], news.settings!)).toEqual({
            unexpected: [
                "device_vendor_msft_passportforwork_biometrics_facialfeaturesuseenhancedantispoofing = true",
                `${dev}[0]/policies_enablepinrecovery = true`, `${dev}[0]/policies_pincomplexity_minimumpinlength = 6`, `${dev}[0]/policies_requiresecuritydevice = true`,
            ],
            missing: [`${dev}[0]/policies_usecloudtrustforonpremauth = true`, `${TICKET} = 1`],
        });
    });
});

describe(`custom OMA-URI profile: ${OMA}`, () => {
    const h2r = (extra: Record<string, unknown> = {}) => {
        const r = checkHostToRealmMapping({ graph: lab.conn(), displayName: realExport(OMA).displayName, mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }], ...extra });
        expect(r.failures).toEqual([]);
        return r.inputs;
    };

    test("read through the provider: a boolean OMA setting is not masked", async () => {
        const id = holdProfile(lab.emu, realExport(OMA));
        const d = await readProfile(lab.client(), id, "contract");
        expect(d).toMatchObject({ id, odataType: "#microsoft.graph.windows10CustomConfiguration", displayName: "Windows Hello for Business Hybrid Cloud Trust" });
        expect(d!.omaSettings).toEqual([expect.objectContaining({
            odataType: "#microsoft.graph.omaSettingBoolean", omaUri: "./Device/Vendor/MSFT/PassportForWork/{TenantID}/Policies/UseCloudTrustForOnPremAuth",
        })]);
    });

    test("a HostToRealmMapping of the same name: refused, then adopted; its refresh names the foreign row while it is there", async () => {
        const id = holdProfile(lab.emu, realExport(OMA));
        const refused = await failure(createHostToRealmMapping(h2r(), OPTS));
        expect(refused.code).toBe("POLICY_NOT_OURS");
        expect(refused.message).toContain("custom OMA-URI profile");

        // refreshed as if it were this resource's already: the drift says what is there instead
        const before = await readHostToRealmMapping(id, { ...h2r(), deliveredAs: "customOmaUri", policyId: id }, OPTS);
        expect(before.props.drift).toEqual(expect.arrayContaining([
            "OMA-URI ./Device/Vendor/MSFT/PassportForWork/{TenantID}/Policies/UseCloudTrustForOnPremAuth (omaSettingBoolean) was added outside Pulumi",
            `the OMA-URI ${HOST_TO_REALM_OMA_URI} (string) was removed outside Pulumi`,
        ]));

        const { id: adopted, outs } = await createHostToRealmMapping(h2r({ adoptExisting: true }), OPTS);
        expect(adopted).toBe(id);
        expect(lab.emu.state.get("deviceConfigurations", id).omaSettings.map((s: any) => s.omaUri)).toEqual([HOST_TO_REALM_OMA_URI]);
        expect(outs.drift).toBeUndefined();
    });
});

describe("assignments: intune-docs-configurationPolicy-assignments.json", () => {
    /** the real objects of the three policies the file holds: allDevices, exclusionGroup, group, allLicensedUsers targets */
    const realAssignments = (): any[] => Object.values<any[]>(realExport("intune-docs-configurationPolicy-assignments.json").assignments).flat();

    test("real /assignments objects read in the program's terms", async () => {
        const all = realAssignments();
        const id = holdPolicy(lab.emu, realExport(CKT), { assignments: all, isAssigned: true });
        const p = await readPolicy(lab.client(), id, "contract");
        expect(p!.assignments).toEqual(all);
        expect(observedAssignments(p!.assignments, {})).toEqual({
            includeGroups: ["e902ad4f-5e54-4621-9650-8844ca1e9d41"], excludeGroups: ["caaaa83f-34d5-4445-befd-69ff875679fb"], allDevices: true, allUsers: true,
        });
    });

    test("what the emulator's /assign stores has the real objects' shape and ids", async () => {
        const news = cktInputs({ displayName: "assign shape", assignments: { includeGroups: ["WHfB Pilot"], excludeGroups: ["Break Glass Admins"], allDevices: true, allUsers: true } });
        const { id } = await createCloudTrustPolicy(news, OPTS);
        const stored = lab.emu.state.get("configurationPolicies", id).assignments;
        const shape = (a: any) => ({ keys: Object.keys(a).sort(), targetKeys: Object.keys(a.target).sort(), type: a.target["@odata.type"], idSuffix: a.id.slice(a.id.indexOf("_") + 1) });
        const byType = (list: any[], type: string) => list.filter((a) => a.target["@odata.type"] === type).map(shape)[0];
        const realAll = realAssignments();
        for (const type of ["allDevicesAssignmentTarget", "allLicensedUsersAssignmentTarget"].map((t) => `#microsoft.graph.${t}`)) {
            expect(byType(stored, type)).toEqual(byType(realAll, type)); // the well-known virtual group ids too
        }
        for (const type of ["groupAssignmentTarget", "exclusionGroupAssignmentTarget"].map((t) => `#microsoft.graph.${t}`)) {
            expect({ ...byType(stored, type), idSuffix: "" }).toEqual({ ...byType(realAll, type), idSuffix: "" });
        }
        expect(stored.every((a: any) => a.id.startsWith(`${id}_`) && a.source === "direct" && a.sourceId === id)).toBe(true);
        expect(realAll.every((a: any) => a.id.startsWith(`${a.sourceId}_`))).toBe(true);
    });
});

describe("Conditional Access: the six real policies", () => {
    const files = realExportNames().filter((f) => f.startsWith("ca-"));

    test.each(files)("%s: found by display name, an exclusion added, everyone else's entries kept", async (file) => {
        const exported = realExport(file);
        // two of them were exported with their id removed by their author
        const id = holdCaPolicy(lab.emu, { id: randomUUID(), ...exported });
        const before = exclusionsOf(withoutAnnotations(exported));
        const gw = graphGateway(lab.client(), new RequestPacer(0), "contract");
        const state = await createExclusion(gw, { graph: lab.conn(), policy: exported.displayName, excludeGroups: [SEED.groups.breakGlassAdmins] });
        expect(state.policyId).toBe(id);
        const after = exclusionsOf(lab.emu.state.get("policies", id));
        expect(after.groups).toEqual([...before.groups.filter((g) => g !== SEED.groups.breakGlassAdmins), SEED.groups.breakGlassAdmins]);
        expect(after.users).toEqual(before.users);
        expect(after.applications).toEqual(before.applications);
        const read = await readExclusion(gw, state);
        expect(read.excludeGroups).toEqual(state.excludeGroups);
    });
});
