#!/usr/bin/env bash
# Builds actionlint (the GitHub Actions workflow linter, a Go module) through the Go module proxy and
# caches it by version outside the repository, like install-pulumi-cli.sh does for Pulumi.
# The last line on stdout is the bin directory; everything else goes to stderr.
set -euo pipefail
exec 3>&1 1>&2
version=${ACTIONLINT_VERSION:-v1.7.7}
cache_root=${ACTIONLINT_CACHE:-$HOME/.cache/pulumi-entra-kerberos/actionlint}
bin_dir="$cache_root/$version/bin"
if [ -x "$bin_dir/actionlint" ] && [ "$("$bin_dir/actionlint" -version | head -n1)" = "$version" ]; then
  echo "install-actionlint: using cached actionlint $version in $bin_dir"
else
  command -v go >/dev/null || { echo "install-actionlint: error: go is not installed"; exit 1; }
  echo "install-actionlint: building actionlint $version with $(go version)"
  mkdir -p "$bin_dir"
  # a throwaway module dir so `go install` never touches a go.mod of this repository
  (cd "$(mktemp -d)" && GOBIN="$bin_dir" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$version")
fi
echo "$bin_dir" >&3
