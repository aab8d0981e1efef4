// Every I/O operation of every resource has a deadline of its own: with the work behind it never
// finishing (mocked to hang), each of create, read, update, delete (and the Conditional Access
// diff, which looks names up) rejects with OperationTimeout exactly at its limit, not before, and
// says it is safe to run again. Fake timers: the 5- and 15-minute limits of the Graph resources are
// proven without waiting for them. The lab tests next to this one show the limits firing for real.
import { ProviderError } from "../../provider/core/errors";
import { record } from "./support/results";

const never = () => new Promise<never>(() => undefined);
jest.mock("../../provider/intune/cloud-trust-policy", () => ({
    ...jest.requireActual("../../provider/intune/cloud-trust-policy"),
    createCloudTrustPolicy: never, readCloudTrustPolicy: never, updateCloudTrustPolicy: never, deleteCloudTrustPolicy: never,
}));
jest.mock("../../provider/intune/host-to-realm-mapping", () => ({
    ...jest.requireActual("../../provider/intune/host-to-realm-mapping"),
    createHostToRealmMapping: never, readHostToRealmMapping: never, updateHostToRealmMapping: never, deleteHostToRealmMapping: never,
}));
jest.mock("../../provider/intune/graph-session", () => ({ ...jest.requireActual("../../provider/intune/graph-session"), withGraph: never }));
jest.mock("../../provider/kerberos/reconciler", () => ({ converge: never, readServer: never, removeServer: never }));

import { azureADKerberosServerProvider as kerberos } from "../../provider/resources/azure-ad-kerberos-server-impl";
import { cloudTrustPolicyProvider as ctp } from "../../provider/resources/cloud-trust-policy-impl";
import { conditionalAccessExclusionImpl as cae } from "../../provider/resources/conditional-access-exclusion-impl";
import { hostToRealmMappingProvider as h2r } from "../../provider/resources/host-to-realm-mapping-impl";

const graph = { tenantId: "t", credential: { type: "clientSecret", clientId: "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c", clientSecret: { env: "X" } } };
const server = { domain: "corp.example.com", directory: { urls: ["ldaps://127.0.0.9:636"], username: "a@corp.example.com", password: { env: "P" } }, publisher: { type: "lab", endpoint: "https://127.0.0.9/lab" }, graph };
const caState = { graph, policy: "p", policyId: "0a1b2c3d-0005-4000-8000-000000000001", policyDisplayName: "p", excludeGroups: ["g"], groupIds: [], applicationIds: [], userIds: [], ownedGroupIds: [], ownedApplicationIds: [], ownedUserIds: [] };
const MIN = 60_000;

const cases: [string, string, number, () => Promise<unknown>][] = [
    ["AzureADKerberosServer", "create", 300_000, () => kerberos.create(server)],
    ["AzureADKerberosServer", "read", 120_000, () => kerberos.read("corp.example.com", server)],
    ["AzureADKerberosServer", "update", 300_000, () => kerberos.update("corp.example.com", server, server)],
    ["AzureADKerberosServer", "delete", 180_000, () => kerberos.delete("corp.example.com", server)],
    ["AzureADKerberosServer", "update (timeouts.update: 7)", 7_000, () => kerberos.update("corp.example.com", server, { ...server, timeouts: { update: 7 } })],
    ["CloudTrustPolicy", "create", 300_000, () => ctp.create({ graph, displayName: "x" })],
    ["CloudTrustPolicy", "read", 120_000, () => ctp.read("id", { graph, displayName: "x" })],
    ["CloudTrustPolicy", "update", 300_000, () => ctp.update("id", {}, { graph, displayName: "x" })],
    ["CloudTrustPolicy", "delete", 180_000, () => ctp.delete("id", { graph, displayName: "x" })],
    ["HostToRealmMapping", "create", 300_000, () => h2r.create({ graph, displayName: "x" })],
    ["HostToRealmMapping", "read", 120_000, () => h2r.read("id", { graph, displayName: "x" })],
    ["HostToRealmMapping", "update", 300_000, () => h2r.update("id", {}, { graph, displayName: "x" })],
    ["HostToRealmMapping", "delete", 180_000, () => h2r.delete("id", { graph, displayName: "x" })],
    ["ConditionalAccessExclusion", "create", 15 * MIN, () => cae.create({ graph, policy: "p", excludeGroups: ["g"] })],
    ["ConditionalAccessExclusion", "read", 15 * MIN, () => cae.read("id", caState)],
    ["ConditionalAccessExclusion", "diff (name lookups)", 15 * MIN, () => cae.diff("id", caState, { ...caState, excludeGroups: ["g", "h"] })],
    ["ConditionalAccessExclusion", "update", 15 * MIN, () => cae.update("id", caState, { ...caState, excludeGroups: ["g", "h"] })],
    ["ConditionalAccessExclusion", "delete", 15 * MIN, () => cae.delete("id", caState)],
];

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test.each(cases)("%s %s: rejects with OperationTimeout at %i ms, not before", async (resource, op, limit, call) => {
    let settled: unknown = "pending";
    call().then((v) => { settled = v; }, (e) => { settled = e; });
    try {
        await jest.advanceTimersByTimeAsync(limit - 1);
        expect(settled).toBe("pending");
        await jest.advanceTimersByTimeAsync(1);
        expect(settled).toBeInstanceOf(ProviderError);
        expect((settled as ProviderError).code).toBe("OperationTimeout");
        expect((settled as ProviderError).message).toMatch(/did not finish within \d+ s; it is safe to run it again/);
        expect((settled as ProviderError).retryable).toBe(true);
        record({ kind: "property", area: "timeout", name: `${resource} ${op} bounded at ${limit / 1000} s`, ok: true });
    } catch (e) {
        record({ kind: "property", area: "timeout", name: `${resource} ${op} bounded at ${limit / 1000} s`, ok: false });
        throw e;
    }
});
