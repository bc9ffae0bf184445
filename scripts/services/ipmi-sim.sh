#!/usr/bin/env bash
# Real BMC peers for the IPMI tests and bench: OpenIPMI's ipmi_sim, ipmitool (the cross-check client) and
# Debian's pyghmi (its BMC server classes, under /usr/bin/python3). Tests start their own simulators on
# 127.0.0.1 high ports (plugins/ipmi-lan-ts/src/testing/peers.ts); this script only makes sure the tools exist.
#
# Usage: scripts/services/ipmi-sim.sh start|stop|env
#   start  apt-get install whatever is missing (idempotent; does nothing when all are present)
#   stop   nothing to stop (each test stops the simulators it started)
#   env    IPMI_SIM_BIN / IPMITOOL_BIN / IPMI_PYGHMI_PYTHON when present
set -euo pipefail
# shellcheck source=lib/apt-ensure.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/apt-ensure.sh"

have_pyghmi() { /usr/bin/python3 -c 'import pyghmi.ipmi.bmc' >/dev/null 2>&1; }

missing() {
  local pkgs=()
  [ -x /usr/bin/ipmi_sim ] || pkgs+=(openipmi)
  [ -x /usr/bin/ipmitool ] || pkgs+=(ipmitool)
  have_pyghmi || pkgs+=(python3-pyghmi)
  [ ${#pkgs[@]} -gt 0 ] && printf '%s\n' "${pkgs[@]}"
  return 0
}

case "${1:-}" in
  start)
    mapfile -t pkgs < <(missing)
    apt_install ipmi-sim.sh "${pkgs[@]}"
    ;;
  stop) ;;
  env)
    [ -x /usr/bin/ipmi_sim ] && echo "IPMI_SIM_BIN=/usr/bin/ipmi_sim"
    [ -x /usr/bin/ipmitool ] && echo "IPMITOOL_BIN=/usr/bin/ipmitool"
    have_pyghmi && echo "IPMI_PYGHMI_PYTHON=/usr/bin/python3"
    true
    ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
