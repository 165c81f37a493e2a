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
# properties with fewer cases: valgrind runs ~30x slower, serde), from the very build of
# tests/ci/rust.sh's cargo test (same packages, same features): after it, nothing is compiled.
# Not core/tests/axum.rs: it asserts wall-clock deadlines (a 200 ms handler timeout answered
# within 10 s) that valgrind's slowdown breaks on a busy machine; core/src/axum.rs has no
# unsafe code, and rust.sh runs those tests.
mapfile -t bins < <(cargo test -q -p primevox-webhooks -p primevox-webhooks-cli \
    --features primevox-webhooks/serde,primevox-webhooks/axum --locked --no-run \
    --message-format=json 2>/dev/null |
    python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if (m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]
            and m["manifest_path"].endswith("/core/Cargo.toml") and m["target"]["name"] != "axum"):
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
# Every unsafe block of core/src that x86_64 compiles still runs here (checked 2026-12-07 by
# stopping at each under gdb while these tests ran with these settings):
#   json.rs  the borrowed string (from_utf8_unchecked): every parse (vectors, receivers, ...);
#            the escaped string (runs copied by stops16_copy, the byte-by-byte tail, put_utf8,
#            set_len, from_utf8_unchecked): json::tests::{strings_read_as_before,
#            random_strings_read_as_before, escapes_and_surrogates, compact_round_trip};
#            grow's set_len: no test reaches it, and no input can (the capacity's bound skips
#            quotes after a backslash, so an escape never moves the reading past it; checked with a
#            panic in grow over every core test); it is the fallback should that bound change.
#   scan.rs  mask64 (SSE2): marks_every_needle_in_order and the form/query/receiver tests;
#            stops16_at (SSE2, with and without the copy): every JSON parse and
#            string_stops_simd_and_swar_agree; stops16_swar: string_stops_simd_and_swar_agree.
#   form.rs  from_utf8_unchecked: form::tests::decodes, security::tests::query, slots tests.
#   ffi/py.rs  every read and write (widen16, pairs16, one character of each width, set_len):
#            ffi::py::tests::mixed_texts_of_every_length.
# (ffi/js/utf16.rs's unsafe code is wasm32 only: tests/ci/wasm.sh runs it in workerd.)
export PV_UNDER_VALGRIND=1 PROPTEST_CASES=40
export SKIPS="--skip generators_reach_real_events --skip eq_ignore_ascii_case_agrees_with_std
    --skip utf16_of_every_mix --skip utf16_of_every_code_point
    --skip every_character_at_every_offset_of_a_run"

# One job under valgrind: a test binary with its filters, or the memflat loop. Two run at once
# (valgrind runs a program's threads one at a time: one valgrind keeps one core busy); each
# job's output is printed when it ends, so that the two do not interleave.
vg_one() {
    local vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
        --show-leak-kinds=definite,indirect --error-exitcode=99)
    local log status=0 t=$SECONDS bin filters
    read -r bin filters <<<"$1"
    log=$(mktemp)
    if [ "$bin" = memflat ]; then
        # Under valgrind RSS says nothing (its own shadow memory and freed-block queue grow):
        # no RSS bound here, the leak check is the test.
        "${vg[@]}" target/release/examples/memflat 20000 1000000000 >"$log" 2>&1 || status=$?
        echo "memory: valgrind memflat (20000 events): exit $status, $((SECONDS - t)) s"
    else
        # shellcheck disable=SC2086
        (cd core && "${vg[@]}" "$bin" -q --test-threads=2 $filters $SKIPS) >"$log" 2>&1 || status=$?
        echo "memory: valgrind $(basename "$bin") $filters: exit $status, $((SECONDS - t)) s"
    fi
    cat "$log"
    rm -f "$log"
    return "$status"
}
export -f vg_one
# The longest first: the unit tests in two halves (the string and scan tests, the rest), the
# batch threads, then the others. xargs exits non-zero when any job does.
lib=$(printf '%s\n' "${bins[@]}" | grep '/primevox_webhooks-[0-9a-f]*$') ||
    { echo "memory: no unit test binary among ${bins[*]}" >&2; exit 1; }
batch=$(printf '%s\n' "${bins[@]}" | grep '/batch-[0-9a-f]*$') || batch=""
text_tests="json:: scan:: ffi::py::"
{
    echo "$lib $text_tests"
    echo "$lib --skip ${text_tests// / --skip }"
    [ -z "$batch" ] || echo "$batch"
    echo memflat
    printf '%s\n' "${bins[@]}" | grep -vxF -e "$lib" -e "$batch"
} | xargs -P 2 -I{} bash -c 'vg_one "$1"' _ {}
echo "memory: ok"
