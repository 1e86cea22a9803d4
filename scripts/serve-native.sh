#!/usr/bin/env bash
# Serves PANDA without Cloudflare (README, "Running without Cloudflare"): the native server on
# http://127.0.0.1:${PORT:-8788}, on the SQLite file .panda/panda.sqlite3 unless DATABASE_URL names
# another file (sqlite:path) or a PostgreSQL database (postgres://...). It migrates the database
# at start. The variables are the worker's: wrangler.toml's [vars] unless set, and JWT_SECRET from
# .dev.vars (made by `npm start` or here).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PANDA_ROOT"
bash scripts/setup.sh >/dev/null
bash scripts/build.sh static

if ! grep -qs '^JWT_SECRET=' .dev.vars; then
  umask 077
  echo "JWT_SECRET=$(node -e 'process.stdout.write(require("crypto").randomBytes(48).toString("base64url"))')" >> .dev.vars
  echo "serve-native: wrote a new local JWT_SECRET to .dev.vars"
fi
export JWT_SECRET="${JWT_SECRET:-$(sed -n 's/^JWT_SECRET=//p' .dev.vars | tail -1)}"

# The top-level [vars] of wrangler.toml, for whichever of them the environment does not set.
while IFS='=' read -r name value; do
  name="$(echo "$name" | tr -d ' ')"
  value="$(echo "$value" | sed 's/^ *"//; s/" *$//')"
  [ -n "$name" ] && [ -z "${!name:-}" ] && export "$name=$value"
done < <(awk '/^\[vars\]/ { on = 1; next } /^\[/ { on = 0 } on && /^[A-Z_]+ *=/' wrangler.toml)

cargo build --quiet --profile native --bin panda-server
exec target/native/panda-server
