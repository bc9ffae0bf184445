#!/usr/bin/env bash
# noVNC's web client (vnc.html, vnc_lite.html, vnc_auto.html and its scripts) from Debian's `novnc` package, for the
# noVNC proxy's tests and tempest's graphical console test (Anvil serves it as Ironic's novncproxy serves
# /usr/share/novnc). Only the package's files are unpacked, under .tmp/novnc: its dependencies (Debian's nodejs,
# websockify, numpy) are not needed to serve the page.
#
# Usage: scripts/services/novnc.sh start|stop|env
#   start  apt-get download novnc and unpack it when missing (idempotent)
#   stop   nothing to stop
#   env    ANVIL_TEST_NOVNC_WEB=<dir with vnc_auto.html> when unpacked
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="${ANVIL_TMP:-$root/.tmp}/novnc"
web="$dir/root/usr/share/novnc"

installed() { [ -f "$web/vnc_lite.html" ] && [ -e "$web/vnc_auto.html" ] && [ -d "$web/core" ]; }

case "${1:-}" in
  start)
    installed && exit 0
    mkdir -p "$dir/deb"
    rm -f "$dir"/deb/novnc_*.deb
    # apt-get download runs as _apt when it can; the folder must be writable for it
    chmod 0777 "$dir/deb"
    (cd "$dir/deb" && { apt-get download -q novnc >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get download -q novnc >/dev/null; }; })
    deb=$(ls "$dir"/deb/novnc_*.deb 2>/dev/null | head -1)
    [ -n "$deb" ] || { echo "novnc.sh: apt-get download novnc produced no package" >&2; exit 1; }
    rm -rf "$dir/root"
    dpkg-deb -x "$deb" "$dir/root"
    installed || { echo "novnc.sh: $deb has no vnc_lite.html / vnc_auto.html under usr/share/novnc" >&2; exit 1; }
    ;;
  stop) ;;
  env) installed && echo "ANVIL_TEST_NOVNC_WEB=$web" || true ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
