// The CloudTrustPolicy dynamic provider, loaded by `require` inside Pulumi's dynamic-provider host
// (core/dynamic.ts). Thin: validation, diff and the Graph work live in provider/intune.
import {
    checkCloudTrustPolicy, createCloudTrustPolicy, deleteCloudTrustPolicy, diffCloudTrustPolicy, readCloudTrustPolicy, updateCloudTrustPolicy,
} from "../intune/cloud-trust-policy";
import { intuneProvider } from "./intune-provider";

export const cloudTrustPolicyProvider = intuneProvider("CloudTrustPolicy", {
    check: checkCloudTrustPolicy,
    diff: diffCloudTrustPolicy,
    create: createCloudTrustPolicy,
    read: readCloudTrustPolicy,
    update: (id, _olds, news, s) => updateCloudTrustPolicy(id, news, s),
    delete: deleteCloudTrustPolicy,
});
