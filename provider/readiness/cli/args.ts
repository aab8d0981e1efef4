// The readiness command's arguments. Everything is checked here, before any file or network is
// touched, and a bad argument is refused naming its flag.
export interface ReadinessArgs {
    stack: string;
    /** where Pulumi.<stack>.yaml is; default the current directory */
    dir: string;
    json: boolean;
    /** pilot groups to check besides the stack's own */
    groups: string[];
}

export class ArgumentError extends Error {}

export const USAGE = `usage: entra-kerberos-readiness --stack <name> [--dir <path>] [--group <name or id>]... [--json]

  --stack <name>   the stack whose Pulumi.<name>.yaml holds pulumi-entra-kerberos:cloudKerberosTrust
  --dir <path>     the directory of Pulumi.<name>.yaml (default: the current directory)
  --group <group>  a pilot group to check besides the stack's (repeatable; display name or object id)
  --json           the report as JSON (schema: readiness-report.schema.json) instead of a table

exit code: 0 ready, 1 warnings, 2 blocking, 3 the report could not be made (arguments, config, connection)`;

/** A Pulumi stack name as a file name part: no path separators, no leading dot. */
const STACK_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
const MAX_GROUP = 256; // Entra group display names are at most 256 characters

/** The arguments, or "help"; throws ArgumentError naming the flag. */
export function parseReadinessArgs(argv: readonly string[]): ReadinessArgs | "help" {
    let stack: string | undefined;
    let dir: string | undefined;
    let json = false;
    const groups: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].startsWith("--") && argv[i].includes("=") ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)] : [argv[i], undefined];
        const value = (): string => {
            const v = inline ?? argv[++i];
            if (v === undefined || v === "" || (inline === undefined && v.startsWith("--"))) throw new ArgumentError(`${flag} needs a value`);
            return v;
        };
        switch (flag) {
            case "-h": case "--help": return "help";
            case "--json":
                if (inline !== undefined) throw new ArgumentError("--json takes no value");
                json = true; break;
            case "--stack":
                if (stack !== undefined) throw new ArgumentError("--stack is given twice");
                stack = value();
                if (!STACK_NAME.test(stack)) throw new ArgumentError(`--stack ${JSON.stringify(stack)} is not a stack name (letters, digits, _ . -; no path)`);
                break;
            case "--dir":
                if (dir !== undefined) throw new ArgumentError("--dir is given twice");
                dir = value(); break;
            case "--group": {
                const g = value();
                if (g.trim() !== g || g.length > MAX_GROUP) throw new ArgumentError(`--group ${JSON.stringify(g.slice(0, 40))} must be a group's exact display name (at most ${MAX_GROUP} characters, no surrounding spaces) or object id`);
                groups.push(g); break;
            }
            default:
                throw new ArgumentError(flag.startsWith("-") ? `unknown flag ${flag}` : `unexpected argument ${JSON.stringify(flag)} (flags only)`);
        }
    }
    if (stack === undefined) throw new ArgumentError("--stack is required");
    return { stack, dir: dir ?? ".", json, groups };
}
