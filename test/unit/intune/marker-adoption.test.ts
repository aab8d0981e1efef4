// The ownership marker in the description, and the create-or-adopt decision built on it.
import { decideAdoption } from "../../../provider/intune/adoption";
import { markedDescription, parseDescription } from "../../../provider/intune/marker";

const HASH = "a".repeat(64);

describe("marker", () => {
    test.each([
        [undefined, undefined, "Managed by pulumi-entra-kerberos; edits in the portal are reverted."],
        ["WHfB pilot", undefined, "WHfB pilot\n\nManaged by pulumi-entra-kerberos; edits in the portal are reverted."],
        [undefined, HASH, `Managed by pulumi-entra-kerberos; edits in the portal are reverted. sha256=${HASH}`],
    ])("%j + hash %j round-trips", (user, hash, text) => {
        expect(markedDescription(user, hash)).toBe(text);
        expect(parseDescription(text)).toEqual({ userDescription: user ?? "", marked: true, ...(hash ? { contentHash: hash } : {}) });
    });

    test.each([null, "", "made by hand", "Managed by pulumi-entra-kerberos; edits in the portal are reverted. (copied) and more"])("%j carries no marker", (text) => {
        expect(parseDescription(text)).toEqual({ userDescription: text ?? "", marked: false });
    });
});

describe("decideAdoption", () => {
    const opts = { displayName: "WHfB", adoptExisting: false, what: 'CloudTrustPolicy "WHfB"' };
    const mine = { id: "p1", description: markedDescription("x"), kind: "settings catalog policy" };
    const theirs = { id: "p2", description: "by hand", kind: "settings catalog policy" };

    test("none: create; one of ours: adopt; one of theirs: only with adoptExisting", () => {
        expect(decideAdoption([], opts)).toEqual({ action: "create" });
        expect(decideAdoption([mine], opts)).toEqual({ action: "adopt", candidate: mine });
        expect(decideAdoption([theirs], { ...opts, adoptExisting: true })).toEqual({ action: "adopt", candidate: theirs });
        expect(() => decideAdoption([theirs], opts)).toThrow(/CloudTrustPolicy "WHfB": a settings catalog policy named "WHfB" already exists \(id p2\) and was not created by pulumi-entra-kerberos; set adoptExisting: true/);
    });

    test("several: refused, listing each", () => {
        expect(() => decideAdoption([mine, theirs], { ...opts, adoptExisting: true }))
            .toThrow('2 profiles are already named "WHfB" (settings catalog policy p1, settings catalog policy p2 (not created by pulumi-entra-kerberos))');
    });
});
