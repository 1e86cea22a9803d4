#!/usr/bin/env bash
# Everything CI runs: native tests, wasm tests, then end-to-end tests against `wrangler dev`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PANDA_ROOT"
bash scripts/setup.sh

echo "== native tests (cargo test)"
cargo test

echo "== wasm tests (cargo test --target wasm32-unknown-unknown)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --lib

echo "== end-to-end tests (node --test against wrangler dev)"
bash scripts/build.sh
# One file at a time: each starts its own wrangler dev, and these machines have two cores.
node --test --test-concurrency=1 tests/e2e/

echo "== schema-driven fuzzing (schemathesis against wrangler dev; npm run fuzz for a longer run)"
FUZZ_MAX_EXAMPLES=25 node tests/fuzz/run.mjs
