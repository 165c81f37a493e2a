#!/usr/bin/env bash
# Release: build dist/ with scripts/release.sh, then install it the way users will, with no cargo
# or rustc on PATH, using nothing of the repository but dist/ (and the README and examples/ as
# the things to run):
#   python  a fresh venv installs the wheel (binary packages only), runs the README's Python quick
#           start and serves its FastAPI receiver with uvicorn on 127.0.0.1: real deliveries.
#   node    a fresh npm project installs the tarballs (the addon from the platform package, through
#           optionalDependencies), runs the README's Express receiver: real deliveries.
#   workers a fresh Workers project installs the wasm tarball; the README's Worker is bundled by
#           `wrangler deploy --dry-run --outdir` (upload size) and answers under `wrangler dev`.
# Also: the npm versions are the workspace's, core/generated/openapi.json and asyncapi.json are
# valid and their examples match their schemas, and actionlint passes on .github/workflows.
# Idempotent; installs what it needs (see scripts/release.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DIST="$ROOT/dist"
TOOLS="$ROOT/target/release-tools"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

step() { printf '\n== release test: %s\n' "$*"; }
timed() { local t=$SECONDS; "$@"; echo "   ($((SECONDS - t)) s)"; }

step "scripts/release.sh (fills dist/)"
timed bash scripts/release.sh
VERSION="$(sed -n '/^\[workspace.package\]/,/^\[/{s/^version *= *"\(.*\)"/\1/p}' Cargo.toml)"

step "one version: every npm package at the workspace's $VERSION"
node scripts/sync-versions.mjs --check

step "OpenAPI 3.1 / AsyncAPI 3 documents: valid, every kind, examples match their schemas"
"$TOOLS/bin/python" tests/release/check_api_documents.py

step "types and exports of the npm tarballs (arethetypeswrong: CommonJS, ESM, bundlers)"
(cd tests/release && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; })
ATTW=tests/release/node_modules/.bin/attw
"$ATTW" -f ascii "$DIST/primevox-webhooks-$VERSION.tgz"
# The wasm package is ESM only: require() from CommonJS is not offered, the rest must resolve.
"$ATTW" -f ascii "$DIST/primevox-webhooks-wasm-$VERSION.tgz" --ignore-rules cjs-resolves-to-esm

