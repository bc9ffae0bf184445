#!/usr/bin/env bash
# Debian's real Nova (bookworm python3-nova 2:26, Zed) for the tests that load Nova's own code under
# /usr/bin/python3: its Ironic virt driver (test/nova/real-nova/) and tooz's hash ring (test/nova/hash-ring-tooz).
# genisoimage is the config drive builder Nova runs ([DEFAULT]mkisofs_cmd).
#
# Usage: scripts/services/nova.sh start|stop|env
#   start  apt-get install python3-nova genisoimage when missing (idempotent; nothing to run)
#   stop   nothing to stop
#   env    ANVIL_TEST_NOVA_PYTHON=/usr/bin/python3 when Nova's Ironic driver imports
set -euo pipefail
# shellcheck source=lib/apt-ensure.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/apt-ensure.sh"
missing() { apt_missing genisoimage:genisoimage -- nova:python3-nova tooz:python3-tooz; }

case "${1:-}" in
  start)
    mapfile -t pkgs < <(missing)
    apt_install nova.sh "${pkgs[@]}"
    ;;
  stop) ;;
  env) [ -z "$(missing)" ] && echo "ANVIL_TEST_NOVA_PYTHON=/usr/bin/python3" || true ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
