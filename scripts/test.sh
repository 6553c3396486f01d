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
# Counted for the closing summary only; each test step already failed on any failing test.
count_passed() {
  sed 's/\x1b\[[0-9;]*m//g' "$1" | awk -v re="$2" '
    { while (match($0, re)) { m = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); s += m
                              $0 = substr($0, RSTART + RLENGTH) } }
    END { print s + 0 }'
}
step "clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
# Everything is built once, with one feature set (the command in env.sh, which run.sh uses too).
step "build (all targets)" "${WALLETDESK_BUILD[@]}"
# Vitest runs the UI against the real core: it starts the dev server binary built just above.
ui_log=$(mktemp)
step "ui: component tests (vitest, on the dev server)" bash -c "set -o pipefail; cd ui && npm test 2>&1 | tee '$ui_log'"
ui_passed=$(count_passed "$ui_log" 'Tests +[0-9]+ passed')
rust_log=$(mktemp)
step "rust tests, end-to-end included (real window under Xvfb)" bash -c \
  "set -o pipefail; RUST_BACKTRACE=0 xvfb-run -a -s '-screen 0 1280x800x24' cargo test --workspace --locked 2>&1 | tee '$rust_log'"
rust_passed=$(count_passed "$rust_log" 'test result: ok[.] [0-9]+ passed')
fuzz_log=$(mktemp)
step "contract fuzz (Schemathesis against the sandbox binary)" bash -c \
  "set -o pipefail; scripts/contract-fuzz.sh 2>&1 | tee '$fuzz_log'"
# The installable release: a release build (cold, the longest step of a first run) and the .deb.
# Its size is the BRIEF's bar (installer under 20 MB).
deb_log=$(mktemp)
step "package (.deb, release build)" bash -c "set -o pipefail; scripts/package.sh 2>&1 | tee '$deb_log'"
deb_bytes=$(sed -n 's/^package: .*\.deb (\([0-9]*\) bytes)$/\1/p' "$deb_log")
[ -n "$deb_bytes" ] || { echo "the .deb was not made" >&2; exit 1; }
echo "installer: .deb $((deb_bytes / 1024)) KiB (goal < 20 MB)"
[ "$deb_bytes" -lt $((20 * 1024 * 1024)) ] || { echo "the .deb is over 20 MB" >&2; exit 1; }
echo "all checks passed in $((SECONDS - started)) s"
echo "tests: $((rust_passed + ui_passed)) passed, 0 failed"
grep -E '^contract-fuzz: ' "$fuzz_log" || true
