#!/usr/bin/env bash
# Real peers for the config drive tests: genisoimage/isoinfo, xorriso, bsdtar, blkid, dosfstools, mtools,
# Debian's cloud-init (its Python API under /usr/bin/python3) and Debian's python3-ironic (whose conductor
# builds the configdrive object form; compared with ours).
#
# Usage: scripts/services/configdrive-tools.sh start|stop|env
#   start  install whatever is missing with apt-get (idempotent; does nothing when all are present)
#   stop   nothing to stop
#   env    ANVIL_TEST_CONFIGDRIVE_TOOLS=1 when every tool is present (the tests require the tools either way)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init configdrive-tools apt-ensure

# command -> Debian package
tools=(genisoimage:genisoimage isoinfo:genisoimage xorriso:xorriso bsdtar:libarchive-tools blkid:util-linux
  fsck.vfat:dosfstools mdir:mtools mcopy:mtools)

missing() { apt_missing "${tools[@]}" -- cloudinit:cloud-init ironic:python3-ironic; }

svc_start() {
  mapfile -t pkgs < <(missing)
  apt_install "$svc.sh" "${pkgs[@]}"
}
svc_env() { [ -z "$(missing)" ] && echo "ANVIL_TEST_CONFIGDRIVE_TOOLS=1" || true; }

service_main "${1:-}"
