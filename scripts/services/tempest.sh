#!/usr/bin/env bash
# Ironic's own API test suite for test/tempest: Debian's `tempest` (33) and `ironic-tempest-plugin` (2.5.0), run
# under /usr/bin/python3. Installs only; nothing runs between tests (the test writes its own tempest workspace).
#
# Usage: scripts/services/tempest.sh start|stop|status|env
#   start   apt-get install tempest ironic-tempest-plugin when missing (root). Idempotent.
#   stop    nothing to stop (installed packages stay).
#   status  exit 0 when tempest, the plugin and stestr import.
#   env     ANVIL_TEST_TEMPEST=/usr/bin/tempest (nothing when not installed).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init tempest apt-ensure

installed() {
  [ -x /usr/bin/tempest ] && [ -x /usr/bin/stestr ] &&
    /usr/bin/python3 -c 'import tempest, ironic_tempest_plugin, stestr' >/dev/null 2>&1
}

svc_start() { installed || apt_install "$svc.sh" tempest ironic-tempest-plugin python3-stestr; }
svc_status() { installed; }
svc_env() { if installed; then echo "ANVIL_TEST_TEMPEST=/usr/bin/tempest"; fi; }

service_main "${1:-}"
