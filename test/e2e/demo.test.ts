// `npm run demo`, end to end, against the lab the tests use (it runs `lab up`, which reuses what
// runs): the rollout of every resource kind, the status table, a change behind the product's back
// for each kind named by the preview, the repair, a clean drift check and the destroy, with another
// team's entries on the shared tenant objects intact. Nothing it prints may contain a lab secret.
import { spawn } from "node:child_process";
import * as path from "node:path";
import { requireLab, expectNoLabSecret } from "../support/lab";
import { REPO } from "../support/rollout-lab";

describe("npm run demo", () => {
    const lab = requireLab();

    test("passes, shows the drift named and repaired, prints no secret", async () => {
        const { code, output } = await new Promise<{ code: number; output: string }>((resolve, reject) => {
            // the compiled demo (npm test builds first); what `npm run demo` runs after its build
            const child = spawn(process.execPath, [path.join(REPO, "bin/scripts/demo/main.js")], { cwd: REPO, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
            let out = "";
            child.stdout.on("data", (b) => { out += b; });
            child.stderr.on("data", (b) => { out += b; });
            child.on("error", reject);
            child.on("close", (c) => resolve({ code: c ?? 1, output: out }));
        });
        expect({ code, tail: output.slice(-3000) }).toMatchObject({ code: 0 });
        const first = lab.forests[0];
        expect(output).toMatch(/WAVE\s+FOREST\s+DOMAIN\s+ID\s+KEY VERSION\s+CLOUD KEY VERSION/);
        expect(output).toMatch(/3 of 3 domains in sync/);
        expect(output).toMatch(/RESOURCE\s+NAME\s+OBJECT\s+THIS ROLLOUT'S PART\s+DRIFT/);
        for (const kind of ["CloudTrustPolicy", "HostToRealmMapping", "ConditionalAccessExclusion", "Fido2SecurityKeyMethod"]) expect(output).toMatch(new RegExp(`^${kind}\\s+cloud-kerberos-trust/`, "m"));
        expect(output).toMatch(/4 of 4 tenant resources without drift/);
        // each kind's change behind the product's back is named by the preview, then repaired
        expect(output).toMatch(/the preview names the Kerberos key drift: key version on-prem \d+ ≠ cloud \d+/);
        expect(output).toMatch(/the preview names the cloud trust profile drift: \S*policies_usecloudtrustforonpremauth = false/);
        expect(output).toMatch(/the preview names the Conditional Access exclusion drift: excludeApplications.*"0a1b2c3d-0004-4000-8000-000000000001"/);
        expect(output).toMatch(/the preview names the FIDO2 method drift: includeGroups.*"WHfB Pilot Users"/);
        // the other team's exclusions and FIDO2 target survive the repair and the destroy
        expect(output).toMatch(/after the repair, the other team's entries are all there/);
        expect(output).toMatch(/after the destroy, the other team's entries are all there/);
        expect(output).toMatch(new RegExp(`AzureADKerberosServer: \\(update\\)\\s*\\[id=${first.domain.replace(/\./g, "\\.")}\\]`));
        expect(output).toMatch(/no drift left/);
        expect(output).toMatch(/demo passed/);
        expectNoLabSecret(lab, [output]);
    }, 600_000);
});
