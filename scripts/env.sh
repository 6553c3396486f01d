# Shared by the scripts: one cargo target folder outside the clone, reused by every build and CI run.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/walletdesk-target}"
export PATH="$HOME/.cargo/bin:$PATH"
# The one debug build, run by scripts/test.sh and scripts/run.sh alike. Selecting one package
# (-p walletdesk-app) or leaving out the test targets resolves features differently and rebuilt
# the shared dependencies (4 min 24 s after a test run); the same command is a no-op instead.
WALLETDESK_BUILD=(cargo build --workspace --all-targets --locked)
# The Tauri CLI that bundles the release (scripts/package.sh; installed by scripts/setup.sh from
# npm, a prebuilt binary inside the registry package), same minor version as the tauri crate.
export TAURI_CLI_VERSION=2.12.6
export TAURI_CLI="$HOME/.cache/walletdesk-tools/tauri-cli-$TAURI_CLI_VERSION/node_modules/.bin/tauri"
