// Identifiers and timestamps in the forms Graph uses.
import { randomUUID } from "node:crypto";

export const newGuid = (): string => randomUUID();

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (s: unknown): s is string => typeof s === "string" && GUID_RE.test(s);

/** ISO 8601 with Z, as Graph returns in entity properties. */
export const nowIso = (): string => new Date().toISOString();

/** innerError.date: "2024-05-01T12:00:00" (no fraction, no zone), as Graph's error envelope carries it. */
export const innerErrorDate = (d = new Date()): string => d.toISOString().slice(0, 19);
