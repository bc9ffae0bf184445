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
# shellcheck source=lib/apt-ensure.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/apt-ensure.sh"

installed() {
  [ -x /usr/bin/tempest ] && [ -x /usr/bin/stestr ] &&
    /usr/bin/python3 -c 'import tempest, ironic_tempest_plugin, stestr' >/dev/null 2>&1
}

case "${1:-}" in
  start) installed || apt_install tempest.sh tempest ironic-tempest-plugin python3-stestr ;;
  stop) : ;;
  status) installed ;;
  env) if installed; then echo "ANVIL_TEST_TEMPEST=/usr/bin/tempest"; fi ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
