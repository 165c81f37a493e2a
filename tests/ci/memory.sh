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

vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --error-exitcode=99)

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
for bin in "${bins[@]}"; do
    echo "memory: valgrind $(basename "$bin")"
    # generators_reach_real_events only checks the proptest generators (2000 draws): skip it.
    # The two every-code-point tests check the text conversions' output (tests/ci/rust.sh runs
    # them natively); under valgrind they take over ten minutes. The conversions' unsafe loads
    # and stores still run here, through mixed_texts_of_every_length and utf16_of_every_mix
    # (every length, every width of character).
    (cd core && PROPTEST_CASES=40 "${vg[@]}" "$bin" -q --test-threads=2 --skip generators_reach_real_events \
        --skip utf16_of_every_code_point --skip every_character_at_every_offset_of_a_run)
done

# Under valgrind RSS says nothing (its own shadow memory and freed-block queue grow): no RSS
# bound here, the leak check is the test.
echo "memory: valgrind memflat (20000 events)"
"${vg[@]}" target/release/examples/memflat 20000 1000000000
echo "memory: ok"
