#!/usr/bin/env bash
# Builds into dist/ exactly what would be published (nothing is uploaded):
#   python  the abi3 wheel for Linux x86_64, manylinux_2_17 (maturin --zig; checked by maturin's
#           own auditwheel check, then by auditwheel), and the sdist; `twine check --strict`.
#   node    the npm tarballs in napi-rs's layout: primevox-webhooks (its platform packages as
#           optionalDependencies) and primevox-webhooks-linux-x64-gnu, built here.
#   wasm    the npm tarball primevox-webhooks-wasm.
# Every tarball passes `npm pack --dry-run` before it is packed. The version is the workspace's
# (Cargo.toml [workspace.package]); scripts/sync-versions.mjs writes it into the npm packages.
#
#   bash scripts/release.sh                 all three
#   bash scripts/release.sh python wasm     some of them
#
# Installs what it needs, idempotently: pinned tools (scripts/requirements-release.txt) in
# target/release-tools, the packages' npm dev dependencies, the wasm toolchain (build.sh).
# The release build of the wheel uses its own target directory (target/release-dist), so that it
# does not undo the development builds of the other test parts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$ROOT/dist"
TOOLS="$ROOT/target/release-tools"
STAGE="$ROOT/target/release-stage"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
cd "$ROOT"

step() { printf '\n== release: %s\n' "$*"; }

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(python node wasm)
for p in "${parts[@]}"; do
  case "$p" in python | node | wasm) ;; *) echo "unknown part: $p (python, node, wasm)" >&2; exit 2 ;; esac
done
wants() { [[ " ${parts[*]} " == *" $1 "* ]]; }

tools() {
  local stamp="$TOOLS/.requirements"
  if [ ! -x "$TOOLS/bin/python" ]; then
    step "creating $TOOLS"
    python3 -m venv "$TOOLS"
  fi
  if ! cmp -s scripts/requirements-release.txt "$stamp"; then
    step "installing the pinned release tools"
    "$TOOLS/bin/python" -m pip install -q --disable-pip-version-check -r scripts/requirements-release.txt
    cp scripts/requirements-release.txt "$stamp"
  fi
}

VERSION="$(sed -n '/^\[workspace.package\]/,/^\[/{s/^version *= *"\(.*\)"/\1/p}' Cargo.toml)"
[ -n "$VERSION" ] || { echo "no version in Cargo.toml [workspace.package]" >&2; exit 1; }
mkdir -p "$DIST"
step "version $VERSION (Cargo.toml [workspace.package])"
node scripts/sync-versions.mjs

python_release() {
  tools
  step "python: abi3 wheel, manylinux2014 (zig links against glibc 2.17)"
  rm -f "$DIST"/primevox_webhooks-*.whl "$DIST"/primevox_webhooks-*.tar.gz
  # maturin finds zig through the ziglang package of the tools venv (python -m ziglang).
  PATH="$TOOLS/bin:$PATH" CARGO_TARGET_DIR="$ROOT/target/release-dist" \
    maturin build --release --zig --compatibility manylinux2014 --auditwheel check \
    --manifest-path bindings-python/Cargo.toml --out "$DIST"
  step "python: sdist"
  PATH="$TOOLS/bin:$PATH" maturin sdist --manifest-path bindings-python/Cargo.toml --out "$DIST"
  local wheel
  wheel="$(ls "$DIST"/primevox_webhooks-"$VERSION"-cp39-abi3-*manylinux_2_17_x86_64*.whl)"
  step "python: auditwheel show $(basename "$wheel")"
  "$TOOLS/bin/auditwheel" show "$wheel" | tee "$ROOT/target/auditwheel-show.txt"
  grep -q '"manylinux_2_17_x86_64"' "$ROOT/target/auditwheel-show.txt"
  step "python: twine check --strict"
  "$TOOLS/bin/twine" check --strict "$wheel" "$DIST/primevox_webhooks-$VERSION.tar.gz"
}

# `npm pack --dry-run` of the stage must be clean (no warning), then the tarball goes to dist/.
pack() {
  local stage="$1" out
  out="$(cd "$stage" && npm pack --dry-run 2>&1)" || { echo "$out" >&2; return 1; }
  if grep -qi 'npm warn' <<<"$out"; then
    echo "$out" >&2
    echo "npm pack --dry-run warns for $stage" >&2
    return 1
  fi
  echo "$out"
  (cd "$stage" && npm pack --pack-destination "$DIST" >/dev/null 2>&1)
}

node_release() {
  step "node: the addon (napi build --platform --release) and the JS layer"
  (cd bindings-node && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci; } \
    && npm run build)
  local addon="bindings-node/primevox-webhooks.linux-x64-gnu.node"
  [ -f "$addon" ] || { echo "napi build did not write $addon" >&2; return 1; }
  rm -f "$DIST"/primevox-webhooks-"$VERSION".tgz "$DIST"/primevox-webhooks-linux-x64-gnu-*.tgz
  step "node: primevox-webhooks-linux-x64-gnu (the addon, napi-rs layout npm/linux-x64-gnu)"
  node scripts/npm-stage.mjs bindings-node/npm/linux-x64-gnu "$STAGE/linux-x64-gnu" --addon "$addon"
  pack "$STAGE/linux-x64-gnu"
  step "node: primevox-webhooks (JS, types; the addon comes from its optionalDependencies)"
  node scripts/npm-stage.mjs bindings-node "$STAGE/node" --optional-deps bindings-node/npm
  if ls "$STAGE/node"/*.node >/dev/null 2>&1; then
    echo "the main package must not carry a .node (it comes from the platform package)" >&2
    return 1
  fi
  pack "$STAGE/node"
}

wasm_release() {
  step "wasm: bindings-wasm/build.sh"
  bash bindings-wasm/build.sh
  rm -f "$DIST"/primevox-webhooks-wasm-*.tgz
  step "wasm: primevox-webhooks-wasm"
  node scripts/npm-stage.mjs bindings-wasm "$STAGE/wasm"
  pack "$STAGE/wasm"
}

wants python && python_release
wants node && node_release
wants wasm && wasm_release

step "dist/"
ls -l "$DIST"
