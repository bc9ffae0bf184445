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
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init ipmi-sim apt-ensure

missing() { apt_missing /usr/bin/ipmi_sim:openipmi /usr/bin/ipmitool:ipmitool -- pyghmi.ipmi.bmc:python3-pyghmi; }

svc_start() {
  mapfile -t pkgs < <(missing)
  apt_install "$svc.sh" "${pkgs[@]}"
}
svc_env() {
  [ -x /usr/bin/ipmi_sim ] && echo "IPMI_SIM_BIN=/usr/bin/ipmi_sim"
  [ -x /usr/bin/ipmitool ] && echo "IPMITOOL_BIN=/usr/bin/ipmitool"
  pymod pyghmi.ipmi.bmc && echo "IPMI_PYGHMI_PYTHON=/usr/bin/python3"
  true
}

service_main "${1:-}"
