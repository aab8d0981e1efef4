#!/usr/bin/env bash
# Builds the Pulumi CLI (`pulumi`) and the Node.js language host (`pulumi-language-nodejs`)
# from Go modules fetched through the Go module proxy, caches them per version outside the
# repository, and adds the `pulumi-resource-pulumi-nodejs` shim used by dynamic providers.
#
# Usage:  PATH="$(bash scripts/install-pulumi-cli.sh):$PATH"
#
# The last line on stdout is the bin directory; everything else goes to stderr.
#
# Environment:
#   PULUMI_VERSION         CLI version to build (default: the version of the installed
#                          node_modules/@pulumi/pulumi, else 3.248.0). The CLI must match the
#                          npm SDK version.
#   PULUMI_CLI_CACHE       cache root (default: $HOME/.cache/pulumi-entra-kerberos/pulumi-cli);
#                          binaries land in $PULUMI_CLI_CACHE/v<version>/bin.
#   PULUMI_LANGUAGE_HOST   auto (default) | upstream | builtin. The upstream host module
#                          (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) has
#                          no tags; it is required at the release commit as a pseudo-version
#                          derived from the v<version> tag. Where the module proxy does not serve
#                          it, "auto" falls back to the compact host embedded below (built against
#                          the same pkg/sdk versions). "upstream" fails instead of falling back.
#   PULUMI_CLI_FORCE=1     rebuild even if the cache looks valid.
#
# To run the CLI offline, set PULUMI_SKIP_UPDATE_CHECK=1 and
# PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true, and log in to a local backend
# (pulumi login file://<dir>); stacks need PULUMI_CONFIG_PASSPHRASE (or _FILE).
set -euo pipefail

# Keep stdout for the final path only.
exec 3>&1 1>&2

log() { printf 'install-pulumi-cli: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

default_version=3.248.0
if [ -z "${PULUMI_VERSION:-}" ]; then
  sdk_pkg_json="$repo_root/node_modules/@pulumi/pulumi/package.json"
  if [ -f "$sdk_pkg_json" ]; then
    PULUMI_VERSION=$(node -p 'require(process.argv[1]).version' "$sdk_pkg_json" 2>/dev/null \
      || sed -n 's/^  "version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$sdk_pkg_json" | head -n1)
  fi
  PULUMI_VERSION=${PULUMI_VERSION:-$default_version}
fi
version=${PULUMI_VERSION#v}
case "$version" in
  [0-9]*.[0-9]*.[0-9]*) ;;
  *) die "PULUMI_VERSION '$PULUMI_VERSION' is not a version like 3.248.0" ;;
esac
tag="v$version"

cache_root=${PULUMI_CLI_CACHE:-$HOME/.cache/pulumi-entra-kerberos/pulumi-cli}
version_dir="$cache_root/$tag"
bin_dir="$version_dir/bin"
src_dir="$version_dir/src"
host_mode=${PULUMI_LANGUAGE_HOST:-auto}
case "$host_mode" in auto|upstream|builtin) ;; *) die "PULUMI_LANGUAGE_HOST must be auto, upstream or builtin" ;; esac

# --- the compact language host (used when the upstream module is unavailable) ------------
# Its source is scripts/pulumi-language-nodejs/main.go; see the comment at its top.
builtin_host_src="$script_dir/pulumi-language-nodejs/main.go"
write_builtin_host() {
  mkdir -p "$1"
  cp "$builtin_host_src" "$1/main.go"
}

builtin_host_hash() {
  sha256sum "$builtin_host_src" | cut -d' ' -f1
}

