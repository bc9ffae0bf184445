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
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init nova apt-ensure
missing() { apt_missing genisoimage:genisoimage -- nova:python3-nova tooz:python3-tooz; }

svc_start() {
  mapfile -t pkgs < <(missing)
  apt_install "$svc.sh" "${pkgs[@]}"
}
svc_env() { [ -z "$(missing)" ] && echo "ANVIL_TEST_NOVA_PYTHON=/usr/bin/python3" || true; }

service_main "${1:-}"
