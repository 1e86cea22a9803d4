#!/usr/bin/env bash
# Builds the release worker into build/. wrangler runs this as its [build] command at every start
# (twice under `wrangler dev`), so it does nothing when build/ is newer than every input.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PANDA_ROOT"

# The static files the worker bundle carries (src/shell/entry.mjs serves them): the API reference
# page at /docs, made of docs/site and Swagger UI from node_modules/swagger-ui-dist (no CDN), the
# insights page at /insights (insights/), and the OpenAPI document at /openapi.json. Assembled afresh each time (a few MB, well under a second) and
# swapped in only when something differs, so a running `wrangler dev` sees no change when there is none.
static_files() {
  local ui=node_modules/swagger-ui-dist
  [ -f "$ui/swagger-ui-bundle.js" ] \
    || { echo "build: $ui is missing: run 'bash scripts/setup.sh' first" >&2; exit 1; }
  mkdir -p build
  local tmp
  tmp="$(mktemp -d build/.static.XXXXXX)"
  mkdir -p "$tmp/docs/swagger-ui"
  cp docs/openapi.json "$tmp/openapi.json"
  cp docs/site/* "$tmp/docs/"
  mkdir -p "$tmp/insights"
  cp insights/* "$tmp/insights/"
  cp "$ui"/{swagger-ui.css,swagger-ui-bundle.js,swagger-ui-bundle.js.LICENSE.txt,favicon-16x16.png,favicon-32x32.png,LICENSE,NOTICE} \
    "$tmp/docs/swagger-ui/"
  chmod 755 "$tmp"
  if diff -r -q "$tmp" build/static >/dev/null 2>&1; then
    rm -rf "$tmp"
  else
    rm -rf build/static
    mv "$tmp" build/static
  fi
}

# `build.sh static`: only the static files, for the native server (scripts/serve-native.sh).
if [ "${1:-}" = static ]; then
  static_files
  exit 0
fi

out=build/index_bg.wasm
if [ -f "$out" ] && [ -f build/worker/shim.mjs ] \
  && [ -z "$(find src locales Cargo.toml Cargo.lock -newer "$out" ! -name entry.mjs -print -quit)" ]; then
  static_files
  exit 0
fi
worker-build --release
touch "$out"
# After worker-build, which replaces the entries of build/ that it makes (build/static is not one).
static_files
