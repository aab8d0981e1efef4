// The readiness command's arguments: every mistake refused naming its flag, before anything is read.
import { ArgumentError, parseReadinessArgs } from "../../../provider/readiness/cli/args";

const refused = (argv: string[]) => { try { parseReadinessArgs(argv); } catch (e) { expect(e).toBeInstanceOf(ArgumentError); return (e as Error).message; } throw new Error("accepted"); };

test("--stack alone; --dir, --group (repeatable), --json; the --flag=value form", () => {
    expect(parseReadinessArgs(["--stack", "prod"])).toEqual({ stack: "prod", dir: ".", json: false, groups: [] });
    expect(parseReadinessArgs(["--stack=prod", "--dir", "/x", "--group", "WHfB Pilot", "--group=0a1b2c3d-0001-4000-8000-000000000001", "--json"]))
        .toEqual({ stack: "prod", dir: "/x", json: true, groups: ["WHfB Pilot", "0a1b2c3d-0001-4000-8000-000000000001"] });
    expect(parseReadinessArgs(["--help"])).toBe("help");
});

test("each bad argument is refused naming the flag", () => {
    expect(refused([])).toBe("--stack is required");
    expect(refused(["--stack"])).toBe("--stack needs a value");
    expect(refused(["--stack", "--json"])).toBe("--stack needs a value");
    expect(refused(["--stack", "../etc/passwd"])).toMatch(/^--stack "..\/etc\/passwd" is not a stack name/);
    expect(refused(["--stack", "a", "--stack", "b"])).toBe("--stack is given twice");
    expect(refused(["--stack", "a", "--dir"])).toBe("--dir needs a value");
    expect(refused(["--stack", "a", "--group", " Pilot"])).toMatch(/^--group " Pilot" must be/);
    expect(refused(["--stack", "a", "--json=yes"])).toBe("--json takes no value");
    expect(refused(["--stack", "a", "--verbose"])).toBe("unknown flag --verbose");
    expect(refused(["--stack", "a", "extra"])).toBe('unexpected argument "extra" (flags only)');
});
