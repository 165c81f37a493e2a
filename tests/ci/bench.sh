#!/usr/bin/env bash
# Benchmark smoke run: bench/run.sh --smoke builds and installs what it needs (idempotently:
# bench/.venv, npm ci in bench/node and bench/workers, the native addon and the wasm package
# when their sources changed), generates a 600-payload corpus, and runs every harness (Rust,
# Python, Node, Workers in workerd) with 3 repetitions. Each harness first checks that every
# contender accepts every payload and agrees with the SDK field by field; then the receivers
# under load (bench/load/run.py --smoke: wrk against FastAPI, Flask, Django, Express, Fastify,
# node:http, a Worker in workerd and axum (an unoptimised build) for 2 s per route, with the
# fault mix, whose checks are asserted on each). Timings are printed, never asserted; this only
# keeps the suite from rotting. Exits non-zero on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
out=$(bash bench/run.sh --smoke)
printf '%s\n' "$out"
# Every language produced its rows (a harness that died early would leave them out).
for lang in Rust Python Node Workers; do
  n=$(printf '%s\n' "$out" | grep -c "^| $lang | mixed, every field read |" || true)
  if [ "$n" -lt 3 ]; then
    echo "bench smoke: no '$lang' rows in the combined table" >&2
    exit 1
  fi
  if ! printf '%s\n' "$out" | grep -q "^| $lang | calls ("; then
    echo "bench smoke: no '$lang' calls (CallTracker) row in the combined table" >&2
    exit 1
  fi
done
# The receivers under load ran, and their fault checks passed (run.py exits non-zero otherwise;
# this catches a load step that silently did not run).
if ! printf '%s\n' "$out" | grep -q '^- load checks: ok'; then
  echo "bench smoke: the receivers-under-load checks did not report ok" >&2
  exit 1
fi
# Every framework ran its three routes (SDK, hand-written, empty) with the fault mix.
for fw in fastapi fastapi-route flask django express fastify nodehttp workers axum; do
  n=$(printf '%s\n' "$out" | grep -c "^| $fw | .*fault-mix requests" || true)
  if [ "$n" -ne 3 ]; then
    echo "bench smoke: receivers under load: $n rows for '$fw' (expected 3)" >&2
    exit 1
  fi
  # ... and the side-by-side measure of its three routes
  n=$(printf '%s\n' "$out" | grep -c "^| $fw | .*, side by side |" || true)
  if [ "$n" -ne 3 ]; then
    echo "bench smoke: receivers side by side: $n rows for '$fw' (expected 3)" >&2
    exit 1
  fi
done
echo "bench smoke: ok"
