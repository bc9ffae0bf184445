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
# shellcheck source=lib/process.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/process.sh"
# shellcheck source=lib/apt-ensure.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/apt-ensure.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
dir="${ANVIL_TMP:-$root/.tmp}/ironic-inspector"
pidfile="$dir/inspector.pid"
portfile="$dir/port"
PY=/usr/bin/python3

log() { echo "ironic-inspector.sh: $*" >&2; }

running() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile" 2>/dev/null)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q -- "$dir/inspector.conf" "/proc/$pid/cmdline" 2>/dev/null
}

start() {
  if running; then log "already running on 127.0.0.1:$(cat "$portfile")"; return 0; fi
  mapfile -t pkgs < <(apt_missing -- ironic_inspector:python3-ironic-inspector)
  apt_install ironic-inspector.sh "${pkgs[@]}"
  rm -rf "$dir"
  mkdir -p "$dir"
  local port i
  port=$(free_port)
  echo "$port" >"$portfile"
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
  setsid "$PY" -m ironic_inspector.cmd.all --config-file "$dir/inspector.conf" >"$dir/stdout.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for i in $(seq 1 120); do # up to 60 s
    if curl -sf "http://127.0.0.1:$port/" >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  if ! curl -sf "http://127.0.0.1:$port/" >/dev/null 2>&1; then
    tail -20 "$dir/stdout.log" "$dir/inspector.log" >&2 || true
    log "ironic-inspector did not answer within 60 s"
    stop
    exit 1
  fi
  log "ironic-inspector on http://127.0.0.1:$port"
}

stop() {
  if running; then stop_group "$pidfile"; fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running ;;
  env) if running; then echo "ANVIL_TEST_INSPECTOR_URL=http://127.0.0.1:$(cat "$portfile")"; fi ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
