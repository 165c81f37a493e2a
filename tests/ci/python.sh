#!/usr/bin/env bash
# Python package (bindings-python): make .venv, install the pinned tools, build and install the
# abi3 wheel with `pip install ./bindings-python`, then run pytest (shared vectors, API,
# hypothesis properties, threads, real-server receivers), mypy --strict on the examples, and
# mypy.stubtest on the installed package. Idempotent; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PYTHON=${PYTHON:-python3}
VENV="$ROOT/.venv"
VPY="$VENV/bin/python"

step() { printf '\n== python: %s\n' "$*"; }

if [ ! -x "$VPY" ]; then
  step "creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
step "installing pinned test dependencies"
"$VPY" -m pip install -q --disable-pip-version-check -r bindings-python/requirements-test.txt

step "building and installing the wheel (pip install ./bindings-python)"
# In-tree build: the maturin backend reuses the workspace's target/ directory.
"$VPY" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps ./bindings-python
"$VPY" - <<'PY'
import pathlib, primevox_webhooks, primevox_webhooks._native as n
assert "site-packages" in primevox_webhooks.__file__, primevox_webhooks.__file__
print("installed", pathlib.Path(n.__file__).name)
PY

step "pytest"
"$VPY" -m pytest -q -p no:cacheprovider bindings-python/tests

step "mypy --strict (package and examples)"
"$VPY" -m mypy --strict --cache-dir "$ROOT/target/mypy-cache" \
  examples/python bindings-python/python/primevox_webhooks

step "stubtest"
(cd "$ROOT/target" && "$VPY" -m mypy.stubtest \
  --allowlist "$ROOT/bindings-python/stubtest-allowlist.txt" primevox_webhooks)

step "ok"
