#!/usr/bin/env bash
# Sets up what is missing, builds, and opens Walletdesk in training mode: the sandbox core bank
# runs inside the app with demo customers, and demo staff are created on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh
(cd ui && npm run build)
"${WALLETDESK_BUILD[@]}"
data_dir="${WALLETDESK_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/com.walletdesk.console}"
if [ -f "$data_dir/training-credentials.txt" ]; then
  echo "Demo staff passwords (training mode): $data_dir/training-credentials.txt"
fi
unset WALLETDESK_CORE_URL   # training mode
exec "$CARGO_TARGET_DIR/debug/walletdesk" "$@"
