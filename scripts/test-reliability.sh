#!/usr/bin/env bash
# `npm run test:reliability`: the reliability suite alone (issue 8), then its summary table.
# Builds, finds or builds the Pulumi CLI, and runs the jest project `reliability`, which starts and
# stops a second lab of its own (test/reliability/global-setup.ts): the shared lab is not needed
# and not touched. Extra arguments go to jest (e.g. --testPathPatterns bad-inputs).
set -uo pipefail
cd "$(dirname "$0")/.."
node scripts/link-self.js
npm run -s build || exit 1
bin=$(bash scripts/install-pulumi-cli.sh | tail -n 1) && [ -x "$bin/pulumi" ] || { echo "Pulumi CLI build failed"; exit 1; }
export PULUMI_CLI_BIN="$bin" PATH="$bin:$PATH"
mkdir -p .cache/reliability .cache/results
rm -f .cache/reliability/results.jsonl
npx jest --selectProjects reliability --runInBand --json --outputFile=.cache/results/reliability.json "$@"
status=$?
node scripts/reliability-summary.js .cache/reliability/results.jsonl || status=1
exit $status
