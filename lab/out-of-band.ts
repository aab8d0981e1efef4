// A change made on a lab DC behind the product's back, for the demo: the krbtgt_AzureAD password
// replaced with a plain LDAP unicodePwd replace (what a generic krbtgt reset script does), so the
// on-prem key no longer matches the one published to the cloud. Uses a plain admin ldapts client,
// not the product's code, and returns the new key version (the unicodePwd stamp's originating USN).
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { Attribute, Change } from "ldapts";
import { passwordMetadata } from "../provider/ad/replmeta";
import type { LabForest, LabInfo } from "./layout";
import { labLdapClient } from "./samba/probe";

export async function rotateKrbtgtOutOfBand(lab: LabInfo, forest: LabForest): Promise<number | undefined> {
    const client = labLdapClient(forest, fs.readFileSync(lab.caCertPath, "utf8"));
    const dn = `CN=krbtgt_AzureAD,CN=Users,${forest.baseDn}`;
    try {
        await client.bind(forest.adminUpn, lab.secrets[forest.adminPasswordEnv]);
        // AD wants the new password as a quoted UTF-16LE string; it is never printed or kept
        const password = `"OutOfBand-${randomBytes(12).toString("base64url")}-aA1!"`;
        await client.modify(dn, [new Change({ operation: "replace", modification: new Attribute({ type: "unicodePwd", values: [Buffer.from(password, "utf16le")] }) })]);
        const { searchEntries: [e] } = await client.search(dn, { scope: "base", attributes: ["replPropertyMetaData"], explicitBufferAttributes: ["replPropertyMetaData"] });
        const blob = e?.replPropertyMetaData as Buffer | undefined;
        const stamp = blob ? passwordMetadata(blob) : undefined;
        return stamp?.originatingUsn;
    } finally {
        await client.unbind().catch(() => undefined);
    }
}
