#!/usr/bin/env bash
# Serves PANDA on http://127.0.0.1:${PORT:-8787} with a local D1 that persists across restarts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PANDA_ROOT"
bash scripts/setup.sh
bash scripts/build.sh
wrangler d1 migrations apply DB --local

# A random local signing secret for tokens, made once and never committed (.gitignore).
if ! grep -qs '^JWT_SECRET=' .dev.vars; then
  umask 077
  echo "JWT_SECRET=$(node -e 'process.stdout.write(require("crypto").randomBytes(48).toString("base64url"))')" >> .dev.vars
  echo "start: wrote a new local JWT_SECRET to .dev.vars"
fi

# exec: Ctrl-C reaches wrangler directly, and wrangler stops its workerd children.
# --test-scheduled: the cron handler can be run by hand at /__scheduled (README, "The sweep").
exec wrangler dev --ip 127.0.0.1 --port "${PORT:-8787}" --test-scheduled
