// Host-to-realm mappings: validation table, canonical form, the ADMX OMA-URI payload, the content
// hash, and the settings catalog definition discovery and decoding.
import { choiceDefinition, groupCollectionDefinition, simpleDefinition } from "../../../lab/emulator";
import {
    admxListValue, canonicalMappings, checkMappings, decodeHostToRealm, encodeHostToRealm, mappingsHash, sameMappings,
} from "../../../provider/intune/host-to-realm";
import { decodeHostToRealmSettings, hostToRealmInstance, interpretDefinitions } from "../../../provider/intune/host-to-realm-catalog";
import { UNKNOWN_VALUE } from "../../../provider/core/unknown";

const AZ = { realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] };

describe("encoding", () => {
    test("one realm: the documented payload (graph-apis.md §2.1)", () => {
        expect(encodeHostToRealm([AZ])).toBe('<enabled/><data id="hosttorealm" value="KERBEROS.MICROSOFTONLINE.COM&#xF000;.file.core.windows.net"/>');
    });

    test("several realms: REALM&#xF000;hosts;...&#xF000;REALM2&#xF000;hosts, realms and hosts in canonical order", () => {
        const m = [{ realm: "REALM2", hosts: ["host2"] }, { realm: "REALM1", hosts: [".suffix1", "Host1"] }];
        expect(admxListValue(m)).toBe("REALM1&#xF000;.suffix1;host1&#xF000;REALM2&#xF000;host2");
        expect(encodeHostToRealm(m)).toBe('<enabled/><data id="hosttorealm" value="REALM1&#xF000;.suffix1;host1&#xF000;REALM2&#xF000;host2"/>');
        expect(decodeHostToRealm(encodeHostToRealm(m))).toEqual(canonicalMappings(m));
    });

    test("the hash covers content, not order or host case", () => {
        const a = [AZ, { realm: "CORP.EXAMPLE.COM", hosts: ["a.example.com", "B.example.com"] }];
        const b = [{ realm: "CORP.EXAMPLE.COM", hosts: ["b.example.com", "a.example.com"] }, AZ];
        expect(mappingsHash(a)).toBe(mappingsHash(b));
        expect(mappingsHash(a)).toMatch(/^[0-9a-f]{64}$/);
        expect(sameMappings(a, b)).toBe(true);
        expect(mappingsHash([AZ])).not.toBe(mappingsHash(a));
        expect(mappingsHash([{ ...AZ, hosts: [".file.core.windows.net", "x.example.com"] }])).not.toBe(mappingsHash([AZ]));
    });

    test("decode refuses what encode never writes", () => {
        expect(decodeHostToRealm("<disabled/>")).toBeUndefined();
        expect(decodeHostToRealm('<enabled/><data id="hosttorealm" value="ONLY.REALM"/>')).toBeUndefined();
    });
});

describe("checkMappings", () => {
    const reasons = (v: unknown) => checkMappings(v).map((f) => `${f.property}: ${f.reason}`);

    test("valid: realms upper case, host names and dot-prefixed suffixes", () => {
        expect(checkMappings([AZ, { realm: "CORP.EXAMPLE.COM", hosts: ["storage1.file.core.windows.net", "FS01.corp.example.com", ".corp.example.com"] }])).toEqual([]);
        expect(checkMappings([{ realm: "CORP", hosts: ["fileserver"] }])).toEqual([]);
    });

    test.each([
        ["no mappings", [], /^mappings: mappings must list at least one/],
        ["not a list", "KERBEROS", /^mappings: mappings must list at least one/],
        ["lower-case realm", [{ realm: "corp.example.com", hosts: ["a.example.com"] }], /^mappings\[0\]\.realm: .* must be upper case \(CORP\.EXAMPLE\.COM\)/],
        ["realm with a space", [{ realm: "CORP EXAMPLE", hosts: ["a"] }], /^mappings\[0\]\.realm: .* is not a Kerberos realm/],
        ["realm missing", [{ hosts: ["a"] }], /^mappings\[0\]\.realm: mappings\[0\]\.realm is required/],
        ["no hosts", [{ realm: "A.B", hosts: [] }], /^mappings\[0\]\.hosts: .* at least one host/],
        ["wildcard host", [{ realm: "A.B", hosts: ["*.file.core.windows.net"] }], /^mappings\[0\]\.hosts\[0\]: .* is a wildcard; write the DNS suffix with a leading dot instead \(\.file\.core\.windows\.net\)/],
        ["host with a semicolon", [{ realm: "A.B", hosts: ["a;b"] }], /^mappings\[0\]\.hosts\[0\]: .* is not a DNS host name/],
        ["host with markup", [{ realm: "A.B", hosts: ['a"/><x'] }], /^mappings\[0\]\.hosts\[0\]: .* is not a DNS host name/],
        ["host with spaces", [{ realm: "A.B", hosts: [" a.b"] }], /^mappings\[0\]\.hosts\[0\]: .* must not be empty or carry spaces/],
        ["a label too long", [{ realm: "A.B", hosts: [`${"x".repeat(64)}.example.com`] }], /is not a DNS host name/],
        ["double dot", [{ realm: "A.B", hosts: ["..example.com"] }], /is not a DNS host name/],
        ["unknown field", [{ realm: "A.B", hosts: ["a"], kdc: "x" }], /^mappings\[0\]\.kdc: .* is not a mapping field/],
        ["the same realm twice", [AZ, { realm: AZ.realm, hosts: ["x.example.com"] }], /^mappings\[1\]\.realm: mappings\[1\]\.realm KERBEROS\.MICROSOFTONLINE\.COM is already used by mappings\[0\]; list all of its hosts in one entry/],
        ["a host in two realms", [AZ, { realm: "CORP.EXAMPLE.COM", hosts: [".FILE.core.windows.net"] }], /^mappings\[1\]\.hosts\[0\]: .* is already mapped to KERBEROS\.MICROSOFTONLINE\.COM \(mappings\[0\]\.hosts\[0\]\); a host can map to one realm only/],
        ["a host twice in one realm", [{ realm: "A.B", hosts: ["a.example.com", "A.example.com"] }], /^mappings\[0\]\.hosts\[1\]: .* is listed twice for A\.B/],
    ])("%s", (_l, v, msg) => {
        const r = reasons(v);
        expect(r).toHaveLength(1);
        expect(r[0]).toMatch(msg);
    });

    test("values not known yet (preview) are not judged", () => {
        expect(checkMappings(UNKNOWN_VALUE)).toEqual([]);
        expect(checkMappings([{ realm: UNKNOWN_VALUE, hosts: [UNKNOWN_VALUE] }])).toEqual([]);
    });
});

