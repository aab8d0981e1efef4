// Changes another admin makes in the portal, behind the product's back, for the demo: each reads the
// object through Graph with the lab app and writes back what the portal writes (a settings catalog
// profile's whole settings, a Conditional Access policy's whole `applications` condition, the FIDO2
// method's whole `includeTargets`). The product's Graph client serves here only as an HTTP client
// with the lab's token and CA; none of the product's ownership rules are involved.
import * as fs from "node:fs";
import { resolveSecret } from "../provider/core/secrets";
import { createGraphClient, graphRequest, type GraphClient } from "../provider/graph";
import type { LabInfo } from "./layout";

const CONFIGURATION_POLICIES = "/deviceManagement/configurationPolicies";
const CA_POLICIES = "/identity/conditionalAccess/policies";
const FIDO2 = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2";
const CLOUD_TRUST_SETTING = /_policies_usecloudtrustforonpremauth$/;

export class LabPortal {
    private readonly gc: GraphClient;

    constructor(lab: LabInfo) {
        this.gc = createGraphClient({
            tenantId: lab.emulator.tenantId,
            credential: { type: "clientSecret", clientId: lab.emulator.app.clientId, clientSecret: { env: lab.emulator.app.clientSecretEnv } },
            graphEndpoint: lab.emulator.url, authorityHost: lab.emulator.url, caCertificate: fs.readFileSync(lab.caCertPath, "utf8"),
        }, (ref, input) => resolveSecret(ref, undefined, { input, env: lab.secrets }));
    }

    /** "Use Cloud Trust For On Prem Auth" set to false in a settings catalog profile; returns the setting's id. */
    async turnOffCloudTrust(policyId: string): Promise<string> {
        const p = await graphRequest(this.gc, { method: "GET", version: "beta", path: `${CONFIGURATION_POLICIES}/${policyId}`, query: { $expand: "settings" } });
        let flipped: string | undefined;
        const flip = (node: any): void => {
            if (!node || typeof node !== "object") return;
            if (typeof node.settingDefinitionId === "string" && CLOUD_TRUST_SETTING.test(node.settingDefinitionId) && node.choiceSettingValue) {
                node.choiceSettingValue.value = `${node.settingDefinitionId}_false`;
                flipped = node.settingDefinitionId;
            }
            for (const v of Object.values(node)) flip(v);
        };
        const settings = p.settings.map((s: any) => ({ "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting", settingInstance: writable(s.settingInstance) }));
        flip(settings);
        if (!flipped) throw new Error(`profile ${policyId} has no "Use Cloud Trust For On Prem Auth" setting`);
        await graphRequest(this.gc, { method: "PUT", version: "beta", path: `${CONFIGURATION_POLICIES}/${policyId}`, body: {
            name: p.name, description: p.description, platforms: p.platforms, technologies: p.technologies, roleScopeTagIds: p.roleScopeTagIds, templateReference: { templateId: "" }, settings,
        } });
        return flipped;
    }

    /** One application taken out of a Conditional Access policy's exclusions. */
    async removeExcludedApplication(policyId: string, appId: string): Promise<void> {
        const p = await graphRequest(this.gc, { method: "GET", version: "v1.0", path: `${CA_POLICIES}/${policyId}` });
        const applications = { ...p.conditions.applications, excludeApplications: p.conditions.applications.excludeApplications.filter((a: string) => a !== appId) };
        await graphRequest(this.gc, { method: "PATCH", version: "v1.0", path: `${CA_POLICIES}/${policyId}`, body: { conditions: { applications } } });
    }

    /** One group taken out of the FIDO2 security key method's include targets. */
    async removeFido2Target(groupId: string): Promise<void> {
        const c = await this.fido2();
        await graphRequest(this.gc, { method: "PATCH", version: "v1.0", path: FIDO2, body: {
            "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
            includeTargets: c.includeTargets.filter((t: any) => t.id !== groupId),
        } });
    }

    async conditionalAccessPolicy(policyId: string): Promise<any> {
        return graphRequest(this.gc, { method: "GET", version: "v1.0", path: `${CA_POLICIES}/${policyId}` });
    }

    async fido2(): Promise<any> {
        return graphRequest(this.gc, { method: "GET", version: "v1.0", path: FIDO2 });
    }

    close(): Promise<void> {
        return this.gc.close();
    }
}

/** A setting instance as read, without the read-only annotations and nulls the portal does not send back. */
function writable(instance: unknown): unknown {
    return JSON.parse(JSON.stringify(instance, (k, v) => (k.endsWith("@odata.type") && k !== "@odata.type") || v === null ? undefined : v));
}
