# Sourced by every script: where the build tools are, and wrangler kept offline and quiet.
# worker-build would otherwise download wasm-bindgen and wasm-opt, which these machines cannot reach.
PANDA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PANDA_ROOT/node_modules/.bin:$PATH"
export WASM_BINDGEN_BIN="$HOME/.cargo/bin/wasm-bindgen"
export WASM_OPT_BIN="$PANDA_ROOT/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$PANDA_ROOT/node_modules/.bin/esbuild"
export WRANGLER_SEND_METRICS=false
export WRANGLER_SEND_ERROR_REPORTS=false
export WRANGLER_HIDE_BANNER=true
export CLOUDFLARE_CF_FETCH_ENABLED=false
