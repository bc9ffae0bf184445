#!/usr/bin/env bash
# Redfish peers for the redfish tests and bench: OpenStack's sushy-tools (sushy-emulator with its --fake systems
# driver, no libvirt; sushy-static for DMTF-style mockups) and the Python `sushy` client (the bench baseline),
# from PyPI into a venv under .tmp/sushy. Tests start their own emulators on 127.0.0.1 free ports
# (test/redfish/emulator.ts); this script makes sure the tools exist and says where they are.
#
# Usage: scripts/services/sushy.sh start|stop|env
#   start  create the venv and pip install sushy-tools + sushy when missing (idempotent)
#   stop   nothing to stop (each test stops the emulators it started)
#   env    ANVIL_SUSHY_PYTHON=<venv python> when both import
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init sushy apt-ensure pyvenv
venv="$root/.tmp/sushy/venv"
SUSHY_TOOLS_VERSION=2.2.0
SUSHY_VERSION=5.14.0

installed() { [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import sushy_tools.emulator.main, sushy_tools.static.main, sushy, bcrypt' >/dev/null 2>&1; }

svc_start() {
  installed && return 0
  local py
  # Debian's Python first; python3-venv from apt when no candidate has the venv module
  py=$(pyvenv_pick True /usr/bin/python3 python3) || { apt_install "$svc.sh" python3-venv; py=$(pyvenv_pick True /usr/bin/python3 python3); } ||
    { log "a Python with the venv module is required (apt-get install python3-venv)"; exit 1; }
  pyvenv_create "$svc.sh" "$venv" "$py" "$root/.tmp/sushy/pip.log" "sushy-tools==$SUSHY_TOOLS_VERSION" "sushy==$SUSHY_VERSION" bcrypt || exit 1
  installed || { log "sushy-tools/sushy did not install into $venv"; exit 1; }
}
svc_env() { installed && echo "ANVIL_SUSHY_PYTHON=$venv/bin/python" || true; }

service_main "${1:-}"
