#!/usr/bin/env bash
# Manages staff accounts with a wrangler D1 command, or with --native on the native server's
# database (DATABASE_URL, else .panda/panda.sqlite3; README, "Running without Cloudflare"):
#   npm run user:add    -- <username> [--remote] [--env NAME] [--persist-to DIR] [--native]
#   npm run user:passwd -- <username> [...]     npm run user:remove  -- <username> [...]
#   npm run user:disable -- <username> [...]    npm run user:enable  -- <username> [...]
# The password (add, passwd) comes from PANDA_PASSWORD, or is asked for without echo. It is hashed
# on this machine (argon2id); only the hash reaches the database. Local D1 unless --remote.
# The audit trail records the change as admin:<PANDA_ADMIN>, by default your login name.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PANDA_ROOT"

die() { printf 'user: %s\n' "$*" >&2; exit 1; }

action="${1:-}"; shift || true
case "$action" in add|passwd|remove|disable|enable) ;; *) die "usage: user.sh add|passwd|remove|disable|enable <username> [--remote] [--env NAME] [--persist-to DIR]";; esac

username=""
native=""
where=(--local)
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --remote) where=(--remote) ;;
    --local) where=(--local) ;;
    --native) native=1 ;;
    --env|--persist-to) [ $# -ge 2 ] || die "$1 needs a value"; extra+=("$1" "$2"); shift ;;
    -*) die "unknown option $1" ;;
    *) [ -z "$username" ] || die "one username at a time"; username="$1" ;;
  esac
  shift
done
[ -n "$username" ] || die "which username?"

password=""
if [ "$action" = add ] || [ "$action" = passwd ]; then
  password="${PANDA_PASSWORD:-}"
  if [ -z "$password" ]; then
    [ -t 0 ] || die "set PANDA_PASSWORD, or run this in a terminal to be asked for the password"
    read -rsp "Password for $username: " password; echo
    read -rsp "Same password again: " again; echo
    [ "$password" = "$again" ] || die "the two passwords differ; nothing changed"
  fi
fi

export PANDA_ADMIN="${PANDA_ADMIN:-${USER:-$(id -un)}}"
if [ -n "$native" ]; then
  # The tool runs the change itself, on the database the native server uses.
  status=0
  printf '%s' "$password" | cargo run --quiet --profile tool --bin panda-user -- "$action" "$username" \
    --database "${DATABASE_URL:-sqlite:.panda/panda.sqlite3}" || status=$?
  case "$status" in
    0) ;;
    3) die "no user named $username; nothing changed" ;;
    4) die "a user named $username already exists (usernames ignore case)" ;;
    *) die "the change failed (above); nothing changed" ;;
  esac
else
  sql="$(printf '%s' "$password" | cargo run --quiet --profile tool --bin panda-user -- "$action" "$username")"
  if ! result="$(wrangler d1 execute DB "${where[@]}" "${extra[@]}" --json --command "$sql" 2>&1)"; then
    case "$result" in
      *"UNIQUE constraint failed: users.username"*) die "a user named $username already exists (usernames ignore case)" ;;
      *) die "wrangler d1 execute failed: $result" ;;
    esac
  fi
  # The change (the second of its three statements) returns the username it touched; no row means
  # there was no such user.
  touched="$(node -e 'const r = JSON.parse(process.argv[1]); process.stdout.write(String(r[1].results.length))' "$result")"
  [ "$touched" -ge 1 ] || die "no user named $username; nothing changed"
fi
case "$action" in
  add) echo "user: added $username" ;;
  passwd) echo "user: changed the password of $username (their existing tokens stop working)" ;;
  remove) echo "user: removed $username (their existing tokens stop working)" ;;
  disable) echo "user: disabled $username (their existing tokens stop working)" ;;
  enable) echo "user: enabled $username" ;;
esac
