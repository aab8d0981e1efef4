// Graph failures -> ProviderError: codes, details, readable messages, no secrets.
import { errorFromException, errorFromResponse, readableGraphMessage } from "../../../provider/graph/errors";
import { NETWORK_ERROR_NAME } from "../../../provider/graph/transport";
import { ProviderError, redactSecrets } from "../../../provider/core/errors";

const label = { method: "GET", version: "v1.0", path: "/identity/conditionalAccess/policies" };
const headers = (h: Record<string, string> = {}) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });
const envelope = (code: string, message: string, rid = "11111111-2222-3333-4444-555555555555") =>
    JSON.stringify({ error: { code, message, innerError: { date: "2024-01-01T00:00:00", "request-id": rid, "client-request-id": "x" } } });

describe("HTTP errors", () => {
    test("403 directory: stable code, Graph code, request id, a message naming the call and the fix", () => {
        const e = errorFromResponse({ ...label, description: 'ConditionalAccessExclusion "storage"' }, 403, envelope("Authorization_RequestDenied", "Insufficient privileges to complete the operation."), headers());
        expect(e).toBeInstanceOf(ProviderError);
        expect(e.toJSON()).toEqual({
            code: "GRAPH_FORBIDDEN", httpStatus: 403, serviceCode: "Authorization_RequestDenied", requestId: "11111111-2222-3333-4444-555555555555",
            resource: "GET v1.0/identity/conditionalAccess/policies",
            message: 'ConditionalAccessExclusion "storage": Graph GET v1.0/identity/conditionalAccess/policies failed: HTTP 403 Authorization_RequestDenied: Insufficient privileges to complete the operation. (grant the app the Microsoft Graph application permission this call needs, with admin consent) [request-id 11111111-2222-3333-4444-555555555555]',
        });
    });

    test("Intune's JSON-in-a-string message is unwrapped", () => {
        const intune = JSON.stringify({ _version: 3, Message: "Setting definition 'x' was not found - Operation ID (for customer support): 0000 - Activity ID: abc - Url: https://fef", CustomApiErrorPhrase: "" });
        expect(readableGraphMessage(intune)).toBe("Setting definition 'x' was not found");
        const e = errorFromResponse({ method: "POST", version: "beta", path: "/deviceManagement/configurationPolicies" }, 400, envelope("BadRequest", intune), headers());
        expect([e.code, e.serviceCode]).toEqual(["GRAPH_BAD_REQUEST", "BadRequest"]);
        expect(e.message).toContain("HTTP 400 BadRequest: Setting definition 'x' was not found [request-id");
    });

    test.each([[400, "GRAPH_BAD_REQUEST", false], [401, "GRAPH_UNAUTHORIZED", false], [404, "GRAPH_NOT_FOUND", false], [409, "GRAPH_CONFLICT", false],
        [412, "GRAPH_PRECONDITION_FAILED", false], [429, "GRAPH_THROTTLED", true], [500, "GRAPH_SERVICE_ERROR", false], [503, "GRAPH_SERVICE_ERROR", true], [418, "GRAPH_HTTP_ERROR", false]])(
        "HTTP %i -> %s (retryable %s)", (status, code, retryable) => {
            const e = errorFromResponse(label, status, envelope("X", "y"), headers());
            expect([e.code, e.retryable]).toEqual([code, retryable]);
        });

    test("a non-JSON body and the request-id header are used when there is no envelope", () => {
        const e = errorFromResponse(label, 502, "<html>Bad gateway</html>", headers({ "request-id": "hdr-id" }), 3);
        expect(e.message).toBe("Graph GET v1.0/identity/conditionalAccess/policies failed after 3 attempts: HTTP 502: <html>Bad gateway</html> [request-id hdr-id]");
        expect(e.requestId).toBe("hdr-id");
    });
});

