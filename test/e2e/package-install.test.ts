// The package as a user installs it: `npm pack` of this checkout, installed into a fresh program
// outside the repo next to `@pulumi/pulumi` (the pinned version, or ENTRA_KERBEROS_PEER_SDK_VERSION),
// then `pulumi up` and `destroy` of a small lab stack through the real CLI. The tarball holds only the
// built provider, its types, the JSON schema, README and licence; the program loads one copy of the SDK.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { SEED } from "../../lab/emulator";
import { CaLab } from "../support/ca-lab";
import { createTestStack, type TestStack } from "../support/stack";
import { labSecretEnv, requireLab } from "../support/lab";

const ROOT = path.resolve(__dirname, "../..");
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const SDK_VERSION = process.env.ENTRA_KERBEROS_PEER_SDK_VERSION ?? PKG.devDependencies["@pulumi/pulumi"];
const MAX_TARBALL_BYTES = 300 * 1024;
/** What a user's install may contain: built provider code and types, the JSON schema, README, licence. */
const ALLOWED = /^package\/(bin\/provider\/.+\.(js|d\.ts|json)|README\.md|LICENSE|package\.json)$/;

// The user's program: plain JavaScript (nothing to compile), importing the package by name.
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { ConditionalAccessExclusion } = require("pulumi-entra-kerberos");
const config = new pulumi.Config();
const graph = {
    tenantId: config.require("tenantId"),
    credential: { type: "clientSecret", clientId: config.require("clientId"), clientSecret: { env: config.require("clientSecretEnv") } },
    graphEndpoint: config.require("graphEndpoint"), authorityHost: config.require("graphEndpoint"), caCertificate: config.require("caCertificate"),
};
const exclusion = new ConditionalAccessExclusion("storage", { graph, policy: config.require("policy"), excludeGroups: ["Storage Users"] });
exports.ownedGroupIds = exclusion.ownedGroupIds;
// every directory @pulumi/pulumi was loaded from in this process
exports.sdkCopies = [...new Set(Object.keys(require.cache)
    .map((p) => /^(.*[\\\\/]node_modules[\\\\/]@pulumi[\\\\/]pulumi)[\\\\/]/.exec(p)?.[1]).filter(Boolean))];
`;

jest.setTimeout(300_000);

describe(`the npm pack tarball, installed next to @pulumi/pulumi ${SDK_VERSION}`, () => {
    const lab = requireLab();
    const ca = new CaLab(lab);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-kerberos-install-"));
    const program = path.join(dir, "program");
    let tarball = "";
    let t: TestStack | undefined;
    let policyId = "";

    beforeAll(async () => {
        const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
        tarball = path.join(dir, name);
        fs.mkdirSync(program);
        fs.writeFileSync(path.join(program, "package.json"), JSON.stringify({ name: "install-check", private: true, main: "index.js" }));
        fs.writeFileSync(path.join(program, "Pulumi.yaml"), "name: install-check\nruntime: nodejs\nmain: index.js\n");
        fs.writeFileSync(path.join(program, "index.js"), PROGRAM);
        execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball, `@pulumi/pulumi@${SDK_VERSION}`], { cwd: program, stdio: "pipe" });
        // a policy of "another team", this run's own
        policyId = await ca.seedPolicy(`install check ${randomBytes(3).toString("hex")}`, [SEED.groups.breakGlassAdmins]);
    }, 240_000);

    afterAll(async () => {
        await ca.tearDown([t], [policyId]);
        fs.rmSync(dir, { recursive: true, force: true });
    }, 120_000);

    test("the tarball is under 300 KB and holds only built code, types, the schema, README and licence", () => {
        expect(fs.statSync(tarball).size).toBeLessThan(MAX_TARBALL_BYTES);
        const entries = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n");
        expect(entries.filter((e) => !ALLOWED.test(e))).toEqual([]);
        for (const f of ["bin/provider/index.js", "bin/provider/index.d.ts", "bin/provider/components/cloud-kerberos-trust.schema.json", "README.md", "LICENSE"]) {
            expect(entries).toContain(`package/${f}`);
        }
        // every dynamic provider's implementation, which the provider host loads by package path
        for (const impl of fs.readdirSync(path.join(ROOT, "provider/resources")).filter((f) => f.endsWith("-impl.ts"))) {
            expect(entries).toContain(`package/bin/provider/resources/${impl.replace(/\.ts$/, ".js")}`);
        }
    });

    test("the install has one @pulumi/pulumi, the program's own: the package brings none", () => {
        const copies = execFileSync("find", ["node_modules", "-path", "*/@pulumi/pulumi/package.json"], { cwd: program, encoding: "utf8" }).trim().split("\n");
        expect(copies).toEqual(["node_modules/@pulumi/pulumi/package.json"]);
        expect(JSON.parse(fs.readFileSync(path.join(program, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version).toBe(SDK_VERSION);
    });

    test("pulumi up and destroy of a lab stack work, with one copy of the SDK loaded", async () => {
        t = await createTestStack({ programDir: program, env: labSecretEnv(lab), config: { ...ca.programConfig(), policy: { value: policyId } } });
        const up = await t.stack.up();
        expect(up.summary.result).toBe("succeeded");
        expect(up.outputs.ownedGroupIds.value).toEqual([SEED.groups.storageUsers]);
        expect((await ca.lists(policyId))?.groups).toEqual([SEED.groups.breakGlassAdmins, SEED.groups.storageUsers]);
        expect(up.outputs.sdkCopies.value).toEqual([fs.realpathSync(path.join(program, "node_modules/@pulumi/pulumi"))]);
        await t.stack.preview({ expectNoChanges: true });
        const d = await t.stack.destroy();
        expect(d.summary.result).toBe("succeeded");
        expect((await ca.lists(policyId))?.groups).toEqual([SEED.groups.breakGlassAdmins]);
    });
});
