#!/usr/bin/env bash
# Fuzzing (cargo-fuzz / libFuzzer, AddressSanitizer): builds the targets in core/fuzz/, seeds
# their corpora from tests/vectors/, runs each target for a bounded time (as many at once as the
# machine has cores: each has a core to itself) and fails on any crash, panic, leak or timeout.
# FUZZ_SECONDS (default 20) sets the time per target.
# cargo-fuzz needs nightly-only flags: RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
seconds=${FUZZ_SECONDS:-20}
cargo_fuzz_version=0.13.2
# Outside the clone, so a fresh clone on a machine that built it before reuses it.
tools="${PRIMEVOX_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/primevox-webhooks/tools}"
export PATH="$tools/bin:$PATH"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version 2>/dev/null | grep -q " $cargo_fuzz_version\$"; then
    cargo install cargo-fuzz --version "$cargo_fuzz_version" --root "$tools" --quiet --locked
fi

cd core/fuzz
python3 seed_corpus.py
cargo fuzz build --release
targets=(parse_with round_trip from_json)
cores=$(nproc)
failed=0
# One batch: its targets at once (built above: each run only checks that its target is up to
# date), then their results in order.
run_batch() {
    local pids=() logs=() i log
    for target in "$@"; do
        log=$(mktemp)
        logs+=("$log")
        cargo fuzz run "$target" "corpus/$target" -- \
            -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 >"$log" 2>&1 &
        pids+=($!)
    done
    for i in "${!pids[@]}"; do
        target=${*:$((i + 1)):1}
        log=${logs[$i]}
        echo "fuzz: $target for ${seconds} s"
        if ! wait "${pids[$i]}"; then
            tail -n 60 "$log"
            echo "fuzz: $target FAILED (reproducer in core/fuzz/artifacts/$target/)"
            failed=1
        fi
        grep -E "^stat::number_of_executed_units|^Done" "$log" || true
        rm -f "$log"
    done
}
for ((b = 0; b < ${#targets[@]}; b += cores)); do
    run_batch "${targets[@]:b:cores}"
done
[ "$failed" -eq 0 ] || exit 1
echo "fuzz: every target ran ${seconds} s without a crash"
