#!/usr/bin/env bash
# WebAssembly / Cloudflare Workers package (bindings-wasm): build from source, then
#   1. clippy + rustfmt on the wasm crate,
#   2. tsc --strict --noEmit over the example Worker, every TypeScript block of the README and type checks
#      of the package's .d.ts,
#   3. every shared vector + the receivers inside workerd (@cloudflare/vitest-pool-workers),
#   4. the example Worker and the Durable Object calls example (example-calls/) under `wrangler dev`
#      on 127.0.0.1, real HTTP POSTs,
#   5. a million parses with flat memory, and the shared JavaScript suite (tests/js) with
#      PRIMEVOX_IMPL=wasm (the package's Node entry),
#   6. the .wasm size, raw and gzipped.
# Installs what it needs idempotently (rustup target, wasm-bindgen-cli under ~/.cache/primevox-webhooks/tools, npm ci).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PKG="$ROOT/bindings-wasm"
export WRANGLER_SEND_METRICS=false
export NO_COLOR=1

bash "$PKG/build.sh"

echo "== clippy / rustfmt (primevox-webhooks-wasm)"
cd "$ROOT"
cargo clippy -q -p primevox-webhooks-wasm --target wasm32-unknown-unknown --profile wasm-release -- -D warnings
rustfmt --check --edition 2021 "$PKG"/src/*.rs

cd "$PKG"
echo "== tsc --strict --noEmit (example Worker against the package's types)"
node_modules/.bin/tsc -p example-worker/tsconfig.json --strict --noEmit
node_modules/.bin/tsc -p example-calls/tsconfig.json --strict --noEmit
node test/types/readme-blocks.mjs
node_modules/.bin/tsc -p test/types/tsconfig.json --strict --noEmit
node_modules/.bin/tsc -p test/types-workers/tsconfig.json --strict --noEmit

echo "== vectors and receivers inside workerd (vitest-pool-workers)"
node_modules/.bin/vitest run

echo "== example Worker under wrangler dev on 127.0.0.1"
node --test --test-reporter=spec test/http/

echo "== a million parses through the Node entry: memory stays flat"
node --expose-gc --test --test-reporter=spec test/node/

echo "== shared JavaScript suite, PRIMEVOX_IMPL=wasm"
cd "$ROOT/tests/js"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
PRIMEVOX_IMPL=wasm node --test --test-concurrency=1 --test-reporter=dot ./*.test.mjs

echo "== size"
WASM="$PKG/pkg/primevox_webhooks_wasm_bg.wasm"
RAW=$(wc -c <"$WASM")
GZ=$(gzip -9 -c "$WASM" | wc -c)
echo "primevox_webhooks_wasm_bg.wasm: $RAW bytes raw, $GZ bytes gzip -9"
if [ "$GZ" -ge 153600 ]; then
  echo "the .wasm is over the 150 KB gzipped budget" >&2
  exit 1
fi