# --- cache check -------------------------------------------------------------------------
cache_ok() {
  [ -x "$bin_dir/pulumi" ] && [ -x "$bin_dir/pulumi-language-nodejs" ] \
    && [ -x "$bin_dir/pulumi-resource-pulumi-nodejs" ] || return 1
  local v
  v=$(PULUMI_SKIP_UPDATE_CHECK=1 "$bin_dir/pulumi" version 2>/dev/null | tail -n1) || return 1
  [ "$v" = "$tag" ] || return 1
  [ -f "$bin_dir/.language-host" ] || return 1
  local kind
  kind=$(cat "$bin_dir/.language-host")
  case "$kind" in
    upstream*) [ "$host_mode" != builtin ] || return 1 ;;
    builtin:*)
      [ "$host_mode" != upstream ] || return 1
      [ "$kind" = "builtin:$(builtin_host_hash)" ] || return 1 ;;
    *) return 1 ;;
  esac
  v=$("$bin_dir/pulumi-language-nodejs" -version 2>/dev/null | tail -n1) || return 1
  [ "$v" = "$tag" ]
}

mkdir -p "$version_dir"
# Serialize concurrent installs of the same version.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$version_dir/.lock"
  flock 9
fi

if [ "${PULUMI_CLI_FORCE:-0}" != 1 ] && cache_ok; then
  log "using cached Pulumi CLI $tag in $bin_dir"
  echo "$bin_dir" >&3
  exit 0
fi

# --- build -------------------------------------------------------------------------------
command -v go >/dev/null 2>&1 || [ -x /usr/local/go/bin/go ] || die "go is required to build the Pulumi CLI"
command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH"

# The module proxy may serve pkg/v3 tags (and language host pseudo-versions) that the checksum
# database it fronts does not list; skip the sumdb for those two module trees only (go.sum in
# the cache still pins what was downloaded).
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/pulumi/pulumi/pkg,github.com/pulumi/pulumi/sdk/nodejs"
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
export GOWORK=off

start=$(date +%s)
log "building Pulumi CLI $tag (cache: $version_dir)"
rm -rf "$src_dir"
mkdir -p "$src_dir" "$bin_dir"
cd "$src_dir"

# A throwaway module to resolve pkg/sdk at the tag.
printf 'module pulumi-cli-build\n\ngo 1.21\n' > go.mod
log "resolving github.com/pulumi/pulumi/pkg/v3@$tag"
pkg_gomod=$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@$tag" | sed -n 's/^[[:space:]]*"GoMod":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p')
[ -n "$pkg_gomod" ] && [ -f "$pkg_gomod" ] || die "could not download github.com/pulumi/pulumi/pkg/v3@$tag"
go_directive=$(awk '$1 == "go" { print $2; exit }' "$pkg_gomod")

