// No logic in provider/ decides by the text of a message or a reason (issue 16): reasons are typed
// (e.g. provider/kerberos/reasons.ts) and rendered to text at the end, so rewording a sentence cannot
// change what the provider does. The one exception is another program's text that carries no code
// (ldapts, @azure/identity, ssh, a shell, Graph's message): such a line is marked with a
// `// foreign text: <whose>` comment on the line above it.
import * as fs from "node:fs";
import * as path from "node:path";

const PROVIDER = path.resolve(__dirname, "../../../provider");
const NAMES = "(?:message|msg|reasons?|drift\\w*|problems?|why|notes?|stderr|stdout|texts)";
const RULES: { what: string; re: RegExp }[] = [
    { what: "a string method on a message or reason", re: new RegExp(`\\b${NAMES}\\)?\\??\\.(?:startsWith|endsWith|includes|match|search|indexOf)\\(`, "i") },
    { what: "a regular expression tested on a message or reason", re: new RegExp(`\\.test\\(\\s*(?:String\\()?\\(?[\\w.()? ]*?\\b${NAMES}\\b`, "i") },
    { what: "a message or reason compared with a literal", re: new RegExp(`(?<!typeof\\s+[\\w.?]*)\\b(?:message|msg|reason|why|stderr)\\w*\\s*[!=]==\\s*["'\`]`, "i") },
    { what: "a phrase of prose looked for in a string", re: /\.(?:startsWith|endsWith|includes)\(\s*(["'`])[^"'`]* [^"'`]*\1\s*\)/ },
];

function sources(dir: string, out: string[] = []): string[] {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) sources(p, out);
        else if (p.endsWith(".ts")) out.push(p);
    }
    return out;
}

/** Each line of code that decides by text, with the rule it breaks; marked foreign-text lines pass. */
export function textLogic(source: string): string[] {
    const lines = source.split("\n");
    const hits: string[] = [];
    lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, "");
        const rule = RULES.find((r) => r.re.test(code));
        if (rule && !/\/\/ foreign text: \S/.test(lines[i - 1] ?? "")) hits.push(`${i + 1}: ${rule.what}: ${line.trim()}`);
    });
    return hits;
}

test("the rules catch what the Kerberos diff and drift rules used to do, and pass typed decisions", () => {
    expect(textLogic('    if (age && !drift.some((d) => d.startsWith("key is "))) reasons.push(age);')).toHaveLength(1);
    expect(textLogic('    out.push(...ad.problems.filter((p) => !p.startsWith("missing: ")));')).toHaveLength(1);
    expect(textLogic("    if (e.message.includes(code)) return;")).toHaveLength(1);
    expect(textLogic('    if (reason === "drift") return;')).toHaveLength(1);
    expect(textLogic("    if (/timed out/i.test(msg)) return;")).toHaveLength(1);
    expect(textLogic("    // foreign text: ldapts\n    if (/timed out/i.test(msg)) return;")).toEqual([]);
    expect(textLogic('    if (r.kind === "keyAge") return;\n    if (typeof message !== "string") return;')).toEqual([]);
});

test("no code in provider/ decides by the text of a message or reason", () => {
    const files = sources(PROVIDER);
    expect(files.length).toBeGreaterThan(100);
    const hits = files.flatMap((f) => textLogic(fs.readFileSync(f, "utf8")).map((h) => `${path.relative(PROVIDER, f)}:${h}`));
    expect(hits).toEqual([]);
});
