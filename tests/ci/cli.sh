#!/usr/bin/env bash
# CLI across languages: every delivery `primevox-webhooks trigger` sends (every kind, every
# scenario) is accepted by the library receivers, FastAPI (examples/python, in the .venv of
# tests/ci/python.sh) and Express (examples/node, with the addon built by tests/ci/node.sh),
# each on a real server on 127.0.0.1; a delivery without its required callUuid is refused 400.
# Builds nothing twice: the CLI binary comes from the dev build of tests/ci/rust.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
step() { printf '\n== cli: %s\n' "$*"; }

step "the CLI binary (dev build; a no-op after tests/ci/rust.sh)"
cargo build -p primevox-webhooks-cli --locked --quiet
BIN="$ROOT/target/debug/primevox-webhooks"
[ -x "$ROOT/.venv/bin/python" ] || { echo "no .venv: run tests/ci/python.sh first" >&2; exit 1; }
[ -d "$ROOT/examples/node/node_modules/express" ] || { echo "no examples/node/node_modules: run tests/ci/node.sh first" >&2; exit 1; }

SCRATCH=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

# wait_for FILE PATTERN: the first line of FILE matching PATTERN (sed -E, group 1), within 30 s.
wait_for() {
  local i
  for i in $(seq 1 300); do
    if grep -qE "$2" "$1" 2>/dev/null; then sed -nE "s/.*$2.*/\1/p" "$1" | head -1; return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for /$2/ in $1:" >&2; cat "$1" >&2; return 1
}

KINDS=(message.inbound message.outbound call.inbound call.hangup extension.ringing
       extension.answered extension.hangup voicemail.left call.outbound ring_group.entered
       queue.entered)
SCENARIOS=(call:answered call:missed call:voicemail call:queue-abandoned call:ring-group call:outbound)
# Deliveries the scenarios send, in all (5 + 4 + 4 + 5 + 7 + 2).
SCENARIO_DELIVERIES=27

# send_all URL: trigger every kind and every scenario; every one must be answered 2xx.
send_all() {
  local what
  for what in "${KINDS[@]}" "${SCENARIOS[@]}"; do
    timeout 60 "$BIN" trigger "$what" --to "$1" --speed 5000 >>"$SCRATCH/sent.txt"
  done
  # A real receiver validates: a call without its callUuid is refused (exit 1, 400).
  if timeout 60 "$BIN" trigger call.inbound --to "$1" --set callUuid= >"$SCRATCH/bad.txt" 2>&1; then
    echo "a delivery without callUuid was accepted by $1" >&2; return 1
  fi
  grep -q '^400 call.inbound' "$SCRATCH/bad.txt" || { cat "$SCRATCH/bad.txt" >&2; return 1; }
}

step "FastAPI (examples/python/fastapi_receiver.py under uvicorn)"
timeout 300 "$ROOT/.venv/bin/python" tests/cli/fastapi_server.py >"$SCRATCH/fastapi.log" 2>&1 &
PIDS+=($!)
PORT=$(wait_for "$SCRATCH/fastapi.log" '^port ([0-9]+)$')
send_all "http://127.0.0.1:$PORT/primevox"
want=$(( ${#KINDS[@]} + SCENARIO_DELIVERIES ))
accepted=$(grep -c '^200 ' "$SCRATCH/sent.txt")
echo "FastAPI accepted $accepted deliveries"
[ "$accepted" -eq "$want" ] || { echo "expected $want deliveries accepted" >&2; exit 1; }
kill "${PIDS[-1]}"

step "Express (examples/node/express-receiver.mjs)"
: >"$SCRATCH/sent.txt"
(cd examples/node && PORT=0 exec timeout 300 node express-receiver.mjs) >"$SCRATCH/express.log" 2>&1 &
PIDS+=($!)
PORT=$(wait_for "$SCRATCH/express.log" '"port":([0-9]+)')
send_all "http://127.0.0.1:$PORT/primevox"
accepted=$(grep -c '^200 ' "$SCRATCH/sent.txt")
handled=$(grep -c '"kind":' "$SCRATCH/express.log" || true)
echo "Express accepted $accepted deliveries; its handler saw $handled events"
[ "$accepted" -eq "$want" ] && [ "$handled" -eq "$want" ] || {
  echo "expected $want deliveries accepted and handled" >&2; cat "$SCRATCH/express.log" >&2; exit 1; }

step "ok"
