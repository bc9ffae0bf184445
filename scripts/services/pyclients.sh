#!/usr/bin/env bash
# The real OpenStack Python clients for Anvil's compatibility tests: the `baremetal` CLI (python-ironicclient)
# and openstacksdk, from Debian (python3-ironicclient, python3-openstacksdk) or, failing that, pip.
#
# Usage: scripts/services/pyclients.sh start|stop|status|env
#   start   install the clients when missing (apt as root; else pip --user). Idempotent; runs nothing.
#   stop    nothing to stop (installed packages stay).
#   status  exit 0 when both clients import.
#   env     ANVIL_BAREMETAL_CLI=<path to baremetal> and ANVIL_PYTHON=<python that imports openstack>.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init pyclients apt-ensure

# Debian's Python packages live under /usr/bin/python3 (another python3 may be first on PATH).
pick_python() {
  local p
  for p in /usr/bin/python3 "$(command -v python3 || true)"; do
    [ -n "$p" ] && [ -x "$p" ] && "$p" -c 'import openstack, ironicclient' >/dev/null 2>&1 && { echo "$p"; return 0; }
  done
  return 1
}

pick_cli() {
  local c
  for c in /usr/bin/baremetal "$(command -v baremetal || true)" "$HOME/.local/bin/baremetal"; do
    [ -n "$c" ] && [ -x "$c" ] && "$c" --help >/dev/null 2>&1 && { echo "$c"; return 0; }
  done
  return 1
}

installed() { pick_python >/dev/null && pick_cli >/dev/null; }

install() {
  installed && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing python3-ironicclient python3-openstacksdk (apt)"
    apt_get_install python3-ironicclient python3-openstacksdk
  fi
  if ! installed; then
    log "installing python-ironicclient openstacksdk (pip --user)"
    python3 -m pip install --user -q python-ironicclient openstacksdk >/dev/null
  fi
  installed || { log "could not install the Python clients"; exit 1; }
}

svc_start() { install; }
svc_status() { installed; }
svc_env() {
  if installed; then
    echo "ANVIL_BAREMETAL_CLI=$(pick_cli)"
    echo "ANVIL_PYTHON=$(pick_python)"
  fi
}

service_main "${1:-}"