describe("settings catalog HostToRealm definition", () => {
    const id = "device_vendor_msft_policy_config_admx_kerberos_hosttorealm";
    const tree = (over: { valueType?: "string" | "integer"; enabledChild?: boolean } = {}) => [
        choiceDefinition({ id, displayName: "HostToRealm", baseUri: "", offsetUri: "", defaultSuffix: "0",
            options: [{ suffix: "0", displayName: "Disabled", value: 0 }, { suffix: "1", displayName: "Enabled", value: 1, childIds: over.enabledChild === false ? [] : [`${id}_hosttorealm`] }] }),
        groupCollectionDefinition({ id: `${id}_hosttorealm`, displayName: "list", parentId: id, rootDefinitionId: id, baseUri: "", offsetUri: "", childIds: [`${id}_hosttorealm_key`, `${id}_hosttorealm_value`], maximumCount: 50 }),
        simpleDefinition({ id: `${id}_hosttorealm_key`, displayName: "k", parentId: `${id}_hosttorealm`, rootDefinitionId: id, baseUri: "", offsetUri: "", valueType: "string" }),
        simpleDefinition({ id: `${id}_hosttorealm_value`, displayName: "v", parentId: `${id}_hosttorealm`, rootDefinitionId: id, baseUri: "", offsetUri: "", valueType: over.valueType ?? "string" }),
    ];

    test("the expected tree is recognised", () => {
        expect(interpretDefinitions(tree())).toEqual({
            rootId: id, enabledSuffix: "1", listId: `${id}_hosttorealm`, keyId: `${id}_hosttorealm_key`, valueId: `${id}_hosttorealm_value`, maximumCount: 50,
        });
    });

    test.each([
        ["nothing found", []],
        ["a value that is not a string", tree({ valueType: "integer" })],
        ["Enabled carries no list", tree({ enabledChild: false })],
        ["no root choice", tree().slice(1)],
    ])("%s: no catalog delivery (custom OMA-URI instead)", (_l, defs) => {
        expect(interpretDefinitions(defs)).toBeUndefined();
    });

    test("the instance built from it decodes back to the canonical mappings", () => {
        const def = interpretDefinitions(tree())!;
        const m = [{ realm: "B.EXAMPLE", hosts: ["h2", ".s"] }, AZ];
        const inst = hostToRealmInstance(def, m);
        expect(decodeHostToRealmSettings([{ id: "0", settingInstance: inst }])).toEqual({ mappings: canonicalMappings(m), unexpected: [] });
        // another setting in the same policy, or the list disabled, is reported
        const other = { settingInstance: { settingDefinitionId: "x_y", simpleSettingValue: { value: 1 } } };
        expect(decodeHostToRealmSettings([{ settingInstance: inst }, other]).unexpected).toEqual(["x_y = 1"]);
        const disabled = { settingInstance: { ...inst, choiceSettingValue: { value: `${id}_0`, children: [] } } };
        expect(decodeHostToRealmSettings([disabled])).toEqual({ mappings: [], unexpected: [`${id} = 0`] });
    });
});
