#!/usr/bin/env bash
# Installs what Walletdesk needs on a Debian/Ubuntu machine, skipping what is already there.
#   scripts/setup.sh        build and run the app
#   scripts/setup.sh test   also the end-to-end tools (Xvfb, WebKitWebDriver, tauri-driver)
#                           and the packaging tool (tauri-cli, for scripts/package.sh)
#   scripts/setup.sh package   build and the packaging tool only
# Rust (cargo) must already be installed (rustup); everything else comes from apt, npm, crates.io.
set -euo pipefail
cd "$(dirname "$0")/.."

TAURI_DRIVER_VERSION=2.1.0
# The Tauri CLI ($TAURI_CLI, version in env.sh): the npm build, a prebuilt binary inside the
# registry package, seconds to install (`cargo install tauri-cli` compiles ~600 crates).
source scripts/env.sh
want_test=${1:-}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# libdbus-1-dev: the OS secret store (Secret Service over D-Bus) for the core-bank token; GTK's
# headers bring it in today, listed so that stays true.
packages=(build-essential pkg-config file libssl-dev libxdo-dev libwebkit2gtk-4.1-dev
  libjavascriptcoregtk-4.1-dev libsoup-3.0-dev libgtk-3-dev librsvg2-dev
  libayatana-appindicator3-dev libdbus-1-dev fonts-noto-cjk)
# Read-aloud in the elder setup (issue 13): speech-dispatcher (its `spd-say` client), whose
# espeak-ng module has a Mandarin voice offline (src-tauri/src/speech.rs says why not the
# `tts` crate).
packages+=(speech-dispatcher speech-dispatcher-espeak-ng espeak-ng)
# python3-venv and curl: scripts/contract-fuzz.sh makes a virtual environment for the contract
# fuzzer (Schemathesis, from PyPI) and waits for the sandbox with curl.
# postgresql: team mode's store tests, bench and two-console journey start a real server
# (initdb in a temporary folder, a random port; crates/core/src/team/server.rs).
[ "$want_test" = test ] && packages+=(xvfb xauth webkit2gtk-driver python3-venv curl postgresql)
command -v node >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust with rustup first" >&2; exit 1; }

# npm ci only when the lock file changed since the last install.
lock_hash=$(sha256sum ui/package-lock.json | cut -d' ' -f1)
if [ "$(cat ui/node_modules/.walletdesk-lock 2>/dev/null)" != "$lock_hash" ]; then
  echo "setup: npm ci (ui)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" > ui/node_modules/.walletdesk-lock
fi

if [ "$want_test" = test ] && ! cargo install --list | grep -q "^tauri-driver v$TAURI_DRIVER_VERSION:"; then
  echo "setup: cargo install tauri-driver $TAURI_DRIVER_VERSION"
  cargo install tauri-driver --locked --version "$TAURI_DRIVER_VERSION"
fi

if [ "$want_test" = test ] || [ "$want_test" = package ]; then
  if [ "$("$TAURI_CLI" --version 2>/dev/null)" != "tauri-cli $TAURI_CLI_VERSION" ]; then
    echo "setup: npm install @tauri-apps/cli $TAURI_CLI_VERSION"
    cli_dir=${TAURI_CLI%/node_modules/.bin/tauri}
    mkdir -p "$cli_dir"
    npm install --prefix "$cli_dir" --no-audit --no-fund --loglevel=error \
      "@tauri-apps/cli@$TAURI_CLI_VERSION"
  fi
fi
