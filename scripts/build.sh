#!/usr/bin/env bash
# Builds the release worker into build/. wrangler runs this as its [build] command at every start
# (twice under `wrangler dev`), so it does nothing when build/ is newer than every input.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PANDA_ROOT"

# The static assets (wrangler.toml [assets], build/assets): the API reference page at /docs, made
# of docs/site and Swagger UI from node_modules/swagger-ui-dist (no CDN). Assembled afresh each time
# (a few MB, well under a second) and swapped in only when something differs, so a running
# `wrangler dev` sees no change when there is none.
assets() {
  local ui=node_modules/swagger-ui-dist
  [ -f "$ui/swagger-ui-bundle.js" ] \
    || { echo "build: $ui is missing: run 'bash scripts/setup.sh' first" >&2; exit 1; }
  mkdir -p build
  local tmp
  tmp="$(mktemp -d build/.assets.XXXXXX)"
  mkdir -p "$tmp/docs/swagger-ui"
  cp docs/site/_headers "$tmp/_headers"
  find docs/site -maxdepth 1 -type f ! -name _headers -exec cp {} "$tmp/docs/" \;
  cp "$ui"/{swagger-ui.css,swagger-ui-bundle.js,swagger-ui-bundle.js.LICENSE.txt,favicon-16x16.png,favicon-32x32.png,LICENSE,NOTICE} \
    "$tmp/docs/swagger-ui/"
  chmod 755 "$tmp"
  if diff -r -q "$tmp" build/assets >/dev/null 2>&1; then
    rm -rf "$tmp"
  else
    rm -rf build/assets
    mv "$tmp" build/assets
  fi
}

out=build/index_bg.wasm
if [ -f "$out" ] && [ -f build/worker/shim.mjs ] \
  && [ -z "$(find src locales Cargo.toml Cargo.lock -newer "$out" -print -quit)" ]; then
  assets
  exit 0
fi
worker-build --release
touch "$out"
# After worker-build, which replaces the entries of build/ that it makes (build/assets is not one).
assets
