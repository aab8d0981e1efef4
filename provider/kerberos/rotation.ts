// Rotation policy: when Set-AzureADKerberosServer runs with -RotateServerKey.
//   - the on-prem and cloud key versions differ (the key was changed without publishing: the
//     cloud's key no longer decrypts anything; Microsoft's remedy is a rotation through the module)
//   - the key is older than keyRotation.maxAgeDays
//   - keyRotation.trigger changed (a deliberate, one-off rotation)
// and the module's one-rotation-per-24-hours rule is honoured unless keyRotation.force: Entra
// activates a new key only 24 h after publishing it (docs/sources.md, Kerberos §2.3), so a second rotation
// inside that window can retire the key the cloud is still using. The window counts from the last
// published key change, whoever made it (lastPublishedKeyChange). Pure.
import { keyAgeReason, keyVersionReason } from "./drift";
import type { RotationReason } from "./reasons";
import { KeyRotation, ROTATION_MIN_INTERVAL_MS } from "./model";

export interface RotationContext {
    keyVersion: number | null | undefined;
    cloudKeyVersion: number | null | undefined;
    keyUpdatedOn: string | Date | null | undefined;
    keyRotation?: KeyRotation;
    /** the trigger this resource last applied; undefined on create */
    previousTrigger?: string;
    /** false on create: a new trigger then records the starting point, it does not rotate */
    existing: boolean;
    /** when this resource last rotated (state); the publisher enforces the rule for rotations it made itself */
    lastRotatedOn?: string | null;
    now: Date;
}

export interface RotationDecision {
    rotate: boolean;
    reasons: RotationReason[];
    /** passed to the publisher as -Force */
    force: boolean;
    /** set when a rotation is due but the 24-hour rule forbids it until then (ISO) */
    blockedUntil?: string;
    /** with blockedUntil: the key change the 24 hours count from */
    blockedBy?: KeyChange;
}

export interface KeyChange {
    at: string;
    source: "this resource's last rotation" | "the key time AD shows";
}

export function triggerChanged(ctx: Pick<RotationContext, "existing" | "previousTrigger" | "keyRotation">): boolean {
    const next = ctx.keyRotation?.trigger;
    return ctx.existing && next !== undefined && next !== ctx.previousTrigger;
}

export function decideRotation(ctx: RotationContext): RotationDecision {
    const reasons: RotationReason[] = [];
    const kv = keyVersionReason(ctx.keyVersion, ctx.cloudKeyVersion);
    if (kv) reasons.push(kv);
    const age = keyAgeReason(ctx.keyUpdatedOn, ctx.keyRotation?.maxAgeDays, ctx.now);
    if (age) reasons.push(age);
    if (triggerChanged(ctx)) {
        reasons.push({ kind: "triggerChanged", from: ctx.previousTrigger, to: ctx.keyRotation!.trigger });
    }
    const force = ctx.keyRotation?.force === true;
    const decision: RotationDecision = { rotate: reasons.length > 0, reasons, force };
    const last = decision.rotate && !force ? lastPublishedKeyChange(ctx) : undefined;
    if (last && ctx.now.getTime() - Date.parse(last.at) < ROTATION_MIN_INTERVAL_MS) {
        decision.blockedUntil = new Date(Date.parse(last.at) + ROTATION_MIN_INTERVAL_MS).toISOString();
        decision.blockedBy = last;
    }
    return decision;
}

/**
 * The later of this resource's own last rotation and the key time AD shows, the latter only when the
 * cloud holds the same key version: then that change was published (by another run, another stack or
 * the module by hand) and Entra's 24-hour activation window is open. An on-prem key the cloud never
 * got opens no window, and rotating is Microsoft's remedy for it, so it does not hold a rotation back.
 */
function lastPublishedKeyChange(ctx: RotationContext): KeyChange | undefined {
    const changes: KeyChange[] = [];
    const own = ctx.lastRotatedOn ? Date.parse(ctx.lastRotatedOn) : NaN;
    if (Number.isFinite(own)) changes.push({ at: new Date(own).toISOString(), source: "this resource's last rotation" });
    const published = ctx.keyVersion != null && ctx.keyVersion === ctx.cloudKeyVersion;
    const inAd = ctx.keyUpdatedOn ? new Date(ctx.keyUpdatedOn).getTime() : NaN;
    if (published && Number.isFinite(inAd)) changes.push({ at: new Date(inAd).toISOString(), source: "the key time AD shows" });
    return changes.sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
}