step "actionlint .github/workflows"
"$TOOLS/bin/actionlint" -version | head -1
# With shellcheck (from the tools venv) on PATH, actionlint also checks every run: script.
PATH="$TOOLS/bin:$PATH" actionlint -no-color .github/workflows/*.yml
echo "actionlint: no findings"

# A PATH with no cargo and no rustc: every directory that holds either is left out.
NO_RUST_PATH=""
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -n "$d" ] || continue
  if [ -e "$d/cargo" ] || [ -e "$d/rustc" ]; then continue; fi
  NO_RUST_PATH="${NO_RUST_PATH:+$NO_RUST_PATH:}$d"
done
if PATH="$NO_RUST_PATH" command -v cargo >/dev/null || PATH="$NO_RUST_PATH" command -v rustc >/dev/null; then
  echo "could not make a PATH without Rust" >&2
  exit 1
fi
# Outside the repository, as a user's project would be (nothing above it to resolve from).
WORK="$(mktemp -d "${TMPDIR:-/tmp}/primevox-release-install.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

step "python: a fresh venv installs the wheel from dist/ (binary packages only, no Rust on PATH)"
WHEEL="$(ls "$DIST"/primevox_webhooks-"$VERSION"-cp39-abi3-*manylinux_2_17_x86_64*.whl)"
pin() { grep -E "^$1==" bindings-python/requirements-test.txt; }
PY_PINS=("$(pin fastapi)" "$(pin uvicorn)")
PYTHON_BIN="$(command -v python3)"
(
  export PATH="$WORK/venv/bin:$NO_RUST_PATH" CARGO_HOME=/nonexistent RUSTUP_HOME=/nonexistent
  "$PYTHON_BIN" -m venv "$WORK/venv"
  timed python -m pip install -q --disable-pip-version-check --only-binary :all: "$WHEEL" "${PY_PINS[@]}"
  python -m pip show primevox-webhooks | sed -n '1,2p'
  mkdir -p "$WORK/py-app"
  cd "$WORK/py-app"
  timed python "$ROOT/tests/release/python_install.py" "$ROOT" "$WORK/py-app"
)

step "node: a fresh npm project installs the tarballs (no Rust on PATH)"
# npm resolves the platform package as it would from the registry: through the main package's
# optionalDependencies (os/cpu/libc), with an override that points it at the tarball in dist/.
# The platform packages not built here are not in any registry: npm skips those optional ones.
EXPRESS="$(node -p 'require("./examples/node/package.json").dependencies.express')"
mkdir -p "$WORK/node-app"
cat >"$WORK/node-app/package.json" <<JSON
{
  "name": "release-install-node",
  "private": true,
  "type": "module",
  "dependencies": {
    "express": "$EXPRESS",
    "primevox-webhooks": "file:$DIST/primevox-webhooks-$VERSION.tgz"
  },
  "overrides": {
    "primevox-webhooks-linux-x64-gnu": "file:$DIST/primevox-webhooks-linux-x64-gnu-$VERSION.tgz"
  }
}
JSON
(
  export PATH="$NO_RUST_PATH" CARGO_HOME=/nonexistent RUSTUP_HOME=/nonexistent
  cd "$WORK/node-app"
  timed npm install --no-audit --no-fund --loglevel=error
  # Run from inside the project, so that its imports resolve from the project's node_modules.
  cp "$ROOT/tests/release/node_install.mjs" .
  timed node node_install.mjs "$ROOT"
)

step "workers: a fresh Workers project installs the wasm tarball; wrangler deploy --dry-run; wrangler dev"
# wrangler is the repository's pinned one (bindings-wasm's lockfile; newer ones need Node 22).
WRANGLER="$ROOT/bindings-wasm/node_modules/.bin/wrangler"
mkdir -p "$WORK/worker-app"
cat >"$WORK/worker-app/package.json" <<JSON
{
  "name": "release-install-worker",
  "private": true,
  "type": "module",
  "dependencies": {
    "primevox-webhooks-wasm": "file:$DIST/primevox-webhooks-wasm-$VERSION.tgz"
  }
}
JSON
(
  export PATH="$NO_RUST_PATH" CARGO_HOME=/nonexistent RUSTUP_HOME=/nonexistent
  cd "$WORK/worker-app"
  timed npm install --no-audit --no-fund --loglevel=error
  timed node "$ROOT/tests/release/workers_install.mjs" "$ROOT" "$WRANGLER"
)

step "sizes"
WHEEL_SIZE=$(wc -c <"$WHEEL")
NODE_ADDON="$(tar -xzOf "$DIST/primevox-webhooks-linux-x64-gnu-$VERSION.tgz" package/primevox-webhooks.linux-x64-gnu.node | wc -c)"
NODE_ADDON_GZ="$(tar -xzOf "$DIST/primevox-webhooks-linux-x64-gnu-$VERSION.tgz" package/primevox-webhooks.linux-x64-gnu.node | gzip -9 | wc -c)"
WASM_RAW="$(tar -xzOf "$DIST/primevox-webhooks-wasm-$VERSION.tgz" package/pkg/primevox_webhooks_wasm_bg.wasm | wc -c)"
WASM_GZ="$(tar -xzOf "$DIST/primevox-webhooks-wasm-$VERSION.tgz" package/pkg/primevox_webhooks_wasm_bg.wasm | gzip -9 | wc -c)"
echo "wheel $(basename "$WHEEL"): $WHEEL_SIZE bytes"
echo "linux-x64-gnu .node: $NODE_ADDON bytes raw, $NODE_ADDON_GZ bytes gzip -9"
echo ".wasm: $WASM_RAW bytes raw, $WASM_GZ bytes gzip -9"
echo "Worker bundle: $(cat "$WORK/worker-app/sizes.json")"
for f in "$DIST"/*; do echo "$(basename "$f"): $(wc -c <"$f") bytes"; done

step "ok: dist/ installs and works without Rust"
ls -l "$DIST"
