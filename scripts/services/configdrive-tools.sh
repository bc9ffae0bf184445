#!/usr/bin/env bash
# Real peers for the config drive tests: genisoimage/isoinfo, xorriso, bsdtar, blkid, dosfstools, mtools,
# Debian's cloud-init (its Python API under /usr/bin/python3) and Debian's python3-ironic (whose conductor
# builds the configdrive object form; compared with ours).
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
# find_spec on a top-level package does not import it: fast.
pymod() { /usr/bin/python3 -c "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('$1') else 1)" >/dev/null 2>&1; }
have_cloudinit() { pymod cloudinit; }
have_ironic() { pymod ironic; }

missing() {
  local pkgs=() t
  for t in "${tools[@]}"; do have "${t%%:*}" || pkgs+=("${t#*:}"); done
  have_cloudinit || pkgs+=(cloud-init)
  have_ironic || pkgs+=(python3-ironic)
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
