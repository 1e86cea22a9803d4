#!/usr/bin/env bash
# Installs what PANDA's build needs and is missing, and nothing else. Safe to run any number of
# times: when everything is present it only checks versions and finishes in a second or two.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PANDA_ROOT"

WORKER_BUILD_VERSION=0.8.7

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null && command -v rustup >/dev/null \
  || fail "Rust is missing: install it with rustup (https://rustup.rs), then run this command again."
command -v node >/dev/null && command -v npm >/dev/null \
  || fail "Node.js is missing: install Node.js 20 or newer (https://nodejs.org), then run this command again."
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || fail "Node.js $(node --version) is too old: install Node.js 20 or newer."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown Rust target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(worker-build --version 2>/dev/null | awk '{print $NF}')" != "$WORKER_BUILD_VERSION" ]; then
  say "installing worker-build $WORKER_BUILD_VERSION (a few minutes, once)"
  cargo install worker-build --version "$WORKER_BUILD_VERSION" --locked
fi

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (a few minutes, once)"
  # Not --locked: the CLI's own lockfile names a webpki-roots release that crates.io no longer serves.
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

# Headless Chromium for the browser test of /docs (tests/e2e/docs.test.mjs): Debian's package, driven
# by playwright-core through executablePath. Playwright never downloads a browser of its own here.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
CHROMIUM=/usr/bin/chromium

# Installs Debian package $1, which $2 needs, with apt-get (as root, or with sudo).
apt_install() {
  local package="$1" why="$2" as_root
  command -v apt-get >/dev/null \
    || fail "$package is missing and this machine has no apt-get: install it ($why), then run this command again."
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null; then
    as_root=(sudo)
  else
    fail "$package is missing and installing it needs root: run 'apt-get update && apt-get install -y $package' as root, then run this command again."
  fi
  say "=================================================================================="
  say "$package is missing ($why)."
  say "installing Debian's $package package: apt-get update, then apt-get install -y $package"
  say "(a minute or two, once)"
  say "=================================================================================="
  "${as_root[@]}" apt-get update \
    || fail "'apt-get update' failed, so $package could not be installed: fix apt, then run this command again."
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$package" \
    || fail "'apt-get install -y $package' failed: fix apt, then run this command again."
}

if [ ! -x "$CHROMIUM" ]; then
  apt_install chromium "the browser test of /docs needs it at $CHROMIUM"
  [ -x "$CHROMIUM" ] || fail "Debian's chromium package installed, but $CHROMIUM is still missing."
  say "installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
fi

# PostgreSQL for the native test suite's second run and the native server's tests
# (scripts/postgres.sh starts a throwaway cluster of its own; the package's own cluster is never
# used): Debian's package, of whatever major version the distribution ships (15 or newer).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
  apt_install postgresql "the native tests run on PostgreSQL as well as on SQLite"
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || fail "Debian's postgresql package installed, but initdb is still missing."
  say "installed $(ls -d /usr/lib/postgresql/*/bin | head -1)"
fi

# npm ci only when package-lock.json changed since the last install.
stamp=node_modules/.panda-package-lock.json
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

# schemathesis (PyPI), for the schema-driven fuzz run (tests/fuzz/run.mjs): in a virtual environment
# of the project's own, so nothing is installed into the system's Python.
SCHEMATHESIS_VERSION=4.32.5
if [ "$("$PANDA_ROOT/.venv/bin/st" --version 2>/dev/null | awk '{print $NF}')" != "$SCHEMATHESIS_VERSION" ]; then
  command -v python3 >/dev/null \
    || fail "Python 3 is missing (the fuzz run needs it for schemathesis): install Python 3.10 or newer, then run this command again."
  say "installing schemathesis $SCHEMATHESIS_VERSION into .venv (a minute, once)"
  python3 -m venv "$PANDA_ROOT/.venv"
  "$PANDA_ROOT/.venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
