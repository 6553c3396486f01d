#!/usr/bin/env bash
# Measures the app-level quality bars of BRIEF.md on this machine, under Xvfb:
#  - time from process start until the Walletdesk window is mapped (goal < 1 s),
#  - memory of the app and its WebKit processes after 20 s idle on the first screen (goal < 150 MB;
#    the first screen here is first-run setup, nobody signed in: scripts/measure-window.sh signs
#    in and measures the screen after it, and the first paint rather than the window).
# The release build by default (scripts/package.sh); PROFILE=debug for the debug build.
# Needs x11-utils (xwininfo). Prints; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
app="$CARGO_TARGET_DIR/${PROFILE:-release}/walletdesk"
[ -x "$app" ] || { echo "build the app first: scripts/package.sh (release) or scripts/test.sh (debug)" >&2; exit 1; }
runs=${RUNS:-5}

measure_once() {
  local data; data=$(mktemp -d)
  local t0; t0=$(date +%s%N)
  WALLETDESK_DATA_DIR="$data" XDG_DATA_HOME="$data/xdg" RUST_LOG=warn "$app" >/dev/null 2>&1 &
  local pid=$!
  until xwininfo -root -tree 2>/dev/null | grep -q '"Walletdesk'; do sleep 0.01; done
  local t1; t1=$(date +%s%N)
  echo "window shown after $(( (t1 - t0) / 1000000 )) ms"
  if [ "${1:-}" = memory ]; then
    sleep 20
    # PSS counts shared pages once across the app and its WebKit helpers.
    local total=0
    for p in $pid $(pgrep -P "$pid" || true); do
      local kb; kb=$(awk '/^Pss:/ {s+=$2} END {print s+0}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
      echo "  pid $p $(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | cut -c1-60): ${kb} kB PSS"
      total=$((total + kb))
    done
    echo "idle memory (PSS, app + WebKit processes): $((total / 1024)) MB"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}

export -f measure_once
xvfb-run -a -s "-screen 0 1280x800x24" bash -c "
  app='$app'
  $(declare -f measure_once)
  for i in \$(seq 1 $runs); do measure_once; done
  measure_once memory
"
