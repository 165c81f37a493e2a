#!/usr/bin/env bash
# Python package (bindings-python): make .venv, install the pinned tools, build and install the
# abi3 wheel with `pip install ./bindings-python`, then run pytest (shared vectors, API,
# hypothesis properties, threads, real-server receivers, calls and the Redis call store against
# a real redis-server, installed here with apt-get when missing), mypy --strict on the examples, and
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

step "building the abi3 wheel from source (pip wheel ./bindings-python) and installing it"
# In-tree build: the maturin backend reuses the workspace's target/ directory.
WHEELS="$ROOT/target/wheels-python"
rm -rf "$WHEELS"
"$VPY" -m pip wheel -q --disable-pip-version-check --no-deps -w "$WHEELS" ./bindings-python
WHEEL=$(ls "$WHEELS"/primevox_webhooks-*-abi3-*.whl)
"$VPY" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"
"$VPY" - <<'PY'
import pathlib, primevox_webhooks, primevox_webhooks._native as n
assert "site-packages" in primevox_webhooks.__file__, primevox_webhooks.__file__
print("installed", pathlib.Path(n.__file__).name)
PY

step "redis-server (a real one for the Redis call store test; the test starts it on a free port)"
if ! command -v redis-server >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi
redis-server --version

step "pytest"
"$VPY" -m pytest -q -p no:cacheprovider bindings-python/tests

step "mypy --strict (package and examples)"
"$VPY" -m mypy --strict --cache-dir "$ROOT/target/mypy-cache" \
  examples/python bindings-python/python/primevox_webhooks

step "stubtest"
(cd "$ROOT/target" && "$VPY" -m mypy.stubtest \
  --allowlist "$ROOT/bindings-python/stubtest-allowlist.txt" primevox_webhooks)

step "the same abi3 wheel on other CPythons"
ran=0
for v in 3.9 3.13; do
  py=$(ls -d "$HOME"/.pyenv/versions/"$v".*/bin/python3 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$py" ] || py=$(command -v "python$v" || true)
  if [ -z "$py" ]; then echo "(no CPython $v on this machine)"; continue; fi
  env_dir="$ROOT/target/py-abi3-$v"
  [ -x "$env_dir/bin/python" ] || "$py" -m venv "$env_dir"
  "$env_dir/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"
  (cd "$ROOT/target" && "$env_dir/bin/python" "$ROOT/bindings-python/tests/abi3_smoke.py")
  ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "no other CPython found to check the abi3 wheel" >&2; exit 1; }

step "ok"
