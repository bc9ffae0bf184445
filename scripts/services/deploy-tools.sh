#!/usr/bin/env bash
# Real peers for the deploy tests (test/deploy, plugins/pxe): the tftp-hpa client (a real TFTP client fetching the
# PXE files), dnsmasq (checks the dhcp-hostsdir/dhcp-optsdir files the dnsmasq DHCP provider writes), ipmitool and
# ipmi_sim (the simulated BMC), xorriso and cloud-init (reading the config drive partition).
#
# Usage: scripts/services/deploy-tools.sh start|stop|env
#   start  install whatever is missing with apt-get (idempotent)
#   stop   nothing to stop
#   env    ANVIL_TEST_DEPLOY_TOOLS=1 when every tool is present (the tests then require them)
set -euo pipefail

# command -> Debian package
tools=(tftp:tftp-hpa dnsmasq:dnsmasq-base ipmitool:ipmitool ipmi_sim:openipmi xorriso:xorriso blkid:util-linux)

have() { PATH="$PATH:/usr/sbin:/sbin" command -v "$1" >/dev/null 2>&1; }
have_cloudinit() { /usr/bin/python3 -c "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('cloudinit') else 1)" >/dev/null 2>&1; }

missing() {
  local pkgs=() t
  for t in "${tools[@]}"; do have "${t%%:*}" || pkgs+=("${t#*:}"); done
  have_cloudinit || pkgs+=(cloud-init)
  [ ${#pkgs[@]} -gt 0 ] && printf '%s\n' "${pkgs[@]}" | sort -u
  return 0
}

case "${1:-}" in
  start)
    mapfile -t pkgs < <(missing)
    [ ${#pkgs[@]} -eq 0 ] && exit 0
    if [ "$(id -u)" != 0 ]; then echo "deploy-tools.sh: missing ${pkgs[*]} (need root to apt-get install)" >&2; exit 1; fi
    echo "deploy-tools.sh: installing ${pkgs[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null; }
    ;;
  stop) ;;
  env) [ -z "$(missing)" ] && echo "ANVIL_TEST_DEPLOY_TOOLS=1" || true ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