describe("exceptions before a response", () => {
    const ep = { graphEndpoint: "https://127.0.0.1:47443" };
    const net = (msg: string) => Object.assign(new Error(msg), { name: NETWORK_ERROR_NAME });

    test("TLS verification failure: GRAPH_TLS naming graph.caCertificate, not retried", () => {
        const m = errorFromException(label, net("[UNABLE_TO_VERIFY_LEAF_SIGNATURE] unable to verify the first certificate"), ep);
        expect([m.error.code, m.error.input, m.failure.kind]).toEqual(["GRAPH_TLS", "graph.caCertificate", "fatal"]);
        expect(m.error.message).toContain("the TLS certificate of https://127.0.0.1:47443 is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    });

    test("connection reset: GRAPH_NETWORK, a network failure for the retry policy", () => {
        const m = errorFromException(label, net("[ECONNRESET] read ECONNRESET"), ep, 2);
        expect(m.error.code).toBe("GRAPH_NETWORK");
        expect(m.failure).toEqual({ kind: "network", code: "ECONNRESET" });
        expect(m.error.message).toBe("Graph GET v1.0/identity/conditionalAccess/policies failed after 2 attempts: network error ECONNRESET: read ECONNRESET");
    });

    test("an STS error surfaced by MSAL keeps the AADSTS code and sentence and adds a hint", () => {
        const msal = Object.assign(new Error("invalid_client: Error(s): 7000215 - Timestamp: 2024-01-01 00:00:00Z - Description: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value. Trace ID: abc Correlation ID: def Timestamp: 2024 - Correlation ID: def - Trace ID: abc"), { name: "AuthenticationRequiredError" });
        const m = errorFromException(label, msal, ep);
        expect([m.error.code, m.error.serviceCode, m.error.input]).toEqual(["GRAPH_AUTH", "AADSTS7000215", "graph.credential"]);
        expect(m.error.message).toBe("Graph GET v1.0/identity/conditionalAccess/policies: could not get a token: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value. (the client secret is wrong or expired; check the secret graph.credential.clientSecret refers to)");
    });

    test("Entra's transient token failures (server_error, temporarily_unavailable): retryable by the next run, not within this one (MSAL throttles)", () => {
        const msal = Object.assign(new Error("temporarily_unavailable: Error(s): 90033 - Timestamp: 2024-01-01 00:00:00Z - Description: AADSTS90033: A transient error has occurred. Please try again. Trace ID: abc Correlation ID: def Timestamp: 2024"), { name: "AuthenticationRequiredError" });
        const m = errorFromException({ ...label, method: "POST" }, msal, ep);
        expect([m.error.code, m.error.serviceCode, m.error.retryable, m.failure]).toEqual(["GRAPH_AUTH", "AADSTS90033", true, { kind: "fatal" }]);
        expect(m.error.message).toMatch(/could not get a token: AADSTS90033: A transient error has occurred\. Please try again\. \(Entra's token endpoint failed; this is transient, run again\)$/);
    });

    test("a token endpoint error without Entra's error body: a clear message naming the authority, not MSAL's [object Object]", () => {
        const msal = Object.assign(new Error("[object Object]: Error(s): Not Available - Timestamp: Not Available - Description: Not Available - Correlation ID: Not Available - Trace ID: Not Available"), { name: "AuthenticationRequiredError" });
        const m = errorFromException(label, msal, { ...ep, authorityHost: "https://login.example.test" });
        expect(m.error.message).toBe("Graph GET v1.0/identity/conditionalAccess/policies: could not get a token: the token endpoint of https://login.example.test answered with an error that is not Entra's (an outage or a proxy in the way?); run again, and check graph.authorityHost if it persists");
        expect(m.error.message).not.toContain("[object Object]");
        expect([m.error.retryable, m.failure]).toEqual([true, { kind: "fatal" }]);
    });

    test("endpoints_resolution_error asks for a diagnosis of the authority", () => {
        const m = errorFromException(label, Object.assign(new Error("endpoints_resolution_error: See https://aka.ms/msal.js.errors#endpoints_resolution_error for details"), { name: "CredentialUnavailableError" }), ep);
        expect([m.error.code, m.diagnoseAuthority]).toEqual(["GRAPH_AUTH", true]);
    });
});

describe("no secrets in messages", () => {
    test("tokens, bearer values, private keys and secret form fields are redacted", () => {
        const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        const text = `token ${jwt}; Authorization: Bearer abcdefghijklmnop; client_secret=hunter2hunter2&x=1; -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----`;
        const out = redactSecrets(text);
        expect(out).not.toContain(jwt);
        expect(out).not.toContain("abcdefghijklmnop");
        expect(out).not.toContain("hunter2");
        expect(out).not.toContain("MIIE");
        const e = errorFromResponse(label, 400, envelope("BadRequest", `echo ${jwt}`), headers());
        expect(e.message).not.toContain(jwt);
    });
});
