// Rotation policy: when Set-AzureADKerberosServer runs with -RotateServerKey.
//   - the on-prem and cloud key versions differ (the key was changed without publishing: the
//     cloud's key no longer decrypts anything; Microsoft's remedy is a rotation through the module)
//   - the key is older than keyRotation.maxAgeDays
//   - keyRotation.trigger changed (a deliberate, one-off rotation)
// and the module's one-rotation-per-24-hours rule is honoured unless keyRotation.force: Entra
// activates a new key only 24 h after publishing it (kerberos-server.md §2.3), so a second rotation
// inside that window can retire the key the cloud is still using. Pure.
import { keyAgeReason, keyVersionReason } from "./drift";
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
    reasons: string[];
    /** passed to the publisher as -Force */
    force: boolean;
    /** set when a rotation is due but the 24-hour rule forbids it until then (ISO) */
    blockedUntil?: string;
}

export function triggerChanged(ctx: Pick<RotationContext, "existing" | "previousTrigger" | "keyRotation">): boolean {
    const next = ctx.keyRotation?.trigger;
    return ctx.existing && next !== undefined && next !== ctx.previousTrigger;
}

export function decideRotation(ctx: RotationContext): RotationDecision {
    const reasons: string[] = [];
    const kv = keyVersionReason(ctx.keyVersion, ctx.cloudKeyVersion);
    if (kv) reasons.push(kv);
    const age = keyAgeReason(ctx.keyUpdatedOn, ctx.keyRotation?.maxAgeDays, ctx.now);
    if (age) reasons.push(age);
    if (triggerChanged(ctx)) {
        reasons.push(`keyRotation.trigger changed from ${JSON.stringify(ctx.previousTrigger ?? null)} to ${JSON.stringify(ctx.keyRotation!.trigger)}`);
    }
    const force = ctx.keyRotation?.force === true;
    const decision: RotationDecision = { rotate: reasons.length > 0, reasons, force };
    if (decision.rotate && !force && ctx.lastRotatedOn) {
        const last = new Date(ctx.lastRotatedOn).getTime();
        if (Number.isFinite(last) && ctx.now.getTime() - last < ROTATION_MIN_INTERVAL_MS) {
            decision.blockedUntil = new Date(last + ROTATION_MIN_INTERVAL_MS).toISOString();
        }
    }
    return decision;
}
