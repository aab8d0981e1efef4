// The examples as CI sees them: each is a Pulumi project that type-checks (`tsc --noEmit` against the
// built package), the GitHub Actions workflow passes actionlint (built from its Go module by
// scripts/install-actionlint.sh) and does what docs/operations.md says, and the example stack config passes
// the shipped schema. Needs `npm run build` first (the examples import the compiled package).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { cloudKerberosTrustConfigErrors } from "../../provider/components/cloud-kerberos-trust-config";

const REPO = path.resolve(__dirname, "../..");
const EXAMPLES = ["single-domain", "multi-forest", "real-tenant", "github-actions"];
const WORKFLOW = path.join(REPO, "examples/github-actions/.github/workflows/cloud-kerberos-trust.yml");

describe("examples", () => {
    test.each(EXAMPLES)("examples/%s is a Pulumi project that type-checks", (name) => {
        const dir = path.join(REPO, "examples", name);
        expect(yaml.load(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"))).toMatchObject({ name: expect.any(String), runtime: { name: "nodejs" }, main: "index.ts" });
        execFileSync(process.execPath, [path.join(REPO, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", dir], { cwd: dir, stdio: "pipe" });
    }, 120_000);

    test("the GitHub Actions workflow passes actionlint", () => {
        const bin = execFileSync("bash", [path.join(REPO, "scripts/install-actionlint.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim().split("\n").pop()!;
        // the example's own config (its runner labels): actionlint looks for it only at a git root
        const config = path.join(path.dirname(WORKFLOW), "../actionlint.yaml");
        const r = execFileSync(path.join(bin, "actionlint"), ["-no-color", "-config-file", config, WORKFLOW], { encoding: "utf8", stdio: "pipe" });
        expect(r).toBe("");
    }, 300_000);

    test("the workflow: PR preview posted, merge up behind an environment, nightly drift check that fails loudly", () => {
        const wf: any = yaml.load(fs.readFileSync(WORKFLOW, "utf8"));
        expect(Object.keys(wf.on)).toEqual(expect.arrayContaining(["pull_request", "push", "schedule"]));
        const runs = (job: string) => wf.jobs[job].steps.map((s: any) => s.run ?? "").join("\n");
        expect(wf.jobs.preview.if).toContain("pull_request");
        expect(runs("preview")).toMatch(/pulumi preview --stack "\$STACK" --diff .*--policy-pack policy/);
        expect(wf.jobs.preview.steps.some((s: any) => s.uses?.startsWith("actions/github-script") && /createComment/.test(s.with.script))).toBe(true);
        expect(wf.jobs.up.environment).toBe("production");
        expect(runs("up")).toMatch(/pulumi up --stack "\$STACK" --yes --refresh --continue-on-error --policy-pack policy/);
        expect(wf.jobs.drift.if).toContain("schedule");
        expect(runs("drift")).toMatch(/pulumi preview --stack "\$STACK" --refresh --expect-no-changes/);
        expect(wf.jobs.drift.steps.some((s: any) => s.if === "failure()" && /core\.error/.test(s.with?.script ?? ""))).toBe(true);
        for (const job of ["preview", "up", "drift", "readiness"]) {
            expect(wf.jobs[job].permissions["id-token"]).toBe("write");           // GitHub OIDC for Entra
            expect(wf.jobs[job].env.CORP_BIND_PASSWORD).toBe("${{ secrets.CORP_BIND_PASSWORD }}"); // AD secrets from the secret store
        }
        // the nightly readiness report: fails on blocking (2) and no report (3), uploads the JSON either way
        expect(wf.jobs.readiness.if).toContain("schedule");
        expect(runs("readiness")).toMatch(/npx entra-kerberos-readiness --stack "\$STACK" --json > readiness\.json/);
        expect(runs("readiness")).toMatch(/2\) .*exit 2/);
        const upload = wf.jobs.readiness.steps.find((s: any) => s.uses?.startsWith("actions/upload-artifact"));
        expect(upload).toMatchObject({ if: "always()", with: { name: "readiness", path: "readiness.json" } });
        expect(fs.readFileSync(WORKFLOW, "utf8")).not.toMatch(/AZURE_CLIENT_SECRET|clientSecret/);
        // the jobs that reach DCs and the publisher host run on self-hosted runners in their network,
        // a fork's pull request never on one; the secret-free check runs on a hosted runner
        for (const job of ["preview", "up", "drift", "readiness"]) expect(wf.jobs[job]["runs-on"]).toEqual(["self-hosted", "linux", "entra-kerberos"]);
        expect(wf.jobs.preview.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
        expect(wf.jobs.check["runs-on"]).toBe("ubuntu-latest");
        expect(JSON.stringify(wf.jobs.check)).not.toMatch(/secrets\./);
    });

    test("the example stack config passes the shipped schema and uses githubOidc with env references only", () => {
        const doc: any = yaml.load(fs.readFileSync(path.join(REPO, "examples/github-actions/Pulumi.prod.yaml"), "utf8"));
        const config = doc.config["cloud-kerberos-trust:cloudKerberosTrust"];
        expect(cloudKerberosTrustConfigErrors(config)).toEqual([]);
        expect(config.graph.credential.type).toBe("githubOidc");
        const refs = JSON.stringify(config).match(/\{"env":"[A-Z0-9_]+"\}/g) ?? [];
        expect(refs.length).toBeGreaterThanOrEqual(4);
    });
});
