#!/usr/bin/env bash
# The whole benchmark suite in one command: builds what is needed, generates the corpus into
# bench/corpus/, runs the Rust, Python, Node and Workers harnesses and prints one combined
# markdown table (also written to bench/corpus/latest.md).
#
#   bash bench/run.sh            full run: 10,000 payloads, 15 repetitions per harness
#   bash bench/run.sh --smoke    600 payloads, 3 repetitions: checks that everything still runs
#                                (every contender must accept the corpus and agree with the SDK);
#                                timings are printed, never asserted
#   REPS=21 bash bench/run.sh    more repetitions
#
# Then the receivers under load (bench/load/run.py: wrk against FastAPI (uvicorn), Flask and Django
# (gunicorn), Express, Fastify, node:http and a Worker in workerd (the wasm package); SDK receiver,
# hand-written receiver and empty endpoint, with the fault mix and its checks).
#
# Installs idempotently: bench/.venv (pinned msgspec/pydantic/fastapi/uvicorn/flask/django/gunicorn +
# pip install ./bindings-python),
# wrk (apt-get), npm ci in bench/load (Express, Fastify, and esbuild + workerd for the Worker),
# npm ci in bench/node and bench/workers (committed lockfiles), the native addon (bindings-node)
# and the wasm package (bindings-wasm/build.sh) when their sources changed since the last build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
cd "$ROOT"
export CARGO_TERM_COLOR=never npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export WRANGLER_SEND_METRICS=false NO_COLOR=1

SMOKE=0
for a in "$@"; do
  case "$a" in
    --smoke) SMOKE=1 ;;
    *) echo "usage: bench/run.sh [--smoke]" >&2; exit 2 ;;
  esac
done
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "$SMOKE" = 1 ]; then N=600; REPS=${REPS:-3}; else N=10000; REPS=${REPS:-15}; fi
# The calls rows (CallTracker): every delivery of this many generated calls.
if [ "$SMOKE" = 1 ]; then CALLS_N=300; else CALLS_N=10000; fi

