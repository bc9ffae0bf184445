#!/usr/bin/env bash
# Ironic's newest API test suite for test/tempest/tempest-latest.test.ts: PyPI `tempest` and `ironic-tempest-plugin`
# (pinned below; the plugin needs Python >= 3.11) in a venv under .tmp. Installs only; nothing runs between tests
# (the test writes its own tempest workspace). Debian's older suite stays in scripts/services/tempest.sh.
#
# Usage: scripts/services/tempest-latest.sh start|stop|status|env
#   start   create ${ANVIL_TMP:-<repo>/.tmp}/tempest-latest with pip (once; idempotent). Runs nothing.
#   stop    nothing to stop (the venv stays).
#   status  exit 0 when the venv has the pinned versions and they import.
#   env     ANVIL_TEST_TEMPEST_LATEST=<venv> (nothing when not installed).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init tempest-latest pyvenv

TEMPEST_VERSION=47.0.0
PLUGIN_VERSION=3.2.0
venv="$tmp/tempest-latest"

installed() {
  [ -x "$venv/bin/tempest" ] && [ -x "$venv/bin/stestr" ] &&
    [ "$("$venv/bin/python" -c '
from importlib.metadata import version
import tempest, ironic_tempest_plugin, stestr
print(version("tempest"), version("ironic-tempest-plugin"))' 2>/dev/null)" = "$TEMPEST_VERSION $PLUGIN_VERSION" ]
}

install() {
  installed && return 0
  local py
  # shellcheck disable=SC2046
  py=$(pyvenv_pick 'v >= (3, 11)' $(pyvenv_candidates)) ||
    { log "ironic-tempest-plugin $PLUGIN_VERSION needs Python >= 3.11 with the venv module; none found"; exit 1; }
  pyvenv_create "$svc.sh" "$venv" "$py" "$tmp/tempest-latest-pip.log" \
    "tempest==$TEMPEST_VERSION" "ironic-tempest-plugin==$PLUGIN_VERSION" || exit 1
  installed || { log "tempest $TEMPEST_VERSION / ironic-tempest-plugin $PLUGIN_VERSION did not install"; exit 1; }
}

svc_start() { install; }
svc_status() { installed; }
svc_env() { if installed; then echo "ANVIL_TEST_TEMPEST_LATEST=$venv"; fi; }

service_main "${1:-}"
