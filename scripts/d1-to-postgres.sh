#!/usr/bin/env bash
# Moves PANDA's data from D1 to PostgreSQL (README, "Moving the data from D1 to PostgreSQL"):
#   npm run d1:to-postgres -- <export.sql> <postgres://user:password@host:port/database>
# (or DATABASE_URL instead of the second argument). <export.sql> is what
# `npx wrangler d1 export DB --remote --output <export.sql>` wrote. The target is migrated by the
# native server's own migrations, then every table's rows are loaded in one transaction; a target
# that already holds PANDA data is refused and left as it was. Needs psql (the PostgreSQL client).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# The export's path as the caller wrote it: npm runs this from the checkout, and INIT_CWD is where
# `npm run` was typed.
if [ $# -ge 1 ] && [ "${1#/}" = "$1" ]; then
  set -- "${INIT_CWD:-$PWD}/$1" "${@:2}"
fi
cd "$PANDA_ROOT"
command -v psql >/dev/null || { echo "d1-to-postgres: psql is not installed (the PostgreSQL client)" >&2; exit 1; }
# The server binary runs the migrations; built once, then only when the sources change.
cargo build --quiet --profile native --bin panda-server
PANDA_SERVER="$PANDA_ROOT/target/native/panda-server" exec node scripts/load-d1-export.mjs "$@"
