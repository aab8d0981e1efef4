// Intune through the provider's Graph client against the emulator: settings catalog policies
// (create, $expand, 25-per-page settings, PUT, assign, delete, strict validation), definitions,
// custom OMA-URI profiles with masked values, and Intune throttling with Retry-After.
import { ClientSecretCredential } from "@azure/identity";
import { Agent } from "undici";
import { LAB_APP_CLIENT_ID, MASKED_VALUE, SEED, simpleDefinition, choiceDefinition, groupCollectionDefinition } from "../../lab/emulator";
import { graphListAll, graphRequest, graphRequestRaw, type GraphClient } from "../../provider/graph";
import { isProviderError, ProviderError } from "../../provider/core/errors";
import { startGraphLab, type GraphLab } from "./support/graph-lab";

let lab: GraphLab;
let gc: GraphClient;
beforeAll(async () => {
    lab = await startGraphLab();
    gc = lab.client();
});
afterAll(async () => { await lab?.close(); });

async function failure(p: Promise<unknown>): Promise<ProviderError> {
    try { await p; } catch (e) { if (isProviderError(e)) return e; throw e; }
    throw new Error("expected the call to fail");
}

const POLICIES = "/deviceManagement/configurationPolicies";
const dev = "device_vendor_msft_passportforwork_{tenantid}";
const usr = "user_vendor_msft_passportforwork_{tenantid}";
const GROUP = "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance";
const CHOICE = "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance";
const SIMPLE = "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance";
const choice = (id: string, value: string) => ({ "@odata.type": CHOICE, settingDefinitionId: id, choiceSettingValue: { value, children: [] } });
const group = (id: string, children: any[]) => ({ "@odata.type": GROUP, settingDefinitionId: id, groupSettingCollectionValue: [{ children }] });
const setting = (settingInstance: any) => ({ "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting", settingInstance });

/** graph-apis.md §1.2, device + user scope + cloud Kerberos ticket retrieval. */
function whfbBody(name: string, withUser = true) {
    return {
        name, description: "Managed by pulumi-entra-kerberos", platforms: "windows10", technologies: "mdm",
        roleScopeTagIds: ["0"], templateReference: { templateId: "" },
        settings: [
            setting(group(dev, [choice(`${dev}_policies_usepassportforwork`, `${dev}_policies_usepassportforwork_true`), choice(`${dev}_policies_usecloudtrustforonpremauth`, `${dev}_policies_usecloudtrustforonpremauth_true`)])),
            ...(withUser ? [setting(group(usr, [choice(`${usr}_policies_usepassportforwork`, `${usr}_policies_usepassportforwork_true`)]))] : []),
            setting(choice("device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled", "device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled_1")),
        ],
    };
}

