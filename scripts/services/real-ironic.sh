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
# shellcheck source=lib/process.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/process.sh"
# shellcheck source=lib/apt-ensure.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/apt-ensure.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
dir="${ANVIL_TMP:-$root/.tmp}/real-ironic"
pidfile="$dir/ironic.pid"
portfile="$dir/port"
PY=/usr/bin/python3

log() { echo "real-ironic.sh: $*" >&2; }

running() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile" 2>/dev/null)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q -- "$dir/ironic.conf" "/proc/$pid/cmdline" 2>/dev/null
}

ensure_installed() {
  [ -x /usr/bin/ironic ] && [ -x /usr/bin/ironic-dbsync ] && return 0
  if [ "$(id -u)" != 0 ]; then log "python3-ironic/ironic-api are missing (apt-get install python3-ironic ironic-api)"; exit 1; fi
  log "installing python3-ironic ironic-api"
  apt_get_install python3-ironic ironic-api
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

start() {
  if running; then log "already running on 127.0.0.1:$(cat "$portfile")"; return 0; fi
  ensure_installed
  rm -rf "$dir"
  mkdir -p "$dir"
  local port i
  port=$(free_port)
  echo "$port" >"$portfile"
  write_conf "$port"
  ironic-dbsync --config-file "$dir/ironic.conf" create_schema >"$dir/dbsync.log" 2>&1 ||
    { cat "$dir/dbsync.log" >&2; log "schema creation failed"; exit 1; }
  setsid /usr/bin/ironic --config-file "$dir/ironic.conf" >"$dir/stdout.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for i in $(seq 1 120); do # up to 60 s: the API answers and the conductor has registered fake-hardware
    if curl -sf -H 'X-OpenStack-Ironic-API-Version: 1.46' "http://127.0.0.1:$port/v1/drivers" 2>/dev/null | grep -q fake-hardware; then
      log "ironic on http://127.0.0.1:$port"
      return 0
    fi
    sleep 0.5
  done
  tail -20 "$dir/ironic.log" >&2 2>/dev/null || true
  log "ironic did not come up within 60 s"
  stop
  exit 1
}

stop() {
  if running; then stop_group "$pidfile"; fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running ;;
  env) if running; then echo "NOVA_REAL_IRONIC_URL=http://127.0.0.1:$(cat "$portfile")"; fi ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
