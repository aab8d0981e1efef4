// Intune reads tolerate Graph's eventual consistency (graph/settled-read.ts): a profile read soon
// after a write may come from a replica that has the previous version, or none yet. Intune is not
// paced like Conditional Access, so the reads are spaced here: CONSISTENT_READS agreeing reads span
// (CONSISTENT_READS - 1) * spacing = 1.6 s, longer than the replica lag the lab assumes (docs/lab.md).
import { CONSISTENT_READS, MAX_SETTLE_READS, settledRead } from "../graph/settled-read";

export const INTUNE_READ_SPACING_MS = 800;

/** The object once consecutive reads agree (undefined: it does not exist). */
export async function settledIntuneRead<T extends { lastModifiedDateTime?: string | null }>(what: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
    const r = await settledRead(read, {
        agree: CONSISTENT_READS, maxReads: MAX_SETTLE_READS, spacingMs: INTUNE_READ_SPACING_MS,
        version: (v) => v.lastModifiedDateTime, what,
    });
    return r.value;
}
