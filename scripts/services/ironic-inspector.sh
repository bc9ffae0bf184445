#!/usr/bin/env bash
# Debian's REAL ironic-inspector (bookworm 11.1.0, API 1.18) for test/contract/inspector-api.test.ts, which sends the
# same requests to it and to Anvil's Inspector-compatible API: standalone, noauth, SQLite, the noop PXE filter, no
# Ironic behind it (an unreachable endpoint: requests that need Ironic answer its 500 and are not compared).
#
# Usage: scripts/services/ironic-inspector.sh start|stop|status|env
#   start   apt-get install python3-ironic-inspector when missing (root), write a config under
#           ${ANVIL_TMP:-<repo>/.tmp}/ironic-inspector, dbsync, serve on a free 127.0.0.1 port. Idempotent.
#   stop    stop only the process group this script started, remove its folder.
#   env     ANVIL_TEST_INSPECTOR_URL=http://127.0.0.1:<port> (nothing when stopped).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init ironic-inspector process daemon apt-ensure
dir="$tmp/ironic-inspector"
pidfile="$dir/inspector.pid"
mark="$dir/inspector.conf"
PY=/usr/bin/python3

answers() { curl -sf "http://127.0.0.1:$port/" >/dev/null 2>&1; }

svc_start() {
  daemon_reused && return 0
  mapfile -t pkgs < <(apt_missing -- ironic_inspector:python3-ironic-inspector)
  apt_install "$svc.sh" "${pkgs[@]}"
  daemon_fresh_port
  cat >"$dir/inspector.conf" <<CONF
[DEFAULT]
auth_strategy = noauth
standalone = True
listen_address = 127.0.0.1
listen_port = $port
transport_url = fake://
log_file = $dir/inspector.log
[database]
connection = sqlite:///$dir/inspector.sqlite
[processing]
store_data = database
[pxe_filter]
driver = noop
[ironic]
auth_type = none
endpoint_override = http://127.0.0.1:9
CONF
  "$PY" -c 'import sys; from ironic_inspector.cmd.dbsync import main; main(["--config-file", sys.argv[1], "upgrade"])' "$dir/inspector.conf" >"$dir/dbsync.log" 2>&1 ||
    { tail -20 "$dir/dbsync.log" >&2; log "dbsync failed"; exit 1; }
  daemon_spawn "$PY" -m ironic_inspector.cmd.all --config-file "$dir/inspector.conf"
  daemon_await 60 ironic-inspector answers -- "$dir/stdout.log" "$dir/inspector.log" || { svc_stop; exit 1; }
  log "ironic-inspector on http://127.0.0.1:$port"
}

svc_stop() { daemon_stop; }
svc_status() { daemon_running; }
svc_env() { if daemon_running; then echo "ANVIL_TEST_INSPECTOR_URL=http://127.0.0.1:$(daemon_port)"; fi; }

service_main "${1:-}"
