#!/usr/bin/env bash
# Memory: a million parses leave resident memory flat (core/examples/memflat.rs, bound 2 MiB),
# and the core's tests and the memflat loop run clean under valgrind memcheck (no invalid
# access, no definite or indirect leak).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v valgrind >/dev/null; then
    if command -v apt-get >/dev/null; then
        sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
        # A new machine may have no package lists yet.
        $sudo_ apt-get update -qq >/dev/null
        $sudo_ apt-get install -y -qq valgrind >/dev/null
    else
        echo "memory: valgrind is not installed" >&2
        exit 1
    fi
fi

cargo run -q --release --locked -p primevox-webhooks --example memflat -- 1000000 2048

# The core's test binaries (unit, vectors incl. hostile-*, batch threads, generated files,
# properties with fewer cases: valgrind runs ~30x slower).
mapfile -t bins < <(cargo test -q -p primevox-webhooks --locked --no-run --message-format=json 2>/dev/null |
    python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        print(m["executable"])
')
[ "${#bins[@]}" -ge 5 ] || { echo "memory: expected the core test binaries, found ${#bins[@]}" >&2; exit 1; }

# What runs natively only (tests/ci/rust.sh runs all of these), and why:
# - generators_reach_real_events checks the proptest generators (2000 draws), no core code.
# - kind.rs and ffi/js/utf16.rs hold no unsafe code on x86_64 (utf16.rs's is the wasm32 SIMD
#   module; its tests run a portable stand-in), so eq_ignore_ascii_case_agrees_with_std,
#   utf16_of_every_mix and utf16_of_every_code_point check output only (under valgrind: 40 s,
#   4 min and over ten minutes). utf16_of_any_text still runs here.
# - every_character_at_every_offset_of_a_run (every code point, over ten minutes here) checks
#   ffi/py.rs's output; its unsafe loads and stores run here through mixed_texts_of_every_length.
# With PV_UNDER_VALGRIND=1 (core/src/test_support.rs) the exhaustive unit tests check a sample
# of their cases that still drives every unsafe path: json::tests::strings_read_as_before (the
# sequences of three pieces), scan::tests::{agrees_with_a_plain_scan,
# finds_string_stops_like_a_plain_scan, string_stops_simd_and_swar_agree} and
# ffi::py::tests::mixed_texts_of_every_length (5 texts per length, not 20).
# Every unsafe block of core/src that x86_64 compiles runs here (checked by stopping at each
# under gdb while these tests ran): json.rs (borrowed and escaped strings: runs copied by
# stops16_copy, put_utf8, set_len, grow) through strings_read_as_before,
# random_strings_read_as_before, escapes_and_surrogates and the vectors; scan.rs (the SSE2
# stops16_at and mask64, the SWAR stops16_swar) through string_stops_simd_and_swar_agree,
# marks_every_needle_in_order and every parse; form.rs through form::tests::decodes and the form
# vectors; ffi/py.rs (widen16, pairs16, the one-character writes) through
# mixed_texts_of_every_length.
export PV_UNDER_VALGRIND=1 PROPTEST_CASES=40
export SKIPS="--skip generators_reach_real_events --skip eq_ignore_ascii_case_agrees_with_std
    --skip utf16_of_every_mix --skip utf16_of_every_code_point
    --skip every_character_at_every_offset_of_a_run"

# One test binary (or the memflat loop) under valgrind. Two run at once (valgrind runs a
# program's threads one at a time, so one valgrind keeps one core busy); each one's output is
# printed when it ends, so that the two do not interleave.
vg_one() {
    local vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
        --show-leak-kinds=definite,indirect --error-exitcode=99)
    local log status=0 t=$SECONDS
    log=$(mktemp)
    if [ "$1" = memflat ]; then
        # Under valgrind RSS says nothing (its own shadow memory and freed-block queue grow):
        # no RSS bound here, the leak check is the test.
        "${vg[@]}" target/release/examples/memflat 20000 1000000000 >"$log" 2>&1 || status=$?
        echo "memory: valgrind memflat (20000 events): exit $status, $((SECONDS - t)) s"
    else
        # shellcheck disable=SC2086
        (cd core && "${vg[@]}" "$1" -q --test-threads=2 $SKIPS) >"$log" 2>&1 || status=$?
        echo "memory: valgrind $(basename "$1"): exit $status, $((SECONDS - t)) s"
    fi
    cat "$log"
    rm -f "$log"
    return "$status"
}
export -f vg_one
# The unit tests (the longest) first; xargs exits non-zero when any run does.
lib=$(printf '%s\n' "${bins[@]}" | grep '/primevox_webhooks-[0-9a-f]*$') ||
    { echo "memory: no unit test binary among ${bins[*]}" >&2; exit 1; }
printf '%s\n' "$lib" memflat "${bins[@]}" | awk '!seen[$0]++' |
    xargs -P 2 -I{} bash -c 'vg_one "$1"' _ {}
echo "memory: ok"
