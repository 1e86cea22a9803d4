# Sourced by scripts that need a PostgreSQL server: `pg_start` starts a throwaway cluster in a
# temporary folder on a free loopback port and exports PANDA_PG_URL; `pg_stop` stops it and
# deletes the folder. Callers set `trap pg_stop EXIT` so it stops, pass or fail.
# As root, the cluster runs as the `postgres` user (initdb refuses root), which Debian's package makes.

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { printf '%s\n' "$dir"; return; }
  done
  dirname "$(command -v initdb)"
}

pg_start() {
  local bin port as=()
  bin="$(pg_bin)" || { echo "postgres: initdb not found: run 'bash scripts/setup.sh'" >&2; return 1; }
  PANDA_PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/panda-pg.XXXXXX")"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PANDA_PG_DIR"
    as=(runuser -u postgres --)
  fi
  port="$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
  # A linguistic default collation (ICU, en-GB), as a real deployment would have: the schema must
  # not depend on the database's default order (migrations/postgres says why).
  "${as[@]}" "$bin/initdb" -D "$PANDA_PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --locale-provider=icu --icu-locale=en-GB >"$PANDA_PG_DIR/initdb.log" 2>&1 \
    || { cat "$PANDA_PG_DIR/initdb.log" >&2; return 1; }
  # Loopback only, no Unix socket outside the folder, and no durability: a test cluster.
  "${as[@]}" "$bin/pg_ctl" -D "$PANDA_PG_DIR/data" -l "$PANDA_PG_DIR/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $PANDA_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$PANDA_PG_DIR/server.log" >&2; return 1; }
  PANDA_PG_AS=("${as[@]}")
  PANDA_PG_BIN="$bin"
  export PANDA_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "postgres: a throwaway cluster on 127.0.0.1:$port ($("$bin/postgres" --version))"
}

pg_stop() {
  [ -n "${PANDA_PG_DIR:-}" ] || return 0
  "${PANDA_PG_AS[@]}" "$PANDA_PG_BIN/pg_ctl" -D "$PANDA_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PANDA_PG_DIR"
  PANDA_PG_DIR=""
}
