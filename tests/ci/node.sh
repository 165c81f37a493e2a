#!/usr/bin/env bash
# Node: install bindings-node (npm ci, lockfile committed), build the native addon from source
# (napi-rs CLI, release), type-check the TypeScript examples with tsc --strict, then run the one
# JS suite (tests/js, PRIMEVOX_IMPL=native) including the Node receiver tests. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
node --version

echo "--- bindings-node: npm ci + build the addon from source"
(cd bindings-node && npm ci && npm run build)

echo "--- examples/node: npm ci + tsc --strict --noEmit"
(cd examples/node && npm ci && npx tsc -p tsconfig.json)

echo "--- tests/js (PRIMEVOX_IMPL=native)"
(cd tests/js && npm ci)
cd tests/js
PRIMEVOX_IMPL=native node --test --test-concurrency=1 --test-timeout=300000 \
    *.test.mjs native/*.test.mjs
