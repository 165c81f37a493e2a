#!/usr/bin/env bash
# Release: build dist/ with scripts/release.sh, then install it the way users will, with no cargo
# or rustc on PATH, using nothing of the repository but dist/ (and the README and examples/ as
# the things to run):
#   python  a fresh venv installs the wheel (binary packages only), runs the README's Python quick
#           start and serves its FastAPI receiver with uvicorn on 127.0.0.1: real deliveries.
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

step "ok: dist/ installs and works without Rust"
ls -l "$DIST"
