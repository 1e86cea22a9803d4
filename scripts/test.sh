#!/usr/bin/env bash
# Everything CI runs: native tests on SQLite and PostgreSQL, wasm tests, end-to-end tests against
# `wrangler dev` and the native server, a D1 export moved to PostgreSQL, then a short fuzz run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PANDA_ROOT"
bash scripts/setup.sh

echo "== native tests on SQLite (cargo test)"
cargo test

# The same suite on a real PostgreSQL server: a throwaway cluster in a temporary folder on a free
# loopback port, stopped (and deleted) on the way out, pass or fail.
source scripts/postgres.sh
trap pg_stop EXIT
pg_start
echo "== native tests on PostgreSQL (cargo test, PANDA_TEST_POSTGRES)"
PANDA_TEST_POSTGRES="$PANDA_PG_URL" cargo test

echo "== wasm tests (cargo test --target wasm32-unknown-unknown)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --lib

echo "== the insights page's arithmetic and texts (node --test tests/insights/)"
node --test tests/insights/

echo "== end-to-end tests (node --test against wrangler dev)"
bash scripts/build.sh
# One file at a time: each starts its own wrangler dev, and these machines have two cores.
node --test --test-concurrency=1 tests/e2e/

echo "== end-to-end API, auth, concurrency and insights page tests against the native server, on SQLite and on PostgreSQL"
cargo build --quiet --profile native --bin panda-server
bash scripts/build.sh static
native_e2e=(tests/e2e/api.test.mjs tests/e2e/auth.test.mjs tests/e2e/concurrency.test.mjs tests/e2e/insights.test.mjs)
PANDA_E2E_SERVER=native node --test --test-concurrency=1 "${native_e2e[@]}"
PANDA_E2E_SERVER=native PANDA_E2E_POSTGRES="$PANDA_PG_URL" node --test --test-concurrency=1 "${native_e2e[@]}"

echo "== moving the data from D1 to PostgreSQL (wrangler d1 export, scripts/d1-to-postgres.sh, both servers compared)"
node --test tests/tools/
PANDA_E2E_POSTGRES="$PANDA_PG_URL" node --test tests/e2e/d1-to-postgres.test.mjs

echo "== schema-driven fuzzing (schemathesis against wrangler dev; npm run fuzz for a longer run)"
FUZZ_MAX_EXAMPLES=25 node tests/fuzz/run.mjs
