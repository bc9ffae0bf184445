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
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init novnc
dir="$tmp/novnc"
web="$dir/root/usr/share/novnc"

installed() { [ -f "$web/vnc_lite.html" ] && [ -e "$web/vnc_auto.html" ] && [ -d "$web/core" ]; }

svc_start() {
  installed && return 0
  mkdir -p "$dir/deb"
  rm -f "$dir"/deb/novnc_*.deb
  # apt-get download runs as _apt when it can; the folder must be writable for it
  chmod 0777 "$dir/deb"
  (cd "$dir/deb" && { apt-get download -q novnc >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get download -q novnc >/dev/null; }; })
  local deb
  deb=$(ls "$dir"/deb/novnc_*.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || { log "apt-get download novnc produced no package"; exit 1; }
  rm -rf "$dir/root"
  dpkg-deb -x "$deb" "$dir/root"
  installed || { log "$deb has no vnc_lite.html / vnc_auto.html under usr/share/novnc"; exit 1; }
}
svc_env() { installed && echo "ANVIL_TEST_NOVNC_WEB=$web" || true; }

service_main "${1:-}"
