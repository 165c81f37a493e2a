#!/usr/bin/env bash
# Build the primevox-webhooks-wasm package from source into bindings-wasm/pkg/:
#   cargo (wasm32-unknown-unknown, profile wasm-release) -> wasm-bindgen (--target web)
#   -> wasm-opt (npm binaryen) -> pkg/primevox_webhooks_wasm_bg.wasm + glue + events.d.ts.
# Installs what it needs idempotently: the rustup target, wasm-bindgen-cli at the version in
# Cargo.lock under <repo>/.tools (git-ignored), and the npm dev dependencies (npm ci).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
TOOLS="$ROOT/.tools"
PROFILE=wasm-release
cd "$ROOT"

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown

# The CLI must match the wasm-bindgen crate in Cargo.lock exactly (cargo metadata brings the
# lock file up to date first).
cargo metadata --format-version 1 >/dev/null
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$WB_VERSION" ]; then echo "wasm-bindgen not found in Cargo.lock" >&2; exit 1; fi
WASM_BINDGEN="$TOOLS/bin/wasm-bindgen"
if [ ! -x "$WASM_BINDGEN" ] || [ "$("$WASM_BINDGEN" --version | awk '{print $2}')" != "$WB_VERSION" ]; then
  echo "== installing wasm-bindgen-cli $WB_VERSION into $TOOLS (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --root "$TOOLS" --force
fi

cd "$HERE"
if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci (pinned toolchain from package-lock.json)"
  npm ci --no-audit --no-fund
fi

echo "== cargo build --target wasm32-unknown-unknown --profile $PROFILE"
cd "$ROOT"
cargo build -p primevox-webhooks-wasm --target wasm32-unknown-unknown --profile "$PROFILE"
RAW="$ROOT/target/wasm32-unknown-unknown/$PROFILE/primevox_webhooks_wasm.wasm"

echo "== wasm-bindgen $WB_VERSION --target web"
rm -rf "$HERE/pkg"
# --experimental-reset-state-function: __wbg_reset_state() re-instantiates the module after a
# trap, so that one failure never leaves a poisoned instance behind (js/api.js calls it).
"$WASM_BINDGEN" "$RAW" --target web --no-typescript --experimental-reset-state-function --out-dir "$HERE/pkg" --out-name primevox_webhooks_wasm

echo "== wasm-opt -O3 (npm binaryen)"
WASM="$HERE/pkg/primevox_webhooks_wasm_bg.wasm"
"$HERE/node_modules/.bin/wasm-opt" -O3 "$WASM" -o "$WASM.opt"
mv "$WASM.opt" "$WASM"

# The event types come from the core's generated file (one source for every binding).
cp "$ROOT/core/generated/events.d.ts" "$HERE/pkg/events.d.ts"

RAW_SIZE=$(wc -c <"$WASM")
GZ_SIZE=$(gzip -9 -c "$WASM" | wc -c)
echo "== built pkg/primevox_webhooks_wasm_bg.wasm: $RAW_SIZE bytes raw, $GZ_SIZE bytes gzip -9"