step() { printf '== bench: %s (%s)\n' "$*" "$(date -u +%H:%M:%S)" >&2; }
STAMPS="$ROOT/target/bench-stamps"
mkdir -p "$STAMPS" "$BENCH/corpus"
# A digest of the (tracked or not ignored) files under the given paths: rebuild when it changes.
# (A tracked file deleted from the working tree is skipped, not an error.)
digest() { git -C "$ROOT" ls-files -co --exclude-standard -- "$@" | sort | (cd "$ROOT" && xargs -r sha256sum 2>/dev/null || true) | sha256sum | cut -c1-32; }
stale() { [ ! -f "$STAMPS/$1" ] || [ "$(cat "$STAMPS/$1")" != "$2" ]; }
npm_ci_if_needed() { # dir
  if [ ! -d "$1/node_modules" ] || [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
    (cd "$1" && npm ci --no-audit --no-fund >&2)
  fi
}

# --- build -------------------------------------------------------------------------------------
step "cargo build --release -p primevox-webhooks-bench"
cargo build -q --release -p primevox-webhooks-bench >&2
# The axum receivers under load. The smoke run builds them unoptimised: a release build of axum,
# hyper and tokio does not fit its time budget, and it checks answers and faults, not speed.
LOAD_FRAMEWORKS=fastapi,fastapi-route,flask,django,express,fastify,nodehttp,workers,axum
if [ "$SMOKE" = 0 ]; then
  step "cargo build --release --locked -p primevox-webhooks-bench --features axum --bin pvload-axum"
  cargo build -q --release --locked -p primevox-webhooks-bench --features axum --bin pvload-axum >&2
else
  step "cargo build --locked -p primevox-webhooks-bench --features axum --bin pvload-axum (smoke: unoptimised)"
  cargo build -q --locked -p primevox-webhooks-bench --features axum --bin pvload-axum >&2
  export PV_LOAD_AXUM_BIN="$ROOT/target/debug/pvload-axum"
fi
PVBENCH="$ROOT/target/release/pvbench"

CORPUS="$BENCH/corpus/corpus-$N.jsonl"
step "corpus: $N payloads -> ${CORPUS#"$ROOT/"}"
"$PVBENCH" corpus "$CORPUS" --n "$N" 2>/dev/null
CALLS_CORPUS="$BENCH/corpus/calls-$CALLS_N.jsonl"
step "calls corpus: every delivery of $CALLS_N calls -> ${CALLS_CORPUS#"$ROOT/"}"
"$PVBENCH" calls-corpus "$CALLS_CORPUS" --calls "$CALLS_N" 2>/dev/null

step "python: bench/.venv"
VPY="$BENCH/.venv/bin/python"
[ -x "$VPY" ] || python3 -m venv "$BENCH/.venv"
"$VPY" -m pip install -q --disable-pip-version-check -r "$BENCH/python/requirements.txt" >&2
d=$(digest core bindings-python Cargo.lock)
if stale python "$d" || ! "$VPY" -c 'import primevox_webhooks' 2>/dev/null; then
  step "python: pip install ./bindings-python"
  # (retried: a concurrent maturin build in the shared target/ can remove its output under us)
  for try in 1 2 3; do
    "$VPY" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps ./bindings-python >&2 && break
    [ "$try" = 3 ] && exit 1
    sleep 5
  done
  echo "$d" >"$STAMPS/python"
fi

d=$(digest core bindings-node Cargo.lock)
if stale node "$d" || ! ls bindings-node/*.node >/dev/null 2>&1; then
  step "node: build the native addon (bindings-node)"
  npm_ci_if_needed bindings-node
  (cd bindings-node && npm run build >&2)
  echo "$d" >"$STAMPS/node"
fi
npm_ci_if_needed "$BENCH/node"

# (pkg/api.mjs bundles the shared JavaScript layer, bindings-node/lib and its build script)
d=$(digest core bindings-wasm bindings-node/lib bindings-node/scripts Cargo.lock)
if stale wasm "$d" || [ ! -f bindings-wasm/pkg/primevox_webhooks_wasm_bg.wasm ]; then
  step "wasm: bindings-wasm/build.sh"
  bash bindings-wasm/build.sh >&2
  echo "$d" >"$STAMPS/wasm"
fi
npm_ci_if_needed "$BENCH/workers"
npm_ci_if_needed "$BENCH/load"
if ! command -v wrk >/dev/null; then
  step "apt-get install wrk (the load generator)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } >&2
fi

# --- run ---------------------------------------------------------------------------------------
OUT="$BENCH/corpus/out"
mkdir -p "$OUT"
step "rust"
"$PVBENCH" --n "$N" --reps "$REPS" >"$OUT/rust.md"
step "python"
"$VPY" "$BENCH/python/bench.py" "$CORPUS" --n "$N" --reps "$REPS" >"$OUT/python.md"
step "node"
node --expose-gc "$BENCH/node/bench.mjs" "$CORPUS" --n "$N" --reps "$REPS" >"$OUT/node.md"
step "workers"
node "$BENCH/workers/bench.mjs" "$CORPUS" --n "$N" --reps "$REPS" >"$OUT/workers.md"
step "receivers under load (wrk) with the fault mix"
LOAD_ARGS=()
[ "$SMOKE" = 1 ] && LOAD_ARGS=(--smoke)
"$VPY" "$BENCH/load/run.py" "$CORPUS" "${LOAD_ARGS[@]}" --frameworks "$LOAD_FRAMEWORKS" --json "$OUT/load.json" >"$OUT/load.md"
step "calls (CallTracker) in every language"
"$PVBENCH" calls --calls "$CALLS_N" --reps "$REPS" >>"$OUT/rust.md"
"$VPY" "$BENCH/python/calls.py" "$CALLS_CORPUS" --reps "$REPS" >>"$OUT/python.md"
node "$BENCH/node/calls.mjs" "$CALLS_CORPUS" --reps "$REPS" >>"$OUT/node.md"
# The wasm package through its Node entry (the same module and JS layer workerd runs).
node "$BENCH/node/calls.mjs" "$CALLS_CORPUS" --reps "$REPS" --wasm >>"$OUT/workers.md"

# --- one table ---------------------------------------------------------------------------------
{
  echo "# primevox-webhooks benchmarks$([ "$SMOKE" = 1 ] && echo ' (SMOKE RUN: tiny corpus, timings meaningless)')"
  echo
  echo "started $STARTED, finished $(date -u '+%H:%M UTC'); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(free -g | awk '/^Mem:/ {print $2}') GiB; load average (1/5/15 min) $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end; rustc $(rustc --version | cut -d' ' -f2), $("$VPY" -c 'import platform; print("CPython", platform.python_version())'), Node $(node --version); command: bash bench/run.sh $*"
  echo
  echo "| language | subset | contender | median ns/event | SDK speed-up (paired median) |"
  echo "|---|---|---|---:|---:|"
  for lang in rust python node workers; do
    label=$(case $lang in rust) echo Rust ;; python) echo Python ;; node) echo Node ;; workers) echo Workers ;; esac)
    grep '^| ' "$OUT/$lang.md" | grep -v '^| subset ' | sed "s/^| /| $label | /"
  done
  echo
  for lang in rust python node workers; do
    head -n1 "$OUT/$lang.md" | sed 's/^/- /'
    grep '^- ' "$OUT/$lang.md" | sed 's/^- /  - /' || true
  done
  echo
  echo "## Receivers under load"
  echo
  cat "$OUT/load.md"
} | tee "$BENCH/corpus/latest.md"
