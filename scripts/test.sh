#!/usr/bin/env bash
# The project's one test command (`npm test`): builds, installs what the tests need (Samba via the
# lab, the Pulumi CLI from source), starts the lab, runs the five layers in order and ends with the
# plain line "N passed, N failed". Exit status is non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache/results .cache/reliability
rm -f .cache/results/*.json .cache/reliability/results.jsonl

step() { printf '\n== %s\n' "$*"; }
setup_failed=0

step "build and lint"
node scripts/link-self.js  # npm install <pkg> drops the self link; put it back
npm run -s build || setup_failed=1
npm run -s lint || setup_failed=1
# the API reference from the types (TypeDoc; its warnings are errors), into the git-ignored docs/api/
npm run -s docs || setup_failed=1

step "Pulumi CLI (built from source, cached by version)"
if bin=$(bash scripts/install-pulumi-cli.sh | tail -n 1) && [ -x "$bin/pulumi" ]; then
  export PULUMI_CLI_BIN="$bin"
  export PATH="$bin:$PATH"
  pulumi version
else
  echo "Pulumi CLI build failed: the e2e layer will fail"
  setup_failed=1
fi

step "test dependencies"
# openssh-server: the PowerShell publisher's SSH path is tested against a throwaway sshd on loopback
if ! [ -x /usr/sbin/sshd ]; then
  # keep apt from starting a system-wide sshd: only the tests' own loopback sshd may run
  guard=0; [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; guard=1; }
  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openssh-server) >/dev/null || setup_failed=1
  [ "$guard" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi

# the policy pack has its own package.json and lock (policy/): the e2e layer runs it through the CLI
(cd policy && npm install --no-audit --no-fund --loglevel=error) || setup_failed=1

step "lab up"
lab_started=0
if node bin/lab/cli.js up; then lab_started=1; else echo "lab up failed: integration and e2e layers will fail"; setup_failed=1; fi
stop_lab() { [ "$lab_started" = 1 ] && [ "${KEEP_LAB:-0}" != 1 ] && node bin/lab/cli.js down; }
trap stop_lab EXIT

run_layer() {  # layer workers [jest args]
  local layer=$1 workers=$2; shift 2
  npx jest --selectProjects "$layer" --maxWorkers="$workers" --json --outputFile=".cache/results/$layer.json" "$@"
}
for layer in unit integration contract; do
  step "jest: $layer"
  run_layer "$layer" 2 "$@"
done

# e2e and reliability run side by side, one file at a time each: both are bound by the tenant's
# 1 request/second Conditional Access throttle and the DCs' round trips, not by the cores, and
# reliability has a lab of its own (test/reliability/global-setup.ts), so neither waits for the other.
# Reliability's lines carry a prefix; its whole log is also kept in .cache/results/reliability.log.
step "jest: e2e, and beside it jest: reliability (lines prefixed [reliability])"
( run_layer reliability 1 "$@" 2>&1 | tee .cache/results/reliability.log | sed -u 's/^/[reliability] /' ) &
reliability_pid=$!
run_layer e2e 1 "$@"
wait "$reliability_pid"

step "reliability summary"
node scripts/reliability-summary.js .cache/reliability/results.jsonl || true  # its tests' failures are counted below

step "summary"
node scripts/summarize-results.js .cache/results "$setup_failed"
