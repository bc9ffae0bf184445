#!/usr/bin/env bash
# The real `openstack` CLI (python-openstackclient with novaclient and glanceclient, Debian bookworm) for
# test/nova/openstack-cli.test.ts, which drives `openstack server …` against Anvil's compute API.
#
# Usage: scripts/services/openstackclient.sh start|stop|env
#   start  apt-get install python3-openstackclient python3-novaclient when missing (idempotent; nothing to run)
#   stop   nothing to stop
#   env    ANVIL_OPENSTACK_CLI=/usr/bin/openstack when it runs
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init openstackclient apt-ensure
missing() { apt_missing openstack:python3-openstackclient -- novaclient:python3-novaclient; }

svc_start() {
  mapfile -t pkgs < <(missing)
  apt_install "$svc.sh" "${pkgs[@]}"
}
svc_env() { [ -z "$(missing)" ] && /usr/bin/openstack --version >/dev/null 2>&1 && echo "ANVIL_OPENSTACK_CLI=/usr/bin/openstack" || true; }

service_main "${1:-}"
