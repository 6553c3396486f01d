#!/usr/bin/env bash
# The contract under an independent fuzzer: Schemathesis (pinned, from PyPI, in a virtual
# environment this script makes under ~/.cache) generates requests from
# crates/corebank/openapi/v1.json and runs every check it has against the real sandbox binary.
# Fails on any failure: a 5xx, a status, content type, header or body the document does not
# list, valid data refused, invalid data accepted, a rejection that is not problem+json.
#
#   scripts/contract-fuzz.sh            about 2 minutes on 2 cores
#   MAX_EXAMPLES=200 scripts/contract-fuzz.sh   a longer run
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
source scripts/env.sh

SCHEMATHESIS_VERSION=4.32.5
# Cases per operation and phase: bounds the run (test.sh runs this after the Rust tests).
MAX_EXAMPLES=${MAX_EXAMPLES:-30}
# Fixed, so a failure found once is found again; change it to explore.
SEED=${SEED:-2026}
venv="$HOME/.cache/walletdesk-venv"

if ! "$venv/bin/st" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; then
  command -v python3 >/dev/null || { echo "contract-fuzz: python3 not found (scripts/setup.sh test)" >&2; exit 1; }
  echo "contract-fuzz: installing schemathesis $SCHEMATHESIS_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# --workspace: the same feature set as every other build, so nothing shared is rebuilt.
cargo build --workspace --bin sandbox --locked --quiet
sandbox_bin="$CARGO_TARGET_DIR/debug/sandbox"

work=$(mktemp -d)
sandbox_pid=
cleanup() {
  if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

token="contract-fuzz-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# A file store, as a sandbox serving a training room runs; 50 customers keep the seed quick.
WALLETDESK_SANDBOX_TOKEN=$token RUST_LOG=warn "$sandbox_bin" --port "$port" --customers 50 \
  --db "$work/sandbox.sqlite" >"$work/sandbox.out" 2>"$work/sandbox.log" &
sandbox_pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  curl -sf "$url/v1/health" >/dev/null 2>&1 && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.log" >&2; exit 1; }
  sleep 0.1
done

run_st() {
  # positive_data_acceptance is replaced, not dropped: scripts/contract_fuzz_hooks.py runs the
  # same check except for the refusals the contract documents and no JSON Schema can state
  # (above all the Idempotency-Key reuse rule: Schemathesis sends one key with many bodies).
  # From the scratch folder: Schemathesis keeps a cache (.schemathesis/) where it runs.
  (cd "$work" && PYTHONPATH="$repo/scripts" SCHEMATHESIS_HOOKS=contract_fuzz_hooks \
    "$venv/bin/st" --no-color run "$repo/crates/corebank/openapi/v1.json" --url "$url" \
    --header "Authorization: Bearer $token" \
    --checks all --exclude-checks positive_data_acceptance \
    --max-examples "$MAX_EXAMPLES" --seed "$SEED" --workers 1 --request-timeout 10 \
    --generation-database none "$@") 2>&1 | tee -a "$work/st.log"
}

status=0
# The fault endpoint is fuzzed last and alone: what it sets is real (errors, drops, stalls),
# so fuzzing it alongside the rest would make the sandbox fail the other operations on purpose.
run_st --exclude-operation-id setFaults || status=$?
run_st --include-operation-id setFaults || status=$?
# "N generated, M passed" or "N generated, M found F unique failures", once per run.
count() { { grep -Eo "$1" "$work/st.log" || true; } | awk '{ s += $1 } END { print s + 0 }'; }
cases=$(count '[0-9]+ generated')
failures=$(count '[0-9]+ unique failures?')
echo "contract-fuzz: $cases cases, $failures failures (schemathesis $SCHEMATHESIS_VERSION, seed $SEED)"
if [ "$status" -ne 0 ]; then
  echo "contract-fuzz: failures above; the sandbox's log:" >&2
  tail -50 "$work/sandbox.log" >&2
fi
exit "$status"
