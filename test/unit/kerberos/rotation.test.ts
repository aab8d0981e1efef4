// Rotation policy: rotate when the key versions differ, when the key is older than maxAgeDays, or
// when the trigger changed; the 24-hour rule holds unless keyRotation.force.
import { reasonText } from "../../../provider/kerberos/reasons";
import { decideRotation as decideTyped, type RotationContext } from "../../../provider/kerberos/rotation";

/** The decision with its reasons as the sentences errors show. */
const decideRotation = (c: RotationContext) => { const d = decideTyped(c); return { ...d, reasons: d.reasons.map(reasonText) }; };

const NOW = new Date("2026-02-01T12:00:00.000Z");
const ctx = (over: Partial<RotationContext> = {}): RotationContext => ({
    keyVersion: 4052, cloudKeyVersion: 4052, keyUpdatedOn: "2026-01-30T12:00:00.000Z", existing: true, now: NOW, ...over,
});

describe("rotation policy", () => {
    test("nothing to do for a published, young key with an unchanged trigger", () => {
        expect(decideRotation(ctx({ keyRotation: { maxAgeDays: 30, trigger: "a" }, previousTrigger: "a" }))).toEqual({ rotate: false, reasons: [], force: false });
    });

    test("key versions differ", () => {
        expect(decideRotation(ctx({ cloudKeyVersion: 4040 }))).toMatchObject({ rotate: true, reasons: ["key version on-prem 4052 ≠ cloud 4040"] });
        // no cloud record yet is a publish, not a rotation
        expect(decideRotation(ctx({ cloudKeyVersion: null })).rotate).toBe(false);
    });

    test("older than maxAgeDays", () => {
        expect(decideRotation(ctx({ keyRotation: { maxAgeDays: 1 } }))).toMatchObject({ rotate: true, reasons: ["key is 2 days old (maxAgeDays 1)"] });
        expect(decideRotation(ctx({ keyRotation: { maxAgeDays: 3 } })).rotate).toBe(false);
        expect(decideRotation(ctx({ keyRotation: {} })).rotate).toBe(false);
    });

    test("trigger changed (on update only)", () => {
        expect(decideRotation(ctx({ keyRotation: { trigger: "2026-Q1" }, previousTrigger: "2025-Q4" })))
            .toMatchObject({ rotate: true, reasons: ['keyRotation.trigger changed from "2025-Q4" to "2026-Q1"'] });
        expect(decideRotation(ctx({ keyRotation: { trigger: "first" } }))).toMatchObject({ rotate: true, reasons: ['keyRotation.trigger changed from null to "first"'] });
        expect(decideRotation(ctx({ keyRotation: { trigger: "first" }, existing: false })).rotate).toBe(false); // create records the trigger
        expect(decideRotation(ctx({ keyRotation: {}, previousTrigger: "old" })).rotate).toBe(false);             // removing it does not rotate
    });

    test("one rotation per 24 hours unless force", () => {
        const recent = ctx({ cloudKeyVersion: 4040, lastRotatedOn: "2026-02-01T02:00:00.000Z" });
        expect(decideRotation(recent)).toMatchObject({ rotate: true, force: false, blockedUntil: "2026-02-02T02:00:00.000Z" });
        const forced = decideRotation({ ...recent, keyRotation: { force: true } });
        expect(forced).toMatchObject({ rotate: true, force: true });
        expect(forced.blockedUntil).toBeUndefined();
        expect(decideRotation(ctx({ cloudKeyVersion: 4040, lastRotatedOn: "2026-01-31T11:59:59.000Z" })).blockedUntil).toBeUndefined();
        // the rule only matters when a rotation is due
        expect(decideRotation(ctx({ lastRotatedOn: "2026-02-01T11:00:00.000Z" }))).toEqual({ rotate: false, reasons: [], force: false });
    });

    test("the 24 hours count from the key time AD shows when the cloud has that key: a rotation by another run or by hand", () => {
        // this resource never rotated (or its state was lost), but the published key is 3 hours old
        const published = ctx({ keyUpdatedOn: "2026-02-01T09:00:00.000Z", keyRotation: { trigger: "t2" }, previousTrigger: "t1" });
        expect(decideRotation(published)).toMatchObject({
            rotate: true, blockedUntil: "2026-02-02T09:00:00.000Z", blockedBy: { at: "2026-02-01T09:00:00.000Z", source: "the key time AD shows" },
        });
        // the later of the two wins
        expect(decideRotation({ ...published, lastRotatedOn: "2026-02-01T10:00:00.000Z" }).blockedBy)
            .toEqual({ at: "2026-02-01T10:00:00.000Z", source: "this resource's last rotation" });
        expect(decideRotation({ ...published, lastRotatedOn: "2026-02-01T08:00:00.000Z" }).blockedBy?.source).toBe("the key time AD shows");
        // an on-prem key the cloud never got (versions differ) opens no activation window: rotating is the remedy
        const unpublished = ctx({ cloudKeyVersion: 4040, keyUpdatedOn: "2026-02-01T11:00:00.000Z" });
        expect(decideRotation(unpublished)).toMatchObject({ rotate: true, reasons: ["key version on-prem 4052 ≠ cloud 4040"] });
        expect(decideRotation(unpublished).blockedUntil).toBeUndefined();
        // ...unless this resource itself rotated within 24 hours (a "not in sync" read after its own publish)
        expect(decideRotation({ ...unpublished, lastRotatedOn: "2026-02-01T10:30:00.000Z" }).blockedBy?.source).toBe("this resource's last rotation");
    });

    test("the reasons are typed", () => {
        expect(decideTyped(ctx({ cloudKeyVersion: 4040, keyRotation: { maxAgeDays: 1, trigger: "t2" }, previousTrigger: "t1" })).reasons).toEqual([
            { kind: "keyVersion", onPrem: 4052, cloud: 4040 }, { kind: "keyAge", days: 2, maxAgeDays: 1 }, { kind: "triggerChanged", from: "t1", to: "t2" },
        ]);
    });

    test("all reasons together", () => {
        const d = decideRotation(ctx({ cloudKeyVersion: 4040, keyRotation: { maxAgeDays: 1, trigger: "t2" }, previousTrigger: "t1" }));
        expect(d.reasons).toEqual(["key version on-prem 4052 ≠ cloud 4040", "key is 2 days old (maxAgeDays 1)", 'keyRotation.trigger changed from "t1" to "t2"']);
    });
});