# Non-relative replace directives of pkg/v3 (relative ones point into the monorepo and
# are replaced by requiring sdk/v3 at the same tag).
replaces=$(awk '
  /^replace[[:space:]]*\(/ { inblock = 1; next }
  inblock && /^[[:space:]]*\)/ { inblock = 0; next }
  { line = "" }
  inblock { line = $0 }
  !inblock && /^replace[[:space:]]/ { line = $0; sub(/^replace[[:space:]]+/, "", line) }
  line ~ /=>/ {
    sub(/[[:space:]]*\/\/.*$/, "", line); gsub(/^[[:space:]]+|[[:space:]]+$/, "", line)
    split(line, parts, "=>"); target = parts[2]; gsub(/^[[:space:]]+|[[:space:]]+$/, "", target)
    if (target !~ /^\.\.?(\/|$)/ && target !~ /^\//) print "replace " line
  }' "$pkg_gomod")

{
  printf 'module pulumi-cli-build\n\ngo %s\n\n' "${go_directive:-1.21}"
  printf 'require (\n\tgithub.com/pulumi/pulumi/pkg/v3 %s\n\tgithub.com/pulumi/pulumi/sdk/v3 %s\n)\n' "$tag" "$tag"
  [ -z "$replaces" ] || printf '\n%s\n' "$replaces"
} > go.mod
log "wrapper go.mod:"; sed 's/^/    /' go.mod >&2

# Language host: upstream module at the release commit, or the embedded one.
host_kind=""
host_pkg=""
if [ "$host_mode" != builtin ]; then
  info=$(go list -m -json "github.com/pulumi/pulumi@$tag+incompatible" 2>/dev/null || true)
  rel_time=$(printf '%s\n' "$info" | sed -n 's/^[[:space:]]*"Time":[[:space:]]*"\([^"]*\)".*/\1/p' | head -n1)
  rel_hash=$(printf '%s\n' "$info" | sed -n 's/^[[:space:]]*"Hash":[[:space:]]*"\([0-9a-f]*\)".*/\1/p' | head -n1)
  if [ -n "$rel_time" ] && [ -n "$rel_hash" ]; then
    stamp=$(printf '%s' "$rel_time" | sed 's/[-:TZ]//g' | cut -c1-14)
    pseudo="v3.0.0-$stamp-$(printf '%s' "$rel_hash" | cut -c1-12)"
    langhost_mod=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
    log "trying upstream language host $langhost_mod@$pseudo (tag $tag = ${rel_hash:0:12})"
    if go mod download "$langhost_mod@$pseudo" 2>"$version_dir/langhost-download.log"; then
      printf 'require %s %s\n' "$langhost_mod" "$pseudo" >> go.mod
      host_kind="upstream:$langhost_mod@$pseudo"
      host_pkg="$langhost_mod"
    else
      log "upstream language host unavailable: $(tail -n1 "$version_dir/langhost-download.log")"
    fi
  else
    log "could not find the release commit of $tag"
  fi
  if [ -z "$host_kind" ] && [ "$host_mode" = upstream ]; then
    die "PULUMI_LANGUAGE_HOST=upstream but the upstream language host could not be downloaded"
  fi
fi
if [ -z "$host_kind" ]; then
  write_builtin_host "$src_dir/cmd/pulumi-language-nodejs"
  host_kind="builtin:$(sha256sum "$src_dir/cmd/pulumi-language-nodejs/main.go" | cut -d' ' -f1)"
  host_pkg=./cmd/pulumi-language-nodejs
  log "using the embedded language host"
fi

ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$tag"
log "go build pulumi (this takes a while on a cold cache)"
go build -trimpath -ldflags "$ldflags" -o "$bin_dir/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
log "go build pulumi-language-nodejs"
go build -trimpath -ldflags "$ldflags" -o "$bin_dir/pulumi-language-nodejs.tmp" "$host_pkg"
mv -f "$bin_dir/pulumi.tmp" "$bin_dir/pulumi"
mv -f "$bin_dir/pulumi-language-nodejs.tmp" "$bin_dir/pulumi-language-nodejs"

# Dynamic provider shim, as shipped with the SDK (sdk/nodejs/dist); it resolves
# @pulumi/pulumi/cmd/dynamic-provider from the current directory.
sdk_dir=$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
shim_src="$sdk_dir/nodejs/dist/pulumi-resource-pulumi-nodejs"
if [ -f "$shim_src" ]; then
  cp "$shim_src" "$bin_dir/pulumi-resource-pulumi-nodejs"
else
  cat > "$bin_dir/pulumi-resource-pulumi-nodejs" <<'SHIM_EOF'
#!/bin/sh
PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))")
if [ ! -z "$PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH" ]; then
    node "$PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH" $@
fi
SHIM_EOF
fi
chmod 0755 "$bin_dir/pulumi-resource-pulumi-nodejs"
printf '%s\n' "$host_kind" > "$bin_dir/.language-host"

v=$(PULUMI_SKIP_UPDATE_CHECK=1 "$bin_dir/pulumi" version | tail -n1)
[ "$v" = "$tag" ] || die "built pulumi reports '$v', expected $tag"
log "built pulumi $v and pulumi-language-nodejs ($host_kind) in $(( $(date +%s) - start ))s"
echo "$bin_dir" >&3
