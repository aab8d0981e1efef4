// The HostToRealmMapping dynamic provider, loaded by `require` inside Pulumi's dynamic-provider host
// (core/dynamic.ts). Thin: validation, diff and the Graph work live in provider/intune.
import {
    checkHostToRealmMapping, createHostToRealmMapping, deleteHostToRealmMapping, diffHostToRealmMapping, readHostToRealmMapping, updateHostToRealmMapping,
} from "../intune/host-to-realm-mapping";
import { intuneProvider } from "./intune-provider";

export const hostToRealmMappingProvider = intuneProvider("HostToRealmMapping", {
    check: checkHostToRealmMapping,
    diff: diffHostToRealmMapping,
    create: createHostToRealmMapping,
    read: readHostToRealmMapping,
    update: updateHostToRealmMapping,
    delete: deleteHostToRealmMapping,
});
