#!/usr/bin/env bash
# Rust: formatting, clippy (every crate, warnings are errors), core and CLI tests, rustdoc.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
# The core's optional features (serde, axum: core/tests/serde.rs, core/tests/axum.rs).
cargo clippy -p primevox-webhooks --all-targets --features serde,axum --locked -- -D warnings
# The load harness's axum receiver (bench/src/bin/pvload_axum.rs) builds only with this feature.
cargo clippy -p primevox-webhooks-bench --all-targets --features axum --locked -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc -p primevox-webhooks --no-deps --locked --quiet
# One test run with the core's optional features on (the default build is checked by clippy).
cargo test -p primevox-webhooks -p primevox-webhooks-cli \
  --features primevox-webhooks/serde,primevox-webhooks/axum --locked
