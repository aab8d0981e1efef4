// Pilot users looked up in their domain by objectSid, a batch at a time (an OR of exact binary
// matches: one search per 100 users), for userAccountControl. Read-only.
import { EqualityFilter, OrFilter } from "ldapts";
import type { DirectorySession } from "../ad/connection";
import { sidToBytes, sidToString } from "../ad/sid";
import type { OnPremUser } from "./user-rules";

export const SID_BATCH = 100;

export async function lookupUsersBySid(session: DirectorySession, baseDn: string, sids: readonly string[]): Promise<Map<string, OnPremUser>> {
    const found = new Map<string, OnPremUser>();
    for (let i = 0; i < sids.length; i += SID_BATCH) {
        const batch = sids.slice(i, i + SID_BATCH);
        const entries = await session.search(baseDn, {
            scope: "sub",
            // binary values: a string filter would re-encode bytes >= 0x80 (groups.ts)
            filter: new OrFilter({ filters: batch.map((sid) => new EqualityFilter({ attribute: "objectSid", value: sidToBytes(sid) })) }),
            attributes: ["objectSid", "userAccountControl"], explicitBufferAttributes: ["objectSid"],
        });
        for (const e of entries) {
            const b = e.buffer("objectSid");
            if (!b) continue;
            const sid = sidToString(b);
            found.set(sid, { sid, dn: e.dn, userAccountControl: e.number("userAccountControl") });
        }
    }
    return found;
}
