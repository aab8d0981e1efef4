// The bench lab emulator's admin API (lab/emulator/admin.ts): the Graph latency rule and the request
// log. The latency rule matches every non-admin path: Graph, the token endpoint and the lab publisher
// mounted at /lab/kerberos, so each of their requests pays the latency once, before it is handled.
import { Agent, fetch } from "undici";

export interface RequestLogEntry {
    method: string;
    path: string;
    status: number;
    at: number;
}

export const LATENCY_RULE_ID = "bench-latency";

export class EmulatorAdmin {
    private readonly dispatcher: Agent;

    constructor(private readonly baseUrl: string, caPem: string) {
        this.dispatcher = new Agent({ connect: { ca: [caPem] } });
    }

    private async call(method: string, path: string, body?: unknown): Promise<any> {
        const res = await fetch(`${this.baseUrl}/_emulator${path}`, {
            method, dispatcher: this.dispatcher,
            headers: body === undefined ? {} : { "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        if (!res.ok) throw new Error(`emulator admin ${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
        return text ? JSON.parse(text) : undefined;
    }

    /** Every request (Graph, token, lab publisher) waits this long before it is handled; 0 removes the rule. */
    async setLatency(ms: number): Promise<void> {
        await this.call("DELETE", `/faults/${LATENCY_RULE_ID}`).catch(() => undefined);
        if (ms > 0) await this.call("POST", "/faults", { id: LATENCY_RULE_ID, path: "/*", latencyMs: ms });
    }

    async clearRequestLog(): Promise<void> {
        await this.call("DELETE", "/requests");
    }

    /** The emulator's admin seed API (users, groups, groupMembers: lab/emulator/admin.ts). */
    async seed(body: Record<string, unknown>): Promise<void> {
        await this.call("POST", "/seed", body);
    }

    async requestLog(): Promise<RequestLogEntry[]> {
        return (await this.call("GET", "/requests")).value;
    }

    async close(): Promise<void> {
        await this.dispatcher.close();
    }
}

export interface GraphCounts {
    total: number;
    token: number;
    publisher: number;
    audit: number;
    intune: number;
    conditionalAccess: number;
    other: number;
    /** answered 429 */
    throttled: number;
    /** GETs of one policy by id (Intune profiles with their /assignments, a CA policy): the policy reads */
    policyReads: number;
    /** GETs of whole collections (directory objects, the CA policy list): name lookups, e.g. in `check` */
    lookups: number;
}

/** Sorts the request log into what the report shows per resource. */
export function countGraphRequests(log: RequestLogEntry[]): GraphCounts {
    const c: GraphCounts = { total: 0, token: 0, publisher: 0, audit: 0, intune: 0, conditionalAccess: 0, other: 0, throttled: 0, policyReads: 0, lookups: 0 };
    const GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    const policyRead = new RegExp(`/(deviceManagement/(configurationPolicies|deviceConfigurations)/${GUID}(/assignments)?|identity/conditionalAccess/policies/${GUID})$`, "i");
    const lookup = /\/v1\.0\/(groups|users|servicePrincipals|identity\/conditionalAccess\/policies)$/;
    for (const r of log) {
        if (r.path.startsWith("/_emulator")) continue;
        c.total++;
        if (r.status === 429) c.throttled++;
        if (/\/oauth2\/v2\.0\/token$/.test(r.path)) c.token++;
        else if (r.path.startsWith("/lab/kerberos/")) c.publisher++;
        else if (r.path.includes("/auditLogs/")) c.audit++;
        else if (r.path.includes("/deviceManagement/")) c.intune++;
        else if (r.path.includes("/conditionalAccess/")) c.conditionalAccess++;
        else c.other++;
        if (r.method === "GET" && policyRead.test(r.path)) c.policyReads++;
        if (r.method === "GET" && lookup.test(r.path)) c.lookups++;
    }
    return c;
}
