// Conditional Access in the shared lab, for e2e tests: policies "another team" owns (seeded through
// the admin API, with unique names), edits by hand the way the portal makes them (Graph, whole
// users sub-object), the emulator's view of a policy and its request log. The lab's CA throttle
// (1 request/second for the whole tenant) is shared with everyone: Graph calls here are paced.
import { randomUUID } from "node:crypto";
import { Agent } from "undici";
import type { LabInfo } from "../../lab/layout";
import type { TestStack } from "./stack";
import { resolveSecret } from "../../provider/core/secrets";
import { createGraphClient, graphRequest, graphRequestRaw, type GraphClient } from "../../provider/graph";
import { RequestPacer } from "../../provider/graph/pacer";
import type { RetryPolicy } from "../../provider/graph/retry";
import { isProviderError } from "../../provider/core/errors";
import { labCa } from "./lab";

const POLICIES = "/identity/conditionalAccess/policies";

export interface PolicyLists { apps: string[]; groups: string[]; users: string[] }

export class CaLab {
    private readonly pacer = new RequestPacer(1100);

    constructor(private readonly lab: LabInfo) {}

    /** The lab connection as the e2e program's config keys. */
    programConfig(): Record<string, { value: string }> {
        return {
            tenantId: { value: this.lab.emulator.tenantId },
            clientId: { value: this.lab.emulator.app.clientId },
            clientSecretEnv: { value: this.lab.emulator.app.clientSecretEnv },
            graphEndpoint: { value: this.lab.emulator.url },
            caCertificate: { value: labCa(this.lab) },
        };
    }

    /** A policy owned by someone else, with exclusions of theirs already on it. */
    async seedPolicy(displayName: string, excludeGroups: string[]): Promise<string> {
        const id = randomUUID();
        await this.admin("POST", "/_emulator/seed", { policies: [{
            id, templateId: null, displayName, createdDateTime: new Date().toISOString(), modifiedDateTime: null, state: "enabledForReportingButNotEnforced", sessionControls: null,
            conditions: {
                userRiskLevels: [], signInRiskLevels: [], clientAppTypes: ["all"], servicePrincipalRiskLevels: [], insiderRiskLevels: null,
                platforms: null, locations: null, devices: null, clientApplications: null, authenticationFlows: null,
                applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [], applicationFilter: null },
                users: { includeUsers: ["All"], excludeUsers: [], includeGroups: [], excludeGroups, includeRoles: [], excludeRoles: [], includeGuestsOrExternalUsers: null, excludeGuestsOrExternalUsers: null },
            },
            grantControls: { operator: "OR", builtInControls: ["mfa"], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
        }] });
        return id;
    }

    /** The policy's exclusion lists as the emulator stores them (admin API: not throttled), or undefined when gone. */
    async lists(id: string): Promise<PolicyLists | undefined> {
        const p = (await this.admin("GET", "/_emulator/state")).policies.find((x: any) => x.id === id);
        return p && { apps: p.conditions.applications.excludeApplications, groups: p.conditions.users.excludeGroups, users: p.conditions.users.excludeUsers };
    }

    /** Requests the emulator served for this policy since `sinceMs` (the lab's log is shared: filter by our ids). */
    async requests(id: string, sinceMs: number): Promise<{ method: string; status: number }[]> {
        return (await this.admin("GET", "/_emulator/requests")).value.filter((r: any) => r.path.endsWith(`/policies/${id}`) && r.at >= sinceMs);
    }

    /** An edit by hand, as the portal makes it: read the policy, PATCH the whole users sub-object. */
    async editUsersByHand(id: string, edit: (users: Record<string, any>) => void): Promise<void> {
        const gc = this.client();
        const p = await graphRequest(gc, { method: "GET", version: "v1.0", path: `${POLICIES}/${id}`, pace: () => this.pacer.wait() });
        const users = { ...p.conditions.users };
        edit(users);
        await graphRequestRaw(gc, { method: "PATCH", version: "v1.0", path: `${POLICIES}/${id}`, body: { conditions: { users } }, pace: () => this.pacer.wait() });
    }

