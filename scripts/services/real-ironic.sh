#!/usr/bin/env bash
# Debian's REAL OpenStack Ironic (bookworm 1:21.4.x) for the nova-bridge compatibility test: one process
# (`ironic` = API + conductor, rpc_transport=none), sqlite, noauth, fake-hardware, noop network, on a free
# 127.0.0.1 port. No nodes are enrolled: the test enrolls its own through the API.
#
# Usage: scripts/services/real-ironic.sh start|stop|status|env
#   start   apt-get install python3-ironic ironic-api when missing (root), write a config under
#           ${ANVIL_TMP:-<repo>/.tmp}/real-ironic, create the schema, start ironic, wait for fake-hardware.
#   stop    stop only the process group this script started, remove its folder.
#   env     NOVA_REAL_IRONIC_URL=http://127.0.0.1:<port> (nothing when stopped).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init real-ironic process daemon apt-ensure
dir="$tmp/real-ironic"
pidfile="$dir/ironic.pid"
mark="$dir/ironic.conf"

ensure_installed() {
  mapfile -t pkgs < <(apt_missing /usr/bin/ironic:python3-ironic /usr/bin/ironic:ironic-api /usr/bin/ironic-dbsync:python3-ironic)
  apt_install "$svc.sh" "${pkgs[@]}"
}

# the API answers and the conductor has registered fake-hardware
has_fake_hardware() {
  curl -sf -H 'X-OpenStack-Ironic-API-Version: 1.46' "http://127.0.0.1:$port/v1/drivers" 2>/dev/null | grep -q fake-hardware
}

write_conf() {
  local port="$1"
  cat >"$dir/ironic.conf" <<CONF
[DEFAULT]
host = nova-bridge-reference
auth_strategy = noauth
rpc_transport = none
log_file = $dir/ironic.log
enabled_hardware_types = fake-hardware
enabled_bios_interfaces = fake,no-bios
enabled_boot_interfaces = fake
enabled_console_interfaces = fake,no-console
enabled_deploy_interfaces = fake
enabled_inspect_interfaces = fake,no-inspect
enabled_management_interfaces = fake
enabled_network_interfaces = noop
default_network_interface = noop
enabled_power_interfaces = fake
enabled_raid_interfaces = fake,no-raid
enabled_rescue_interfaces = fake,no-rescue
default_rescue_interface = fake
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
[oslo_concurrency]
lock_path = $dir/locks
CONF
}

svc_start() {
  daemon_reused && return 0
  ensure_installed
  daemon_fresh_port
  write_conf "$port"
  ironic-dbsync --config-file "$dir/ironic.conf" create_schema >"$dir/dbsync.log" 2>&1 ||
    { cat "$dir/dbsync.log" >&2; log "schema creation failed"; exit 1; }
  daemon_spawn /usr/bin/ironic --config-file "$dir/ironic.conf"
  daemon_await 60 ironic has_fake_hardware -- "$dir/ironic.log" "$dir/stdout.log" || { svc_stop; exit 1; }
  log "ironic on http://127.0.0.1:$port"
}

svc_stop() { daemon_stop; }
svc_status() { daemon_running; }
svc_env() { if daemon_running; then echo "NOVA_REAL_IRONIC_URL=http://127.0.0.1:$(daemon_port)"; fi; }

service_main "${1:-}"
