// Every request the provider makes during a resource's life is a path and method its API version's
// schema defines (the extracts' `paths`, convention-derived methods), with one documented exception:
// PUT of a settings catalog policy, the only way to replace its settings (Graph refuses settings in a
// PATCH: docs-excerpts/passportforwork-securitykey-and-intune-docs.md).
import * as path from "node:path";
import { SEED } from "../../../lab/emulator";
import { RequestPacer } from "../../../provider/graph/pacer";
import { graphGateway } from "../../../provider/conditional-access/graph-gateway";
import { createExclusion, deleteExclusion } from "../../../provider/conditional-access/operations";
import {
    checkCloudTrustPolicy, createCloudTrustPolicy, deleteCloudTrustPolicy, readCloudTrustPolicy, updateCloudTrustPolicy,
} from "../../../provider/intune/cloud-trust-policy";
import {
    checkHostToRealmMapping, createHostToRealmMapping, deleteHostToRealmMapping, readHostToRealmMapping, updateHostToRealmMapping,
} from "../../../provider/intune/host-to-realm-mapping";
import { FAST_RETRY, startGraphLab, type GraphLab } from "../../integration/support/graph-lab";
import { GRAPH, readJson } from "./fixtures";

const OPTS = { client: { retry: FAST_RETRY } };
const EXTRACTS = { beta: readJson(path.join(GRAPH, "metadata-beta-extract.json")).paths, "v1.0": readJson(path.join(GRAPH, "metadata-v1.0-extract.json")).paths };
const UNDOCUMENTED_BUT_NEEDED = ["PUT beta /deviceManagement/configurationPolicies/{id}"];

/** "/beta/deviceManagement/configurationPolicies/<guid>/assign" -> ["beta", "/deviceManagement/configurationPolicies/{id}/assign"] */
function template(p: string): [string, string] {
    const [, version, rest] = /^\/(beta|v1\.0)(\/.*)$/.exec(p)!;
    // a key segment is anything after a collection that is not a known navigation or action name
    const known = new Set(Object.keys(EXTRACTS.beta).flatMap((k: string) => k.split("/")));
    const segments = rest.split("/").map((s, i) => (i > 0 && !known.has(s) ? "{id}" : s.replace(/\(.*$/, "")));
    return [version, segments.join("/")];
}

let lab: GraphLab;
beforeAll(async () => { lab = await startGraphLab(); });
afterAll(async () => { await lab?.close(); });

test("CloudTrustPolicy, HostToRealmMapping (no catalog definition: the OMA-URI fallback) and ConditionalAccessExclusion, create to delete", async () => {
    const mark = lab.emu.requestLog.length;
    const ctp = checkCloudTrustPolicy({ graph: lab.conn(), displayName: "paths", useSecurityKeyForSignIn: true, assignments: { includeGroups: ["WHfB Pilot"] } }).inputs;
    const c = await createCloudTrustPolicy(ctp, OPTS);
    const read = await readCloudTrustPolicy(c.id, c.outs, OPTS);
    const changed = checkCloudTrustPolicy({ graph: lab.conn(), displayName: "paths", useSecurityKeyForSignIn: false, assignments: { includeGroups: ["WHfB Pilot", "Break Glass Admins"] } }).inputs;
    await updateCloudTrustPolicy(c.id, changed, OPTS);
    await deleteCloudTrustPolicy(c.id, read.props, OPTS);

    const h2r = checkHostToRealmMapping({ graph: lab.conn(), displayName: "paths", mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }], assignments: { allDevices: true } }).inputs;
    const h = await createHostToRealmMapping(h2r, OPTS);
    expect(h.outs.deliveredAs).toBe("customOmaUri"); // no HostToRealm definition: the create falls back, it does not fail
    const hr = await readHostToRealmMapping(h.id, h.outs, OPTS);
    const h2 = checkHostToRealmMapping({ ...h2r, mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net", "a.file.core.windows.net"] }] }).inputs;
    await updateHostToRealmMapping(h.id, hr.props, h2, OPTS);
    await deleteHostToRealmMapping(h.id, hr.props, OPTS);

    const gw = graphGateway(lab.client(), new RequestPacer(0), "paths");
    const ex = await createExclusion(gw, { graph: lab.conn(), policy: SEED.policies.requireMfa, excludeGroups: ["WHfB Pilot"] });
    await deleteExclusion(gw, ex);

    const calls = lab.emu.requestLog.slice(mark).filter((r) => /^\/(beta|v1\.0)\//.test(r.path)).map((r) => {
        const [version, t] = template(r.path);
        return `${r.method} ${version} ${t}`;
    });
    const distinct = [...new Set(calls)].sort();
    const undefinedHere = distinct.filter((c) => {
        const [method, version, t] = c.split(" ");
        const entry = EXTRACTS[version as "beta" | "v1.0"][t];
        return !(entry?.exists && entry.methods.includes(method));
    });
    expect(undefinedHere).toEqual(UNDOCUMENTED_BUT_NEEDED);
    // the HostToRealm lookup reads a definition by id: a path the schema defines, no $filter on the collection
    expect(distinct).toContain("GET beta /deviceManagement/configurationSettings/{id}");
    expect(distinct).not.toContain("GET beta /deviceManagement/configurationSettings");
});

test("a tenant that answers the definition lookup with 400 instead of 404 still gets the OMA-URI profile, not a failed create", async () => {
    const fault = lab.emu.faults.add({ method: "GET", path: "/beta/deviceManagement/configurationSettings/*", status: 400 });
    try {
        const h2r = checkHostToRealmMapping({ graph: lab.conn(), displayName: "paths 400", mappings: [{ realm: "KERBEROS.MICROSOFTONLINE.COM", hosts: [".file.core.windows.net"] }] }).inputs;
        const h = await createHostToRealmMapping(h2r, OPTS);
        expect(h.outs.deliveredAs).toBe("customOmaUri");
    } finally {
        lab.emu.faults.remove(fault);
    }
});
