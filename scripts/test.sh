#!/usr/bin/env bash
# Sets up what is missing and runs every check: formatting, lints, Rust tests, UI type-check,
# lint and component tests, then the end-to-end suite on the real app window under Xvfb.
# Fails on the first failing step.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
started=$SECONDS
step() {
  local name=$1; shift
  local t=$SECONDS
  echo "::: $name"
  "$@"
  echo "::: $name: ok ($((SECONDS - t)) s)"
}

step "setup" scripts/setup.sh test
step "rustfmt" cargo fmt --all --check
# The app embeds the built UI at compile time, so the UI is built before any Rust that needs it.
step "ui: type-check and build" bash -c 'cd ui && npm run build'
step "ui: eslint" bash -c 'cd ui && npm run lint'
step "ui: component tests (vitest)" bash -c 'cd ui && npm test'
step "clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
step "rust tests" cargo test --workspace --exclude walletdesk-e2e --locked
step "app build" cargo build -p walletdesk-app --locked
step "end-to-end (real window, Xvfb)" \
  env RUST_BACKTRACE=0 xvfb-run -a -s "-screen 0 1280x800x24" cargo test -p walletdesk-e2e --locked -- --test-threads=1
echo "all checks passed in $((SECONDS - started)) s"
