#!/usr/bin/env bash
# Real peers for the config drive tests: genisoimage/isoinfo, xorriso, bsdtar, blkid, dosfstools, mtools and
# Debian's cloud-init (its Python API under /usr/bin/python3).
#
# Usage: scripts/services/configdrive-tools.sh start|stop|env
#   start  install whatever is missing with apt-get (idempotent; does nothing when all are present)
#   stop   nothing to stop
#   env    ANVIL_TEST_CONFIGDRIVE_TOOLS=1 when every tool is present (the tests then require them)
set -euo pipefail

# command -> Debian package
tools=(genisoimage:genisoimage isoinfo:genisoimage xorriso:xorriso bsdtar:libarchive-tools blkid:util-linux
  fsck.vfat:dosfstools mdir:mtools mcopy:mtools)

have() { PATH="$PATH:/usr/sbin:/sbin" command -v "$1" >/dev/null 2>&1; }
have_cloudinit() { /usr/bin/python3 -c 'import cloudinit.sources.helpers.openstack' >/dev/null 2>&1; }

missing() {
  local pkgs=() t
  for t in "${tools[@]}"; do have "${t%%:*}" || pkgs+=("${t#*:}"); done
  have_cloudinit || pkgs+=(cloud-init)
  [ ${#pkgs[@]} -gt 0 ] && printf '%s\n' "${pkgs[@]}" | sort -u
  return 0
}

case "${1:-}" in
  start)
    mapfile -t pkgs < <(missing)
    [ ${#pkgs[@]} -eq 0 ] && exit 0
    if [ "$(id -u)" != 0 ]; then echo "configdrive-tools.sh: missing ${pkgs[*]} (need root to apt-get install)" >&2; exit 1; fi
    echo "configdrive-tools.sh: installing ${pkgs[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null; }
    ;;
  stop) ;;
  env) [ -z "$(missing)" ] && echo "ANVIL_TEST_CONFIGDRIVE_TOOLS=1" || true ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
