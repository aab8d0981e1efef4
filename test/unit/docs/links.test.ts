// The docs are self-contained (issue 16): every relative link in a markdown file of the repository
// points at a file that exists in it, and neither the docs nor the source comments of provider/,
// lab/, bench/ and scripts/ cite files that live outside the repository (the team's own notes, the
// seeds, the `shared` directory beside the clone). Public URLs are the only way out.
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../../..");
const SKIP_DIRS = new Set(["node_modules", "bin", ".git", ".lab", ".cache", "api"]);
/** Citations of documents the repository does not hold. */
const OUTSIDE = ["../shared", "shared/reference", "seeds/", "graph-apis.md"];

function walk(dir: string, keep: (f: string) => boolean, out: string[] = []): string[] {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) {
            if (!SKIP_DIRS.has(e.name)) walk(path.join(dir, e.name), keep, out);
        } else if (keep(e.name)) out.push(path.join(dir, e.name));
    }
    return out;
}

const rel = (f: string) => path.relative(REPO, f);

/** The relative link targets of a markdown text (inline links and images), without their #anchor. */
export function markdownLinks(text: string): string[] {
    const noCode = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
    return [...noCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
        .map((m) => m[1])
        .filter((t) => !/^(https?:|mailto:|#)/.test(t))
        .map((t) => decodeURIComponent(t.split("#")[0]));
}

/** The comment text of a source file: `//` comments, block comments, `#` comments of shell files. */
export function commentText(source: string, shell: boolean): string {
    const out: string[] = [];
    for (const m of source.matchAll(/\/\*[\s\S]*?\*\//g)) out.push(m[0]);
    for (const line of source.split("\n")) {
        const at = shell ? line.search(/(^|\s)#/) : line.search(/(^|[^:])\/\//);
        if (at >= 0) out.push(line.slice(at));
    }
    return out.join("\n");
}

/** Repository paths a comment cites (docs/…, provider/…, …), as written. */
export function citedPaths(comments: string): string[] {
    return [...comments.matchAll(/(?<![\w./-])((?:docs|provider|lab|bench|scripts|test|examples|policy)\/[\w./-]*\w\.(?:md|ts|js|json|sh|go|yml))\b/g)].map((m) => m[1]);
}

const markdown = walk(REPO, (f) => f.endsWith(".md"));
const sources = ["provider", "lab", "bench", "scripts"].flatMap((d) => walk(path.join(REPO, d), (f) => /\.(ts|js|sh|go)$/.test(f)));

test("the helpers find links, comments and citations", () => {
    expect(markdownLinks("see [a](docs/a.md#x), [b](https://x.test/y), `[c](nope.md)`, [d](#top)")).toEqual(["docs/a.md"]);
    expect(commentText("const u = \"https://x\"; // see docs/a.md\n/* b */", false)).toContain("see docs/a.md");
    expect(commentText("const u = \"https://x\";", false)).toBe("");
    expect(citedPaths("// (docs/lab.md, Limits) and provider/core/dynamic.ts.")).toEqual(["docs/lab.md", "provider/core/dynamic.ts"]);
});

test("the scan covers the README, docs/ and the sources", () => {
    expect(markdown.map(rel)).toEqual(expect.arrayContaining(["README.md", "docs/lab.md", "docs/operations.md", "docs/resources/azure-ad-kerberos-server.md"]));
    expect(sources.length).toBeGreaterThan(100);
});

test("every relative link in a markdown file points at a file of the repository", () => {
    const broken: string[] = [];
    for (const f of markdown) {
        for (const target of markdownLinks(fs.readFileSync(f, "utf8"))) {
            const resolved = path.resolve(path.dirname(f), target);
            if (!resolved.startsWith(REPO + path.sep) || !fs.existsSync(resolved)) broken.push(`${rel(f)}: ${target}`);
        }
    }
    expect(broken).toEqual([]);
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchors(text: string): Set<string> {
    const prose = text.replace(/```[\s\S]*?```/g, "");
    return new Set([...prose.matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1].trim().toLowerCase().replace(/[`*_]/g, "").replace(/[^\p{L}\p{N}\- ]/gu, "").replace(/ /g, "-")));
}

test("every #anchor of a link names a heading of the page it points at", () => {
    expect([...headingAnchors("## How a write works, and what Graph cannot guarantee\n```\n## not a heading\n```")]).toEqual(["how-a-write-works-and-what-graph-cannot-guarantee"]);
    const broken: string[] = [];
    for (const f of markdown) {
        const prose = fs.readFileSync(f, "utf8").replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
        for (const m of prose.matchAll(/\]\(([^)\s#]*)#([^)\s]+)\)/g)) {
            if (/^(https?:|mailto:)/.test(m[1])) continue;
            const target = m[1] ? path.resolve(path.dirname(f), decodeURIComponent(m[1])) : f;
            if (!target.endsWith(".md") || !fs.existsSync(target)) continue;
            if (!headingAnchors(fs.readFileSync(target, "utf8")).has(m[2])) broken.push(`${rel(f)}: ${m[1]}#${m[2]}`);
        }
    }
    expect(broken).toEqual([]);
});

test("every code fence in a markdown file is closed (an open one swallows the headings after it)", () => {
    const open = markdown.filter((f) => (fs.readFileSync(f, "utf8").match(/^\s*```/gm) ?? []).length % 2 !== 0).map(rel);
    expect(open).toEqual([]);
});

test("no markdown file cites a document outside the repository", () => {
    const hits = markdown.flatMap((f) => {
        const text = fs.readFileSync(f, "utf8");
        return OUTSIDE.filter((s) => text.includes(s)).map((s) => `${rel(f)}: ${s}`);
    });
    expect(hits).toEqual([]);
});

test("no source comment in provider/, lab/, bench/, scripts/ cites a file outside the repository or one that does not exist", () => {
    const hits: string[] = [];
    for (const f of sources) {
        const comments = commentText(fs.readFileSync(f, "utf8"), f.endsWith(".sh"));
        for (const s of OUTSIDE) if (comments.includes(s)) hits.push(`${rel(f)}: ${s}`);
        for (const p of citedPaths(comments)) {
            if (!fs.existsSync(path.join(REPO, p)) && !fs.existsSync(path.resolve(path.dirname(f), p))) hits.push(`${rel(f)}: ${p}`);
        }
    }
    expect(hits).toEqual([]);
});
