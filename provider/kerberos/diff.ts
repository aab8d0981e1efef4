// `diff`: does this server need an update (or a replacement)? From the stored state (outputs of the
// last create/update/refresh, which embed the inputs they came from) and the new inputs. Pure.
//   - replace: only when `domain` changes (one server per domain; nothing else replaces)
//   - update:  the last read found drift, the key has grown older than maxAgeDays since a read that
//              found it in sync, the rotation trigger changed, or any input changed (new connection
//              settings must reach state, or refresh and destroy would keep using the old ones)
import { keyAgeReason } from "./drift";
import { DRIFT_INPUT, INPUT_KEYS, normalizeDomain } from "./model";
import type { ChangeReason } from "./reasons";
import { triggerChanged } from "./rotation";
import { stableJson } from "../core/stable-json";

export interface DiffPlan {
    changes: boolean;
    replaces: string[];
    /** why, typed (the engine cannot show these; tests and logs can, through reasonText) */
    reasons: ChangeReason[];
}

/** Group lists are sets: order and case do not matter to AD. */
function sameGroupList(a: unknown, b: unknown): boolean {
    if (a === undefined || b === undefined) return a === b;
    if (!Array.isArray(a) || !Array.isArray(b)) return stableJson(a) === stableJson(b);
    const norm = (l: unknown[]) => [...new Set(l.map((x) => String(x).trim().toLowerCase()))].sort().join("\n");
    return norm(a) === norm(b);
}

export function planDiff(olds: Record<string, any>, news: Record<string, any>, now: Date): DiffPlan {
    const replaces = typeof olds.domain === "string" && typeof news.domain === "string" && normalizeDomain(olds.domain) === normalizeDomain(news.domain)
        ? [] : ["domain"];
    const reasons: ChangeReason[] = [];
    if (replaces.length === 0 && olds.domain !== news.domain) reasons.push({ kind: "domainSpelling" });
    // the stored verdict is text in the state: it is carried over as it is, never read for meaning
    const drift: unknown[] = Array.isArray(olds.driftReasons) ? olds.driftReasons : [];
    reasons.push(...drift.map((text): ChangeReason => ({ kind: "recordedDrift", text: String(text) })));
    // a key that grew too old since a read that found the server in sync (a recorded verdict
    // already explains the update, its own age line included)
    const age = keyAgeReason(olds.keyUpdatedOn, news.keyRotation?.maxAgeDays, now);
    if (age && drift.length === 0) reasons.push(age);
    if (triggerChanged({ existing: true, previousTrigger: olds.keyRotation?.trigger, keyRotation: news.keyRotation })) {
        reasons.push({ kind: "triggerChanged", from: olds.keyRotation?.trigger, to: news.keyRotation.trigger });
    }
    for (const key of INPUT_KEYS) {
        if (key === DRIFT_INPUT || key === "domain") continue;
        const same = key === "allowedGroups" || key === "deniedGroups" ? sameGroupList(olds[key], news[key]) : stableJson(olds[key]) === stableJson(news[key]);
        if (!same) reasons.push({ kind: "inputChanged", key });
    }
    return { changes: replaces.length > 0 || reasons.length > 0, replaces, reasons };
}
