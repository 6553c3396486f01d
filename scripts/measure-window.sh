#!/usr/bin/env bash
# Measures the app's quality bars in the real window of the release build, under Xvfb 1280x800,
# driven over WebDriver (the end-to-end harness, tests/measure/window.rs):
#  - first paint: process start to the page's first contentful paint (goal < 1 s),
#  - idle memory: PSS of the app + its WebKit processes, 20 s on the first screen after
#    sign-in (goal < 150 MB),
#  - keystroke to paint on customer search over 1,000,000 customers in the read model: input
#    event to the first frame after the hits are in the DOM, p50/p95/max (goal p95 < 16 ms).
# Prints; asserts nothing; not in CI (about 5 minutes, most of it seeding the million rows).
#   scripts/package.sh && scripts/measure-window.sh
#   MEASURE_CUSTOMERS=0 scripts/measure-window.sh     keys over the training data only (no seed)
#   MEASURE_KEYS=0 ...                                 first paint and memory only
#   MEASURE_KEYS=100 ...                               more keystrokes (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
app="${WALLETDESK_APP_BIN:-$CARGO_TARGET_DIR/release/walletdesk}"
[ -x "$app" ] || { echo "build the release first: scripts/package.sh" >&2; exit 1; }
scripts/setup.sh test
# The measuring program is an example of the end-to-end package, built by the one debug build.
"${WALLETDESK_BUILD[@]}"
WALLETDESK_APP_BIN="$app" xvfb-run -a -s "-screen 0 1280x800x24" \
  "$CARGO_TARGET_DIR/debug/examples/measure-window"
