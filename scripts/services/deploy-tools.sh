#!/usr/bin/env bash
# Real peers for the deploy tests (test/deploy, plugins/pxe): the tftp-hpa client (a real TFTP client fetching the
# PXE files), dnsmasq (checks the dhcp-hostsdir/dhcp-optsdir files the dnsmasq DHCP provider writes), ipmitool and
# ipmi_sim (the simulated BMC), xorriso and cloud-init (reading the config drive partition).
#
# Usage: scripts/services/deploy-tools.sh start|stop|env
#   start  install whatever is missing with apt-get (idempotent)
#   stop   nothing to stop
#   env    ANVIL_TEST_DEPLOY_TOOLS=1 when every tool is present (the tests require the tools either way)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init deploy-tools apt-ensure

# command -> Debian package
tools=(tftp:tftp-hpa dnsmasq:dnsmasq-base ipmitool:ipmitool ipmi_sim:openipmi xorriso:xorriso blkid:util-linux)

missing() { apt_missing "${tools[@]}" -- cloudinit:cloud-init; }

svc_start() {
  mapfile -t pkgs < <(missing)
  apt_install "$svc.sh" "${pkgs[@]}"
}
svc_env() { [ -z "$(missing)" ] && echo "ANVIL_TEST_DEPLOY_TOOLS=1" || true; }

service_main "${1:-}"
