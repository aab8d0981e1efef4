// Ownership: the resource owns exactly what it added; what was there before stays someone else's.
import { decideOwnership } from "../../../provider/conditional-access/ownership";
import { emptyIds, type ExclusionIds } from "../../../provider/conditional-access/model";

const G1 = "00000000-0000-4000-8000-000000000001";
const G2 = "00000000-0000-4000-8000-000000000002";
const G3 = "00000000-0000-4000-8000-000000000003";
const ids = (groups: string[], extra: Partial<ExclusionIds> = {}): ExclusionIds => ({ ...emptyIds(), groups, ...extra });

describe("decideOwnership", () => {
    test.each([
        // name, want, previously owned, present before the write, owned after, removed
        ["create: absent entries become ours", [G1, G2], [], [], [G1, G2], []],
        ["create: an entry already on the policy is not ours", [G1, G2], [], [G2], [G1], []],
        ["create: nothing wanted is missing, nothing owned", [G1], [], [G1, G3], [], []],
        ["update: ours stays ours while present", [G1], [G1], [G1], [G1], []],
        ["update: ours stays ours after drift removed it (re-added)", [G1], [G1], [], [G1], []],
        ["update: dropping an owned entry removes it", [G2], [G1], [G1], [G2], [G1]],
        ["update: dropping a pre-existing entry does not remove it", [], [], [G1], [], []],
        ["update: newly wanted entry someone else added is not ours", [G1, G3], [G1], [G1, G3], [G1], []],
        ["delete: removes exactly what we own", [], [G1, G2], [G1, G2, G3], [], [G1, G2]],
    ])("%s", (_name, want, had, present, owned, removed) => {
        const d = decideOwnership(ids(want), ids(had), ids(present));
        expect(d.owned.groups).toEqual(owned);
        expect(d.remove.groups).toEqual(removed);
    });

    test("ids compare case-insensitively (Graph returns lower case)", () => {
        const d = decideOwnership(ids([G1.toUpperCase()]), ids([]), ids([G1]));
        expect(d.owned.groups).toEqual([]);
    });

    test("kinds are independent", () => {
        const d = decideOwnership(
            { applications: ["Office365"], groups: [G1], users: [G2] },
            { applications: [], groups: [], users: [G3] },
            { applications: ["Office365"], groups: [], users: [G3] });
        expect(d.owned).toEqual({ applications: [], groups: [G1], users: [G2] });
        expect(d.remove).toEqual({ applications: [], groups: [], users: [G3] });
    });
});
