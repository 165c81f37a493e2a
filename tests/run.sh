#!/usr/bin/env bash
# Runs every test of the project: Rust, Python, Node, WebAssembly (in workerd), benchmark smoke.
# Each part installs what it needs (idempotently) and can be run alone: bash tests/ci/<part>.sh
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
parts=(rust python node cli wasm fuzz memory bench)
passed=0
failed=0
failures=()
for part in "${parts[@]}"; do
    script="tests/ci/$part.sh"
    echo "=== $part ($(date -u +%H:%M:%S)) ==="
    if [ ! -f "$script" ]; then
        # A listed part that is missing is a failure, never a silent skip.
        failed=$((failed + 1))
        failures+=("$part")
        echo "=== $part: FAILED: $script is missing ==="
        continue
    fi
    start=$SECONDS
    if bash "$script"; then
        passed=$((passed + 1))
        echo "=== $part: ok in $((SECONDS - start)) s ==="
    else
        failed=$((failed + 1))
        failures+=("$part")
        echo "=== $part: FAILED after $((SECONDS - start)) s ==="
    fi
done
[ "$failed" -eq 0 ] || echo "failed parts: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