describe("settings catalog policies", () => {
    test("create -> get with $expand -> PUT -> assign/assignments -> delete", async () => {
        const created = await graphRequest(gc, { method: "POST", version: "beta", path: POLICIES, body: whfbBody("WHfB - Cloud Kerberos Trust") });
        expect(created).toMatchObject({
            name: "WHfB - Cloud Kerberos Trust", settingCount: 3, isAssigned: false, creationSource: null, roleScopeTagIds: ["0"],
            templateReference: { templateId: "", templateFamily: "none" }, platforms: "windows10", technologies: "mdm",
        });
        expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(created.createdDateTime).toBe(created.lastModifiedDateTime);
        expect(created.settings).toBeUndefined();

        const full = await graphRequest(gc, { method: "GET", version: "beta", path: `${POLICIES}/${created.id}`, query: { $expand: "settings,assignments" } });
        expect(full["@odata.context"]).toBe(`${lab.url}/beta/$metadata#deviceManagement/configurationPolicies(settings(),assignments())/$entity`);
        expect(full.assignments).toEqual([]);
        expect(full.settings.map((s: any) => s.id)).toEqual(["0", "1", "2"]);
        const devGroup = full.settings[0].settingInstance;
        expect(devGroup.settingDefinitionId).toBe(dev); // {tenantid} stays literal
        expect(devGroup.groupSettingCollectionValue[0]["children@odata.type"]).toBe("#Collection(microsoft.graph.deviceManagementConfigurationSettingInstance)");
        expect(devGroup.groupSettingCollectionValue[0].children[1].choiceSettingValue.value).toBe(`${dev}_policies_usecloudtrustforonpremauth_true`);

        await new Promise((r) => setTimeout(r, 5));
        const put = await graphRequestRaw(gc, { method: "PUT", version: "beta", path: `${POLICIES}/${created.id}`, body: whfbBody("WHfB - Cloud Kerberos Trust (device)", false) });
        expect(put.status).toBe(204);
        const afterPut = await graphRequest(gc, { method: "GET", version: "beta", path: `${POLICIES}/${created.id}`, query: { $expand: "settings" } });
        expect(afterPut).toMatchObject({ name: "WHfB - Cloud Kerberos Trust (device)", settingCount: 2, createdDateTime: created.createdDateTime });
        expect(afterPut.lastModifiedDateTime > created.lastModifiedDateTime).toBe(true);
        expect(afterPut.settings.map((s: any) => s.settingInstance.settingDefinitionId)).toEqual([dev, "device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled"]);

        const assigned = await graphRequest(gc, {
            method: "POST", version: "beta", path: `${POLICIES}/${created.id}/assign`, idempotent: true,
            body: { assignments: [
                { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: SEED.groups.whfbPilot, deviceAndAppManagementAssignmentFilterType: "none" } },
                { target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: SEED.groups.breakGlassAdmins } },
            ] },
        });
        expect(assigned.value.map((a: any) => a.target.groupId)).toEqual([SEED.groups.whfbPilot, SEED.groups.breakGlassAdmins]);
        const listed = await graphListAll(gc, { version: "beta", path: `${POLICIES}/${created.id}/assignments` });
        expect(listed.map((a) => [a.id, a.target["@odata.type"], a.source])).toEqual([
            [`${created.id}_${SEED.groups.whfbPilot}`, "#microsoft.graph.groupAssignmentTarget", "direct"],
            [`${created.id}_${SEED.groups.breakGlassAdmins}`, "#microsoft.graph.exclusionGroupAssignmentTarget", "direct"],
        ]);
        expect((await graphRequest(gc, { method: "GET", version: "beta", path: `${POLICIES}/${created.id}` })).isAssigned).toBe(true);
        // assign replaces the whole set
        await graphRequest(gc, { method: "POST", version: "beta", path: `${POLICIES}/${created.id}/assign`, body: { assignments: [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }] } });
        const replaced = await graphListAll(gc, { version: "beta", path: `${POLICIES}/${created.id}/assignments` });
        expect(replaced.map((a) => a.id)).toEqual([`${created.id}_adadadad-808e-44e2-905a-0b7873a8a531`]);

        expect((await graphRequestRaw(gc, { method: "DELETE", version: "beta", path: `${POLICIES}/${created.id}` })).status).toBe(204);
        const gone = await failure(graphRequest(gc, { method: "GET", version: "beta", path: `${POLICIES}/${created.id}` }));
        expect(gone.code).toBe("GRAPH_NOT_FOUND");
        expect(gone.serviceCode).toBe("NotFound");
    });

    test("a 60-setting policy: settings come 25 per page and graphListAll reads all of them", async () => {
        for (let i = 0; i < 60; i++) {
            lab.emu.state.addSettingDefinition(simpleDefinition({ id: `device_vendor_msft_policy_config_labtest_setting${i}`, displayName: `Lab test ${i}`, baseUri: "./Device/Vendor/MSFT/Policy/Config/LabTest", offsetUri: `/Setting${i}`, valueType: "integer", maximum: 100 }));
        }
        const body = {
            name: "Sixty", platforms: "windows10", technologies: "mdm",
            settings: Array.from({ length: 60 }, (_, i) => setting({ "@odata.type": SIMPLE, settingDefinitionId: `device_vendor_msft_policy_config_labtest_setting${i}`,
                simpleSettingValue: { "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue", value: i } })),
        };
        const p = await graphRequest(gc, { method: "POST", version: "beta", path: POLICIES, body });
        expect(p.settingCount).toBe(60);
        const mark = lab.emu.requestLog.length;
        const settings = await graphListAll(gc, { version: "beta", path: `${POLICIES}/${p.id}/settings` });
        expect(settings).toHaveLength(60);
        expect(settings.map((s) => s.settingInstance.simpleSettingValue.value)).toEqual(Array.from({ length: 60 }, (_, i) => i));
        const pages = lab.emu.requestLog.slice(mark).filter((r) => r.path.endsWith("/settings"));
        expect(pages.map((r) => r.status)).toEqual([200, 200, 200]); // 25 + 25 + 10
        const first = await graphRequest(gc, { method: "GET", version: "beta", path: `${POLICIES}/${p.id}/settings` });
        expect(first.value).toHaveLength(25);
        expect(first["@odata.nextLink"]).toMatch(new RegExp(`^${lab.url}/beta/deviceManagement/configurationPolicies/${p.id}/settings\\?\\$skiptoken=`));
    });

    test("list with $filter name eq / startswith, paging, and an unsupported filter refused", async () => {
        for (const n of ["Filter A", "Filter B", "Other"]) await graphRequest(gc, { method: "POST", version: "beta", path: POLICIES, body: { name: n, platforms: "windows10", technologies: "mdm", settings: [] } });
        const eq = await graphListAll(gc, { version: "beta", path: POLICIES, query: { $filter: "name eq 'Filter A'" } });
        expect(eq.map((p) => p.name)).toEqual(["Filter A"]);
        const sw = await graphListAll(gc, { version: "beta", path: POLICIES, query: { $filter: "startswith(name,'Filter')", $top: 1 } });
        expect(sw.map((p) => p.name).sort()).toEqual(["Filter A", "Filter B"]);
        const bad = await failure(graphRequest(gc, { method: "GET", version: "beta", path: POLICIES, query: { $filter: "description eq 'x'" } }));
        expect(bad.code).toBe("GRAPH_BAD_REQUEST");
        expect(bad.message).toContain("Unsupported or invalid query filter clause specified for property 'description'");
        const syntax = await failure(graphRequest(gc, { method: "GET", version: "beta", path: POLICIES, query: { $filter: "name eq 'unterminated" } }));
        expect(syntax.httpStatus).toBe(400);
    });

    test.each([
        ["a choice value that is not an option", () => [setting(choice("device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled", "device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled_2"))], /is not an option of/],
        ["a simple instance for a choice definition", () => [setting({ "@odata.type": SIMPLE, settingDefinitionId: "device_vendor_msft_policy_config_kerberos_cloudkerberosticketretrievalenabled", simpleSettingValue: { "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue", value: 1 } })], /does not match setting definition/],
        ["a choice instance for a group definition", () => [setting(choice(dev, `${dev}_true`))], /does not match setting definition/],
        ["the tenant GUID substituted for {tenantid}", () => [setting(group(dev.replace("{tenantid}", SEED.groups.whfbPilot), []))], /was not found/],
        ["a child at the top level", () => [setting(choice(`${dev}_policies_usecloudtrustforonpremauth`, `${dev}_policies_usecloudtrustforonpremauth_true`))], /cannot be at the top level/],
        ["a child under the wrong parent", () => [setting(group(usr, [choice(`${dev}_policies_usecloudtrustforonpremauth`, `${dev}_policies_usecloudtrustforonpremauth_true`)]))], /is not a valid child here/],
        ["an unknown setting", () => [setting(choice("device_vendor_msft_policy_config_nope", "x"))], /was not found/],
    ])("400 for %s", async (_name, settings, msg) => {
        const e = await failure(graphRequest(gc, { method: "POST", version: "beta", path: POLICIES, body: { name: "bad", platforms: "windows10", technologies: "mdm", settings: settings() } }));
        expect(e.code).toBe("GRAPH_BAD_REQUEST");
        expect(e.serviceCode).toBe("BadRequest");
        expect(e.message).toMatch(msg as RegExp);
    });

    test("an invalid setting answers with Graph's error envelope and Intune's JSON message", async () => {
        const cred = new ClientSecretCredential(lab.emu.tenantId, LAB_APP_CLIENT_ID, lab.secret, { authorityHost: lab.url, disableInstanceDiscovery: true, tlsOptions: { ca: [lab.caPem] } });
        const token = (await cred.getToken("https://graph.microsoft.com/.default")).token;
        const dispatcher = new Agent({ connect: { ca: [lab.caPem] } });
        try {
            const res = await fetch(`${lab.url}/beta${POLICIES}`, {
                method: "POST", dispatcher, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
                body: JSON.stringify({ name: "x", platforms: "windows10", technologies: "mdm", settings: [setting(choice("device_vendor_msft_policy_config_nope", "x"))] }),
            } as RequestInit);
            expect(res.status).toBe(400);
            const body = await res.json();
            expect(Object.keys(body.error).sort()).toEqual(["code", "innerError", "message"]);
            expect(body.error.code).toBe("BadRequest");
            const inner = JSON.parse(body.error.message);
            expect(inner._version).toBe(3);
            expect(inner.Message).toContain("Setting definition 'device_vendor_msft_policy_config_nope' was not found - Operation ID");
            expect(body.error.innerError["request-id"]).toBe(res.headers.get("request-id"));
        } finally {
            await dispatcher.close();
        }
    });

    test("read-only and unknown properties, bad ids and unknown ids", async () => {
        expect((await failure(graphRequest(gc, { method: "POST", version: "beta", path: POLICIES, body: { ...whfbBody("ro"), settingCount: 3 } }))).message).toContain("read-only");
        expect((await failure(graphRequest(gc, { method: "GET", version: "beta", path: `${POLICIES}/not-a-guid` }))).httpStatus).toBe(400);
        const nf = await failure(graphRequest(gc, { method: "GET", version: "beta", path: `${POLICIES}/00000000-0000-4000-8000-000000000000` }));
        expect([nf.httpStatus, nf.serviceCode]).toEqual([404, "NotFound"]);
    });
});

