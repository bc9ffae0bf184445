#!/usr/bin/env bash
# The newest OpenStack Python clients from PyPI (python-ironicclient's `baremetal` CLI and openstacksdk), in a venv
# under .tmp, for the API 1.83+ compatibility tests (children, port names, runbooks). Debian's clients
# (scripts/services/pyclients.sh) stay the ones the older tests use.
#
# Usage: scripts/services/pyclients-latest.sh start|stop|status|env
#   start   create ${ANVIL_TMP:-<repo>/.tmp}/pyclients-latest with pip (once; idempotent). Runs nothing.
#   stop    nothing to stop (the venv stays).
#   env     ANVIL_LATEST_BAREMETAL=<venv>/bin/baremetal and ANVIL_LATEST_PYTHON=<venv>/bin/python.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init pyclients-latest pyvenv
venv="$tmp/pyclients-latest"

installed() {
  [ -x "$venv/bin/baremetal" ] && "$venv/bin/python" -c 'import openstack, ironicclient' >/dev/null 2>&1
}

install() {
  installed && return 0
  local py
  py=$(pyvenv_pick 'v >= (3, 10)' python3 /usr/bin/python3) || { log "a Python >= 3.10 with the venv module is required"; exit 1; }
  pyvenv_create "$svc.sh" "$venv" "$py" "$tmp/pyclients-latest-pip.log" python-ironicclient openstacksdk || exit 1
  installed || { log "the clients did not install"; exit 1; }
}

svc_start() { install; }
svc_status() { installed; }
svc_env() {
  if installed; then
    echo "ANVIL_LATEST_BAREMETAL=$venv/bin/baremetal"
    echo "ANVIL_LATEST_PYTHON=$venv/bin/python"
  fi
}

service_main "${1:-}"