    /**
     * Another client adding one group to a policy's exclusions, as a careful portal user would: read
     * the policy, PATCH the users sub-object with the group added, ONE attempt (a throttled one is
     * followed by a new read, never re-sent); once a PATCH succeeded, only read until the group is
     * visible (it has "read its own write back"). Returns the number of PATCH attempts.
     */
    async addExclusionAsAnotherClient(id: string, group: string, deadlineMs = 60_000): Promise<number> {
        const gc = this.client({ maxAttempts: 1 });
        const pace = () => this.pacer.wait();
        const until = Date.now() + deadlineMs;
        let attempts = 0, written = false;
        while (Date.now() < until) {
            const p = await graphRequest(gc, { method: "GET", version: "v1.0", path: `${POLICIES}/${id}`, pace }).catch((e) => (isProviderError(e, "GRAPH_THROTTLED") ? undefined : Promise.reject(e)));
            if (!p) continue;
            const users = { ...p.conditions.users };
            if (users.excludeGroups.includes(group)) { if (written) return attempts; continue; }
            if (written) continue; // our write is not visible on this replica yet
            attempts++;
            users.excludeGroups = [...users.excludeGroups, group];
            written = await graphRequestRaw(gc, { method: "PATCH", version: "v1.0", path: `${POLICIES}/${id}`, body: { conditions: { users } }, pace })
                .then(() => true, (e) => (isProviderError(e, "GRAPH_THROTTLED") ? false : Promise.reject(e)));
        }
        throw new Error(`another client could not add ${group} to policy ${id} within ${deadlineMs} ms`);
    }

    /** Arms an emulator fault rule (admin API); returns its id. */
    async armFault(rule: Record<string, unknown>): Promise<string> {
        return (await this.admin("POST", "/_emulator/faults", rule)).ids[0];
    }

    /** How often a fault rule has fired. */
    async faultApplied(ruleId: string): Promise<number> {
        return (await this.admin("GET", "/_emulator/faults")).value.find((r: any) => r.id === ruleId)?.applied ?? 0;
    }

    async removeFault(ruleId: string): Promise<void> {
        await this.admin("DELETE", `/_emulator/faults/${encodeURIComponent(ruleId)}`).catch(() => undefined);
    }

    /** Deletes a policy through Graph; one that is already gone is fine. */
    async deletePolicy(id: string): Promise<void> {
        try {
            await graphRequestRaw(this.client(), { method: "DELETE", version: "v1.0", path: `${POLICIES}/${id}`, pace: () => this.pacer.wait() });
        } catch (e) {
            if (!isProviderError(e, "GRAPH_NOT_FOUND")) throw e;
        }
    }

    /** After a test file: destroy and remove its stacks, delete its policies, close the clients; nothing here fails the file. */
    async tearDown(stacks: (TestStack | undefined)[], policyIds: string[]): Promise<void> {
        for (const t of stacks) await t?.stack.destroy().catch(() => undefined);
        for (const t of stacks) await t?.dispose();
        for (const id of policyIds) if (id) await this.deletePolicy(id).catch(() => undefined);
        await this.close();
    }

    async close(): Promise<void> {
        for (const gc of this.clients.values()) await gc.close();
        this.clients.clear();
    }

    private readonly clients = new Map<string, GraphClient>();

    private client(retry?: Partial<RetryPolicy>): GraphClient {
        const key = JSON.stringify(retry ?? {});
        let gc = this.clients.get(key);
        if (!gc) {
            gc = createGraphClient({
                tenantId: this.lab.emulator.tenantId,
                credential: { type: "clientSecret", clientId: this.lab.emulator.app.clientId, clientSecret: { env: this.lab.emulator.app.clientSecretEnv } },
                graphEndpoint: this.lab.emulator.url, authorityHost: this.lab.emulator.url, caCertificate: labCa(this.lab),
            }, (ref, input) => resolveSecret(ref, undefined, { input, env: this.lab.secrets }), { retry });
            this.clients.set(key, gc);
        }
        return gc;
    }

    /** The emulator admin API (loopback, not throttled): state, seed, request log. */
    async admin(method: string, p: string, body?: unknown): Promise<any> {
        const dispatcher = new Agent({ connect: { ca: [labCa(this.lab)] } });
        try {
            const r = await fetch(`${this.lab.emulator.url}${p}`, {
                method, dispatcher, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
            } as RequestInit);
            if (!r.ok) throw new Error(`emulator admin ${method} ${p}: HTTP ${r.status} ${await r.text()}`);
            return r.json();
        } finally {
            await dispatcher.close();
        }
    }
}
