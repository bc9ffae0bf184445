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
root=$(cd "$(dirname "$0")/../.." && pwd)
venv="$root/.tmp/sushy/venv"
SUSHY_TOOLS_VERSION=2.2.0
SUSHY_VERSION=5.14.0

installed() { [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import sushy_tools.emulator.main, sushy_tools.static.main, sushy, bcrypt' >/dev/null 2>&1; }

case "${1:-}" in
  start)
    installed && exit 0
    mkdir -p "$root/.tmp/sushy"
    py=/usr/bin/python3
    [ -x "$py" ] || py=$(command -v python3)
    if ! "$py" -c 'import venv, ensurepip' >/dev/null 2>&1; then
      # shellcheck source=lib/apt-ensure.sh
      . "$(dirname "${BASH_SOURCE[0]}")/lib/apt-ensure.sh"
      apt_install sushy.sh python3-venv
    fi
    [ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
    echo "sushy.sh: pip install sushy-tools==$SUSHY_TOOLS_VERSION sushy==$SUSHY_VERSION bcrypt into $venv" >&2
    "$venv/bin/pip" install -q --disable-pip-version-check "sushy-tools==$SUSHY_TOOLS_VERSION" "sushy==$SUSHY_VERSION" bcrypt >&2
    installed || { echo "sushy.sh: sushy-tools/sushy did not install into $venv" >&2; exit 1; }
    ;;
  stop) ;;
  env) installed && echo "ANVIL_SUSHY_PYTHON=$venv/bin/python" || true ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
