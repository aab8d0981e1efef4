// The emulator's $filter subset: parsing, support checks and evaluation.
import { checkFilter, matches, parseFilter } from "../../../lab/emulator/odata";
import { EmuError } from "../../../lab/emulator/errors";

const g = { id: "0a1b2c3d-0001-4000-8000-000000000001", displayName: "WHfB Pilot", securityEnabled: true, activityDateTime: "2024-05-01T10:00:00Z", initiatedBy: { user: { userPrincipalName: "admin@x" } } };

test.each([
    ["displayName eq 'whfb pilot'", true],
    ["displayName eq 'O''Brien'", false],
    ["startswith(displayName,'WHfB')", true],
    ["contains(displayName,'pilot') and securityEnabled eq true", true],
    ["not (securityEnabled eq true) or id eq '0a1b2c3d-0001-4000-8000-000000000001'", true],
    ["id in ('x', '0a1b2c3d-0001-4000-8000-000000000001')", true],
    ["activityDateTime ge 2024-04-30T00:00:00Z and activityDateTime lt 2024-05-02T00:00:00Z", true],
    ["activityDateTime gt 2024-05-01T10:00:00Z", false],
    ["initiatedBy/user/userPrincipalName eq 'ADMIN@x'", true],
])("%s -> %s", (f, expected) => {
    expect(matches(g, parseFilter(f))).toBe(expected);
});

test.each(["displayName eq", "displayName eq 'x", "displayName foo 'x'", "(displayName eq 'x'", "startswith(displayName)", "displayName eq bare"])("syntax error: %s", (f) => {
    expect(() => parseFilter(f)).toThrow(EmuError);
    try { parseFilter(f); } catch (e) { expect((e as EmuError).kind).toBe("invalidFilter"); }
});

test("unsupported property or operator is refused naming the resource", () => {
    const spec = { displayName: ["eq" as const] };
    expect(() => checkFilter(parseFilter("displayName eq 'a'"), spec, "Group")).not.toThrow();
    expect(() => checkFilter(parseFilter("startswith(displayName,'a')"), spec, "Group")).toThrow("Unsupported or invalid query filter clause specified for property 'displayName' of resource 'Group'.");
    expect(() => checkFilter(parseFilter("displayName eq 'a' and mail eq 'b'"), spec, "Group")).toThrow(/property 'mail'/);
});
