# Shared by the scripts: one cargo target folder outside the clone, reused by every build and CI run.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/walletdesk-target}"
export PATH="$HOME/.cargo/bin:$PATH"
