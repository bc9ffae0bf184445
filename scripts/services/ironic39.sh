#!/usr/bin/env bash
# The newest real OpenStack Ironic (PyPI `ironic==39.0.0`, API 1.115) as a test peer: one process (`ironic` = API +
# conductor, rpc_transport=none), sqlite, noauth, fake-hardware and manual-management with every interface the
# 1.83–1.115 features need (firmware, agent inspection, servicing, runbooks, virtual media), on a free 127.0.0.1
# port. No nodes are enrolled: tests enroll their own through the API.
#
# Usage: scripts/services/ironic39.sh start|stop|status|env
#   start   create a venv under ${ANVIL_TMP:-<repo>/.tmp}/ironic39-venv with ironic==39.0.0 (pip, once), write a
#           config under .tmp/ironic39, create the schema, start ironic, wait for fake-hardware. Idempotent.
#   stop    stop only the process group this script started, remove its run folder (the venv stays).
#   env     ANVIL_IRONIC39_URL=http://127.0.0.1:<port> (nothing when stopped).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init ironic39 process daemon pyvenv
IRONIC_VERSION=39.0.0
venv="$tmp/ironic39-venv"
dir="$tmp/ironic39"
pidfile="$dir/ironic.pid"
mark="$dir/ironic.conf"

installed() {
  [ -x "$venv/bin/ironic" ] && [ -x "$venv/bin/ironic-dbsync" ] &&
    [ "$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("ironic"))' 2>/dev/null)" = "$IRONIC_VERSION" ]
}

ensure_installed() {
  installed && return 0
  local py
  py=$(pyvenv_pick 'v >= (3, 10)' python3 /usr/bin/python3) ||
    { log "a Python >= 3.10 with the venv module is required (apt-get install python3-venv)"; exit 1; }
  pyvenv_create "$svc.sh" "$venv" "$py" "$tmp/ironic39-pip.log" "ironic==$IRONIC_VERSION" || exit 1
  installed || { log "ironic==$IRONIC_VERSION did not install its commands"; exit 1; }
}

write_conf() {
  local port="$1"
  mkdir -p "$dir/tftp" "$dir/http" "$dir/locks"
  cat >"$dir/ironic.conf" <<CONF
[DEFAULT]
host = ironic39-reference
auth_strategy = noauth
rpc_transport = none
log_file = $dir/ironic.log
enabled_hardware_types = fake-hardware,manual-management
enabled_bios_interfaces = fake,no-bios
enabled_boot_interfaces = fake,ipxe,pxe
enabled_console_interfaces = fake,no-console
enabled_deploy_interfaces = fake,direct,ramdisk
enabled_firmware_interfaces = fake,no-firmware
enabled_inspect_interfaces = fake,agent,no-inspect
enabled_management_interfaces = fake,noop
enabled_network_interfaces = noop,flat
default_network_interface = noop
enabled_power_interfaces = fake
enabled_raid_interfaces = fake,agent,no-raid
enabled_rescue_interfaces = fake,agent,no-rescue
enabled_storage_interfaces = noop
enabled_vendor_interfaces = fake,no-vendor
[api]
host_ip = 127.0.0.1
port = $port
[database]
connection = sqlite:///$dir/ironic.sqlite
[dhcp]
dhcp_provider = none
[conductor]
automated_clean = false
[deploy]
http_root = $dir/http
http_url = http://127.0.0.1:1/
[pxe]
tftp_root = $dir/tftp
tftp_master_path = $dir/tftp/master
[oslo_concurrency]
lock_path = $dir/locks
[agent]
# the simulated agent (tools/agent-sim) serves plain HTTP on loopback; Ironic 39 refuses such callback URLs by default
require_tls = false
[inspector]
require_managed_boot = false
add_ports = all
hooks = \$default_hooks,cpus,memory,root-device,boot-mode,parse-lldp,local-link-connection
[service_catalog]
endpoint_override = http://127.0.0.1:$port
CONF
}

# the API answers and the conductor has registered fake-hardware
has_fake_hardware() {
  curl -sf -H 'X-OpenStack-Ironic-API-Version: 1.46' "http://127.0.0.1:$port/v1/drivers" 2>/dev/null | grep -q fake-hardware
}

svc_start() {
  daemon_reused && return 0
  ensure_installed
  daemon_fresh_port
  write_conf "$port"
  "$venv/bin/ironic-dbsync" --config-file "$dir/ironic.conf" create_schema >"$dir/dbsync.log" 2>&1 ||
    { tail -20 "$dir/dbsync.log" >&2; log "schema creation failed"; exit 1; }
  daemon_spawn "$venv/bin/ironic" --config-file "$dir/ironic.conf"
  # up to 180 s: a loaded 2-core machine
  if ! daemon_await 180 "ironic $IRONIC_VERSION" has_fake_hardware -- "$dir/ironic.log" "$dir/stdout.log"; then
    cat "$dir/ironic.log" "$dir/stdout.log" >"$tmp/ironic39-failed.log" 2>/dev/null || true
    log "its logs: $tmp/ironic39-failed.log"
    svc_stop
    exit 1
  fi
  log "ironic $IRONIC_VERSION on http://127.0.0.1:$port"
}

svc_stop() { daemon_stop; }
svc_status() { daemon_running; }
svc_env() { if daemon_running; then echo "ANVIL_IRONIC39_URL=http://127.0.0.1:$(daemon_port)"; fi; }

service_main "${1:-}"
