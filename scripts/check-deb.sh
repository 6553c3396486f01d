#!/usr/bin/env bash
# Checks that the .deb from scripts/package.sh installs on a clean Debian 12 and starts:
#  1. makes a throwaway Debian 12 root with mmdebstrap from the Debian mirror (apt only, no
#     desktop, no X server, no WebKit),
#  2. installs the .deb into it with apt, which must pull every library the app needs from
#     the package's Depends (nothing else is installed in the root),
#  3. starts /usr/bin/walletdesk inside it (chroot, its own mount namespace) in training mode
#     with WALLETDESK_DATA_DIR in a temp folder, drawing on an Xvfb display of this machine,
#  4. checks that the window "Walletdesk 钱包服务台" is mapped, that the app and its WebKit web
#     process are still running 15 s later, and that the window holds a painted page (a
#     screenshot with more than a handful of colours, not a blank or an error dialog); the
#     screenshot is kept as check-deb.png beside the .deb.
# Needs root (chroot, mounts), mmdebstrap, Xvfb, x11-utils, x11-apps and imagemagick (installed
# here when missing; /usr/bin/convert by name, as another `convert` may come first in PATH). Takes about 3 minutes, most of it downloading Debian packages; not run in
# CI for that reason (docs/performance.md, "Installer").
#   scripts/check-deb.sh [path/to/walletdesk.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

deb=${1:-$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb 2>/dev/null | head -1)}
[ -f "$deb" ] || { echo "check-deb: no .deb; run scripts/package.sh first" >&2; exit 1; }
deb=$(realpath "$deb")
[ "$(id -u)" -eq 0 ] || { echo "check-deb: needs root (chroot and mounts)" >&2; exit 1; }

tools=(mmdebstrap xvfb xauth x11-utils x11-apps imagemagick)
missing=()
for p in "${tools[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

started=$SECONDS
root=$(mktemp -d /var/tmp/walletdesk-deb12.XXXXXX)
trap 'rm -rf --one-file-system "$root"' EXIT

echo "check-deb: Debian 12 root in $root"
mmdebstrap --quiet --variant=apt bookworm "$root" \
  "deb http://deb.debian.org/debian bookworm main" \
  "deb http://deb.debian.org/debian bookworm-updates main" \
  "deb http://deb.debian.org/debian-security bookworm-security main"
echo "check-deb: root made ($((SECONDS - started)) s)"

cp "$deb" "$root/tmp/walletdesk.deb"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# mmdebstrap leaves no package lists behind.
chroot "$root" apt-get update -qq
# apt installs the package and its Depends, and nothing recommended: what a minimal machine gets.
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  /tmp/walletdesk.deb >"$root/tmp/apt.log" 2>&1 || { tail -30 "$root/tmp/apt.log"; exit 1; }
echo "check-deb: installed with $(grep -c '^Setting up' "$root/tmp/apt.log") packages" \
  "($((SECONDS - started)) s); $(du -sh "$root" | cut -f1) root"
chroot "$root" dpkg -s walletdesk | grep -E '^(Version|Depends|Installed-Size):'
[ -x "$root/usr/bin/walletdesk" ] || { echo "check-deb: /usr/bin/walletdesk missing" >&2; exit 1; }
[ -f "$root/usr/share/applications/Walletdesk.desktop" ] ||
  { echo "check-deb: desktop entry missing" >&2; exit 1; }
# Every shared library the binary links resolves inside the clean root.
if chroot "$root" ldd /usr/bin/walletdesk | grep 'not found'; then
  echo "check-deb: libraries missing from the package's Depends" >&2; exit 1
fi

out=$(dirname "$deb")
# The app runs in the root, in a mount namespace of its own (proc, dev and the X socket mounted
# there vanish with it); the X server and the checks run outside.
# Its own PID namespace too: killing unshare (--kill-child) ends the app and its WebKit helpers.
run_in_root() {
  exec unshare --mount --pid --fork --kill-child bash -c '
    set -e
    root=$1
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs tmpfs "$root/dev/shm"
    mount --rbind /sys "$root/sys"
    mkdir -p "$root/tmp/.X11-unix"
    mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"
    cp "$XAUTHORITY" "$root/tmp/xauth"
    exec chroot "$root" env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 \
      DISPLAY="$DISPLAY" XAUTHORITY=/tmp/xauth WALLETDESK_DATA_DIR=/tmp/walletdesk-data \
      RUST_LOG=info /usr/bin/walletdesk' _ "$root"
}

check_window() {
  local t0=$SECONDS
  run_in_root >"$out/check-deb.log" 2>&1 &
  local app=$!
  local shown=""
  for _ in $(seq 1 600); do
    if xwininfo -root -tree 2>/dev/null | grep -q '"Walletdesk'; then shown=yes; break; fi
    kill -0 "$app" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$shown" ] || { cat "$out/check-deb.log"; echo "check-deb: no window" >&2; return 1; }
  echo "check-deb: window shown after $((SECONDS - t0)) s"
  sleep 15
  kill -0 "$app" 2>/dev/null || { cat "$out/check-deb.log"; echo "check-deb: the app exited" >&2; return 1; }
  local web=""
  for p in $(pgrep -f WebKitWebProcess || true); do
    [ "$(readlink "/proc/$p/root" 2>/dev/null)" = "$root" ] && web=$p
  done
  [ -n "$web" ] || { echo "check-deb: no WebKit web process in the root" >&2; return 1; }
  xwd -root -silent | /usr/bin/convert xwd:- "$out/check-deb.png"
  local colours; colours=$(/usr/bin/convert "$out/check-deb.png" -format %k info:)
  echo "check-deb: screenshot $out/check-deb.png, $colours colours"
  # unshare ignores SIGTERM while it waits for its child: KILL it, and --kill-child ends the rest.
  kill -KILL "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  [ "$colours" -gt 16 ] || { echo "check-deb: the window shows nothing" >&2; return 1; }
  grep -q 'training mode: sandbox core bank started' "$out/check-deb.log" ||
    { cat "$out/check-deb.log"; echo "check-deb: the app did not start its training core" >&2; return 1; }
}
# xvfb-run is a POSIX sh script, which drops exported bash functions: they go in the command.
export root out
xvfb-run -a -s "-screen 0 1280x800x24" bash -c "set -euo pipefail; $(declare -f run_in_root check_window); check_window"
echo "check-deb: ok, $(basename "$deb") installs on a clean Debian 12 and starts ($((SECONDS - started)) s)"