describe("setting definitions", () => {
    test("known definitions are served; HostToRealm is absent until a test adds it", async () => {
        const cloud = await graphRequest(gc, { method: "GET", version: "beta", path: `/deviceManagement/configurationSettings/${dev}_policies_usecloudtrustforonpremauth` });
        expect(cloud.options.map((o: any) => o.itemId)).toEqual([`${dev}_policies_usecloudtrustforonpremauth_false`, `${dev}_policies_usecloudtrustforonpremauth_true`]);
        const ticket = await graphListAll(gc, { version: "beta", path: "/deviceManagement/configurationSettings", query: { $filter: "contains(id,'cloudkerberosticketretrievalenabled')" } });
        expect(ticket[0].options.map((o: any) => o.optionValue.value)).toEqual([0, 1]);

        const h2r = "device_vendor_msft_policy_config_admx_kerberos_hosttorealm";
        expect(await graphListAll(gc, { version: "beta", path: "/deviceManagement/configurationSettings", query: { $filter: "contains(id,'hosttorealm')" } })).toEqual([]);
        expect((await failure(graphRequest(gc, { method: "GET", version: "beta", path: `/deviceManagement/configurationSettings/${h2r}` }))).httpStatus).toBe(404);

        // the admin API (as a test in another process would use it) adds the guessed definition tree of §2.2
        const defs = [
            choiceDefinition({ id: h2r, displayName: "Define host name-to-Kerberos realm mappings", baseUri: "./Device/Vendor/MSFT/Policy/Config/ADMX_Kerberos", offsetUri: "/HostToRealm", defaultSuffix: "0",
                options: [{ suffix: "0", displayName: "Disabled", value: 0 }, { suffix: "1", displayName: "Enabled", value: 1, childIds: [`${h2r}_hosttorealm`] }] }),
            groupCollectionDefinition({ id: `${h2r}_hosttorealm`, displayName: "Host to realm", parentId: h2r, rootDefinitionId: h2r, baseUri: "./Device/Vendor/MSFT/Policy/Config/ADMX_Kerberos", offsetUri: "/HostToRealm", childIds: [`${h2r}_hosttorealm_key`, `${h2r}_hosttorealm_value`], maximumCount: 100 }),
            simpleDefinition({ id: `${h2r}_hosttorealm_key`, displayName: "Realm", parentId: `${h2r}_hosttorealm`, rootDefinitionId: h2r, baseUri: "", offsetUri: "", valueType: "string" }),
            simpleDefinition({ id: `${h2r}_hosttorealm_value`, displayName: "Hosts", parentId: `${h2r}_hosttorealm`, rootDefinitionId: h2r, baseUri: "", offsetUri: "", valueType: "string" }),
        ];
        const dispatcher = new Agent({ connect: { ca: [lab.caPem] } });
        try {
            const res = await fetch(`${lab.url}/_emulator/seed`, { method: "POST", dispatcher, headers: { "content-type": "application/json" }, body: JSON.stringify({ configurationSettings: defs }) } as RequestInit);
            expect(res.status).toBe(200);
        } finally {
            await dispatcher.close();
        }
        const found = await graphListAll(gc, { version: "beta", path: "/deviceManagement/configurationSettings", query: { $filter: "contains(id,'hosttorealm')" } });
        expect(found.map((d) => d.id)).toContain(h2r);
        const str = (v: string) => ({ "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue", value: v });
        const p = await graphRequest(gc, { method: "POST", version: "beta", path: POLICIES, body: { name: "H2R", platforms: "windows10", technologies: "mdm", settings: [setting({
            "@odata.type": CHOICE, settingDefinitionId: h2r, choiceSettingValue: { value: `${h2r}_1`, children: [{
                "@odata.type": GROUP, settingDefinitionId: `${h2r}_hosttorealm`, groupSettingCollectionValue: [{ children: [
                    { "@odata.type": SIMPLE, settingDefinitionId: `${h2r}_hosttorealm_key`, simpleSettingValue: str("KERBEROS.MICROSOFTONLINE.COM") },
                    { "@odata.type": SIMPLE, settingDefinitionId: `${h2r}_hosttorealm_value`, simpleSettingValue: str(".file.core.windows.net") },
                ] }] }] } })] } });
        expect(p.settingCount).toBe(1);
        // children under the "Disabled" option are refused: that option allows none
        const e = await failure(graphRequest(gc, { method: "POST", version: "beta", path: POLICIES, body: { name: "H2R bad", platforms: "windows10", technologies: "mdm", settings: [setting({
            "@odata.type": CHOICE, settingDefinitionId: h2r, choiceSettingValue: { value: `${h2r}_0`, children: [{ "@odata.type": GROUP, settingDefinitionId: `${h2r}_hosttorealm`, groupSettingCollectionValue: [{ children: [] }] }] } })] } }));
        expect(e.message).toContain("is not a valid child here");
    });
});

