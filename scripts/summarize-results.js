// Adds up jest's JSON reports of every layer and prints the plain closing line CI reads.
// A layer whose report is missing (jest crashed) or whose suites failed to load counts as failed.
const fs = require("node:fs");
const path = require("node:path");
const [dir, setupFailed] = process.argv.slice(2);
let passed = 0, failed = 0, skipped = 0;
for (const layer of ["unit", "integration", "contract", "e2e", "reliability"]) {
    const file = path.join(dir, `${layer}.json`);
    if (!fs.existsSync(file)) { console.log(`${layer}: no report (jest did not finish)`); failed += 1; continue; }
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    const suiteErrors = r.testResults.filter((s) => s.status === "failed" && s.assertionResults.length === 0).length;
    console.log(`${layer}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped, ${suiteErrors} suites failed to run`);
    if (r.numTotalTests === 0 && r.numTotalTestSuites === 0) { console.log(`${layer}: ran no test`); failed += 1; }
    passed += r.numPassedTests; failed += r.numFailedTests + suiteErrors; skipped += r.numPendingTests;
}
if (setupFailed === "1") { console.log("setup: a set-up step failed (see above)"); failed += 1; }
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed === 0 ? 0 : 1);
