// check: every input validated without I/O, each failure naming the input.
import { MAX_ENTRIES_PER_LIST, validateInputs } from "../../../provider/conditional-access/validation";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const GRAPH = { tenantId: "t", credential: { type: "clientSecret", clientId: "3c6f1e2a-8b4d-4f0e-a5c7-2d9e8f7a6b5c", clientSecret: { env: "S" } } };
const ok = { graph: GRAPH, policy: "Require MFA", excludeGroups: ["Storage Users"] };
const props = (news: Record<string, unknown>) => validateInputs(news).map((f) => f.property);

describe("validateInputs", () => {
    test("valid inputs pass; outputs registered as undefined and __provider are not inputs errors", () => {
        expect(validateInputs({ ...ok, __provider: "x", policyId: undefined, ownedGroupIds: undefined })).toEqual([]);
    });

    test.each([
        ["no graph", { ...ok, graph: undefined }, ["graph"]],
        ["a client secret given as a value", { ...ok, graph: { ...GRAPH, credential: { ...GRAPH.credential, clientSecret: "hunter2" } } }, ["graph.credential.clientSecret"]],
        ["a bad client id", { ...ok, graph: { ...GRAPH, credential: { ...GRAPH.credential, clientId: "app" } } }, ["graph.credential.clientId"]],
        ["an http graph endpoint", { ...ok, graph: { ...GRAPH, graphEndpoint: "http://127.0.0.1:1" } }, ["graph.graphEndpoint"]],
        ["no policy", { ...ok, policy: "" }, ["policy"]],
        ["a padded policy name", { ...ok, policy: " Require MFA" }, ["policy"]],
        ["no exclusion at all", { graph: GRAPH, policy: "p" }, ["excludeApplications"]],
        ["only empty lists", { graph: GRAPH, policy: "p", excludeGroups: [], excludeUsers: [] }, ["excludeApplications"]],
        ["a list that is not a list", { ...ok, excludeUsers: "bob" }, ["excludeUsers"]],
        ["an empty entry", { ...ok, excludeGroups: ["Storage Users", ""] }, ["excludeGroups[1]"]],
        ["a control character", { ...ok, excludeGroups: ["a\nb"] }, ["excludeGroups[0]"]],
        ["a padded name", { ...ok, excludeGroups: ["Storage Users "] }, ["excludeGroups[0]"]],
        ["a broken GUID", { ...ok, excludeGroups: ["0a1b2c3d-0001-4000-8000-00000000004"] }, ["excludeGroups[0]"]],
        ["'All' as an application", { ...ok, excludeApplications: ["all"] }, ["excludeApplications[0]"]],
        ["'All' as a user", { ...ok, excludeUsers: ["All"] }, ["excludeUsers[0]"]],
        ["a malformed UPN", { ...ok, excludeUsers: ["bob@"] }, ["excludeUsers[0]"]],
        ["a duplicate (case-insensitive)", { ...ok, excludeGroups: ["Storage Users", "storage users"] }, ["excludeGroups[1]"]],
        ["a name too long", { ...ok, excludeGroups: ["x".repeat(257)] }, ["excludeGroups[0]"]],
        ["an unknown input (on the resource: the engine prints a failing top-level property's value)", { ...ok, excludeRoles: ["r"] }, [""]],
    ])("%s", (_n, news, expected) => {
        expect(props(news as Record<string, unknown>)).toEqual(expected);
    });

    test("an oversized list is refused with what to do instead", () => {
        const f = validateInputs({ ...ok, excludeUsers: Array.from({ length: MAX_ENTRIES_PER_LIST + 1 }, (_, i) => `u${i}@lab.example`) });
        expect(f).toEqual([{ property: "excludeUsers", reason: expect.stringMatching(/101 entries; at most 100 per resource: exclude a group/) }]);
    });

    test("a duplicate names both positions", () => {
        expect(validateInputs({ ...ok, excludeGroups: ["A", "B", "a"] })[0].reason).toBe('excludeGroups[2] "a" repeats excludeGroups[0]; list each group once');
    });

    test("a secret value is never echoed in the reason", () => {
        const f = validateInputs({ ...ok, graph: { ...GRAPH, credential: { ...GRAPH.credential, clientSecret: "hunter2-secret-value" } } });
        expect(JSON.stringify(f)).not.toContain("hunter2");
    });

    test("values unknown during preview are not judged", () => {
        expect(validateInputs({ graph: UNKNOWN, policy: UNKNOWN, excludeGroups: UNKNOWN })).toEqual([]);
        expect(validateInputs({ ...ok, excludeGroups: [UNKNOWN, "Storage Users"] })).toEqual([]);
    });
});