describe("custom OMA-URI profiles (deviceConfigurations)", () => {
    const DC = "/deviceManagement/deviceConfigurations";
    const h2rValue = '<enabled/><data id="hosttorealm" value="KERBEROS.MICROSOFTONLINE.COM&#xF000;.file.core.windows.net"/>';
    const body = (value = h2rValue) => ({
        "@odata.type": "#microsoft.graph.windows10CustomConfiguration", displayName: "Kerberos - HostToRealm (Azure Files)", description: "sha256=abc", roleScopeTagIds: ["0"],
        omaSettings: [
            { "@odata.type": "#microsoft.graph.omaSettingString", displayName: "HostToRealm", omaUri: "./Device/Vendor/MSFT/Policy/Config/ADMX_Kerberos/HostToRealm", value },
            { "@odata.type": "#microsoft.graph.omaSettingInteger", displayName: "CloudKerberosTicketRetrievalEnabled", omaUri: "./Device/Vendor/MSFT/Policy/Config/Kerberos/CloudKerberosTicketRetrievalEnabled", value: 1 },
        ],
    });

    test("string values are masked on every read; integers are not; PATCH replaces the collection", async () => {
        const created = await graphRequest(gc, { method: "POST", version: "beta", path: DC, body: body() });
        expect(created.omaSettings[0]).toMatchObject({ value: MASKED_VALUE, isEncrypted: true, secretReferenceValueId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
        const got = await graphRequest(gc, { method: "GET", version: "beta", path: `${DC}/${created.id}` });
        expect(got.omaSettings[0].value).toBe(MASKED_VALUE);
        expect(got.omaSettings[1]).toMatchObject({ value: 1, isEncrypted: false, secretReferenceValueId: null });
        expect(JSON.stringify(got)).not.toContain("KERBEROS.MICROSOFTONLINE.COM");
        const listed = await graphListAll(gc, { version: "beta", path: DC });
        expect(JSON.stringify(listed)).not.toContain("KERBEROS.MICROSOFTONLINE.COM");
        // the tenant holds the plain value
        expect(lab.emu.state.get("deviceConfigurations", created.id).omaSettings[0].value).toBe(h2rValue);
        // which an app with the Intune permission reads back through getOmaSettingPlainTextValue, as its doc page gives it
        const plain = await graphRequest(gc, { method: "GET", version: "beta", path: `${DC}/${created.id}/getOmaSettingPlainTextValue(secretReferenceValueId='${got.omaSettings[0].secretReferenceValueId}')` });
        expect(plain.value).toBe(h2rValue);
        const unknownRef = await failure(graphRequest(gc, { method: "GET", version: "beta", path: `${DC}/${created.id}/getOmaSettingPlainTextValue(secretReferenceValueId='${SEED.groups.whfbPilot}')` }));
        expect(unknownRef.httpStatus).toBe(404);

        const noType = await failure(graphRequest(gc, { method: "PATCH", version: "beta", path: `${DC}/${created.id}`, body: { omaSettings: [] } }));
        expect(noType.message).toContain("@odata.type");
        await graphRequest(gc, { method: "PATCH", version: "beta", path: `${DC}/${created.id}`, body: { "@odata.type": "#microsoft.graph.windows10CustomConfiguration", omaSettings: body("<disabled/>").omaSettings.slice(0, 1) } });
        const after = await graphRequest(gc, { method: "GET", version: "beta", path: `${DC}/${created.id}` });
        expect(after.version).toBe(2);
        expect(after.omaSettings).toHaveLength(1);
        expect(after.omaSettings[0].secretReferenceValueId).not.toBe(got.omaSettings[0].secretReferenceValueId);

        const assigned = await graphRequest(gc, { method: "POST", version: "beta", path: `${DC}/${created.id}/assign`, body: { assignments: [{ target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: SEED.groups.whfbPilot } }] } });
        expect(assigned.value).toHaveLength(1);
        expect((await graphListAll(gc, { version: "beta", path: `${DC}/${created.id}/assignments` }))[0].target.groupId).toBe(SEED.groups.whfbPilot);
        expect((await graphRequestRaw(gc, { method: "DELETE", version: "beta", path: `${DC}/${created.id}` })).status).toBe(204);
    });

    test("wrong @odata.type and malformed settings are refused", async () => {
        const e1 = await failure(graphRequest(gc, { method: "POST", version: "beta", path: DC, body: { ...body(), "@odata.type": "#microsoft.graph.windows10GeneralConfiguration" } }));
        expect(e1.message).toContain("@odata.type must be '#microsoft.graph.windows10CustomConfiguration'");
        const b = body();
        (b.omaSettings[1] as any)["@odata.type"] = "#microsoft.graph.omaSettingBoolean";
        const e2 = await failure(graphRequest(gc, { method: "POST", version: "beta", path: DC, body: b }));
        expect(e2.message).toContain("omaSettings[1].value does not fit #microsoft.graph.omaSettingBoolean");
    });
});

describe("Intune throttling", () => {
    afterEach(() => lab.emu.setThrottling({ intune: { windowMs: 20_000, appWrites: 100, tenantWrites: 200 } }));

    test("over the write budget: 429 with Retry-After, which graphRequest waits out and retries", async () => {
        lab.emu.setThrottling({ intune: { windowMs: 1000, appWrites: 2 } });
        const mark = lab.emu.requestLog.length;
        const started = Date.now();
        for (let i = 0; i < 3; i++) await graphRequest(gc, { method: "POST", version: "beta", path: POLICIES, body: { name: `throttled ${i}`, platforms: "windows10", technologies: "mdm" } });
        const statuses = lab.emu.requestLog.slice(mark).filter((r) => r.method === "POST").map((r) => r.status);
        expect(statuses).toEqual([201, 201, 429, 201]);
        expect(Date.now() - started).toBeGreaterThanOrEqual(900); // Retry-After: 1 honoured, not the 10 ms test backoff
    });

    test("with retries exhausted the error is GRAPH_THROTTLED and retryable", async () => {
        lab.emu.setThrottling({ intune: { windowMs: 1000, appWrites: 1 } });
        const once = lab.client(undefined, { retry: { maxAttempts: 1 } });
        await graphRequest(once, { method: "POST", version: "beta", path: POLICIES, body: { name: "t1", platforms: "windows10", technologies: "mdm" } });
        const e = await failure(graphRequest(once, { method: "POST", version: "beta", path: POLICIES, body: { name: "t2", platforms: "windows10", technologies: "mdm" } }));
        expect([e.code, e.httpStatus, e.retryable]).toEqual(["GRAPH_THROTTLED", 429, true]);
    });
});
