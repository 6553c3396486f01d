#!/usr/bin/env bash
# Builds the installable release with `tauri build`: the release binary (profile.release in
# Cargo.toml) with the built UI inside, and the Debian package around it, with the icons, the
# desktop entry and the runtime Depends of src-tauri/tauri.conf.json ("bundle").
#   scripts/package.sh     prints the path and size of the .deb
# The release build goes to $CARGO_TARGET_DIR/release, outside the clone, beside the debug one.
#
# No AppImage: Tauri's AppImage bundler downloads linuxdeploy, its GTK plugin and the AppImage
# runtime from GitHub at bundle time, which this project's machines and CI cannot reach, and
# Debian 12 packages none of them (only libappimage, a library for reading AppImages). The .deb
# is what the supported target (Debian 12 and its derivatives) installs; see docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh package

# One version: the workspace's, which the binary reports (CARGO_PKG_VERSION) and the package
# must carry too.
cargo_version=$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version = "\(.*\)"/\1/p' Cargo.toml)
conf_version=$(sed -n 's/^  "version": "\(.*\)",/\1/p' src-tauri/tauri.conf.json)
if [ "$cargo_version" != "$conf_version" ]; then
  echo "package: version $conf_version in src-tauri/tauri.conf.json, $cargo_version in Cargo.toml" >&2
  exit 1
fi

(cd ui && npm run build)
"$TAURI_CLI" build --ci --bundles deb

deb="$CARGO_TARGET_DIR/release/bundle/deb/Walletdesk_${cargo_version}_amd64.deb"
[ -f "$deb" ] || { echo "package: $deb was not made" >&2; exit 1; }
echo "package: $deb ($(stat -c %s "$deb") bytes)"
