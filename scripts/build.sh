#!/usr/bin/env bash
# Builds the release worker into build/. wrangler runs this as its [build] command at every start
# (twice under `wrangler dev`), so it does nothing when build/ is newer than every input.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PANDA_ROOT"

out=build/index_bg.wasm
if [ -f "$out" ] && [ -f build/worker/shim.mjs ] \
  && [ -z "$(find src locales Cargo.toml Cargo.lock -newer "$out" -print -quit)" ]; then
  exit 0
fi
worker-build --release
touch "$out"
