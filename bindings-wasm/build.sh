#!/usr/bin/env bash
# Build the primevox-webhooks-wasm package from source into bindings-wasm/pkg/:
#   cargo (wasm32-unknown-unknown, profile wasm-release) -> wasm-bindgen (--target web)
#   -> wasm-opt (npm binaryen) -> pkg/primevox_webhooks_wasm_bg.wasm + glue,
#   then the shared JavaScript layer (bindings-node/lib/, bundled by bindings-node/scripts/build-js.mjs)
#   -> pkg/api.mjs + pkg/lib/*.d.ts + the core's generated pkg/events.d.ts and pkg/event-builder.mjs.
# Installs what it needs idempotently: the rustup target, wasm-bindgen-cli at the version in
# Cargo.lock under $PRIMEVOX_TOOLS (default ~/.cache/primevox-webhooks/tools), and the npm
# dev dependencies (npm ci).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
# Outside the clone, so a fresh clone on a machine that built it before reuses it.
TOOLS="${PRIMEVOX_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/primevox-webhooks/tools}"
PROFILE=wasm-release
cd "$ROOT"

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown

# The CLI must match the wasm-bindgen crate in Cargo.lock exactly (cargo metadata brings the
# lock file up to date first).
cargo metadata --format-version 1 >/dev/null
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$WB_VERSION" ]; then echo "wasm-bindgen not found in Cargo.lock" >&2; exit 1; fi
WASM_BINDGEN="$TOOLS/bin/wasm-bindgen"
# The tools folder is shared by every clone on the machine: two first builds at once (two
# worktrees, or a test run beside bench/run.sh) would otherwise both run cargo install into it
# and collide. The second waits, then finds the CLI installed.
mkdir -p "$TOOLS"
exec 8>"$TOOLS/.wasm-bindgen-cli.lock"
flock 8
if [ ! -x "$WASM_BINDGEN" ] || [ "$("$WASM_BINDGEN" --version | awk '{print $2}')" != "$WB_VERSION" ]; then
  echo "== installing wasm-bindgen-cli $WB_VERSION into $TOOLS (a few minutes, once)"
  # Not --locked: the lock file published with wasm-bindgen-cli 0.2.130 pins webpki-roots
  # 1.0.11, which the registry no longer offers ("failed to select a version for the
  # requirement webpki-roots = ^1.0.10 (locked to 1.0.11)", checked 2026-12-01). The exact
  # --version keeps the CLI itself pinned; check again when wasm-bindgen is upgraded.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --root "$TOOLS" --force
fi
flock -u 8

# Several people (and bench/run.sh) build this in one checkout: one build at a time, and pkg/
# is replaced file by file with renames, only when the output really changes, so that a test
# running meanwhile never sees a missing or half-written file.
mkdir -p "$ROOT/target"
exec 9>"$ROOT/target/.bindings-wasm-build.lock"
flock 9

cd "$HERE"
if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci (pinned toolchain from package-lock.json)"
  npm ci --no-audit --no-fund
fi

echo "== cargo build --target wasm32-unknown-unknown --profile $PROFILE"
cd "$ROOT"
cargo build -p primevox-webhooks-wasm --target wasm32-unknown-unknown --profile "$PROFILE"
RAW="$ROOT/target/wasm32-unknown-unknown/$PROFILE/primevox_webhooks_wasm.wasm"
WASM_OPT="$HERE/node_modules/.bin/wasm-opt"
STAMP="$(cat "$RAW" "$HERE/build.sh" | sha256sum | cut -c1-32) $WB_VERSION $("$WASM_OPT" --version | tr -d '\n')"
WASM="$HERE/pkg/primevox_webhooks_wasm_bg.wasm"
if [ -f "$HERE/pkg/.stamp" ] && [ "$(cat "$HERE/pkg/.stamp")" = "$STAMP" ] && [ -f "$WASM" ] \
  && [ -f "$HERE/pkg/primevox_webhooks_wasm.js" ]; then
  echo "== pkg/ is up to date"
else
  TMP="$(mktemp -d "$HERE/.pkg-build.XXXXXX")"
  trap 'rm -rf "$TMP"' EXIT
  echo "== wasm-bindgen $WB_VERSION --target web"
  # --experimental-reset-state-function: __wbg_reset_state() re-instantiates the module after a
  # trap, so that one failure never leaves a poisoned instance behind (js/api.js calls it).
  "$WASM_BINDGEN" "$RAW" --target web --no-typescript --experimental-reset-state-function --out-dir "$TMP" --out-name primevox_webhooks_wasm
  echo "== wasm-opt -O3 (npm binaryen)"
  "$WASM_OPT" -O3 "$TMP/primevox_webhooks_wasm_bg.wasm" -o "$TMP/opt.wasm"
  mv "$TMP/opt.wasm" "$TMP/primevox_webhooks_wasm_bg.wasm"
  printf '%s' "$STAMP" >"$TMP/.stamp"
  mkdir -p "$HERE/pkg"
  for f in primevox_webhooks_wasm_bg.wasm primevox_webhooks_wasm.js .stamp; do
    mv -f "$TMP/$f" "$HERE/pkg/$f"
  done
fi

# The JavaScript API is the one shared layer (cheap to bundle: done every time).
JS_TMP="$(mktemp -d "$HERE/.pkg-build.XXXXXX")"
trap 'rm -rf "$JS_TMP" ${TMP:+"$TMP"}' EXIT
echo "== shared JavaScript layer -> pkg/api.mjs (bindings-node/scripts/build-js.mjs)"
node "$ROOT/bindings-node/scripts/build-js.mjs" wasm --out "$JS_TMP"
mkdir -p "$HERE/pkg/lib"
for f in api.mjs events.d.ts event-builder.mjs; do
  mv -f "$JS_TMP/$f" "$HERE/pkg/$f"
done
for f in "$JS_TMP"/lib/*.d.ts; do
  mv -f "$f" "$HERE/pkg/lib/"
done

RAW_SIZE=$(wc -c <"$WASM")
GZ_SIZE=$(gzip -9 -c "$WASM" | wc -c)
echo "== built pkg/primevox_webhooks_wasm_bg.wasm: $RAW_SIZE bytes raw, $GZ_SIZE bytes gzip -9"
