#!/usr/bin/env bash
# Sourced (service_init NAME process daemon) by the scripts that run one server in a run folder of their own
# (mariadb, keystone, real-ironic, ironic39, ironic-inspector): the folder, its pid and port files, reuse,
# readiness and stop. The script sets dir (the run folder, removed by stop; the port is kept in $dir/port), pidfile, and mark (a string of the
# server's command line: its config or data path, so a reused pid never counts). Lives in lib/ because
# scripts/test-all.sh runs every scripts/services/*.sh.
#
#   daemon_running          the server this script started is alive
#   daemon_reused           when it is running: says so with its port and succeeds (start: `daemon_reused && return 0`)
#   daemon_fresh_port       empties the run folder, picks a free 127.0.0.1 port, keeps it in $dir/port; sets $port
#   daemon_spawn CMD...     starts CMD in its own session (output in $dir/stdout.log), its pid in $pidfile and $spawned
#   daemon_await SECONDS WHAT CMD... [-- LOG...]
#                           waits (bounded) until CMD succeeds; when the server ($spawned, else $pidfile) ends first or time runs out: the
#                           tail of each LOG, "WHAT exited during start" or "WHAT not ready within SECONDS s", 1
#   daemon_stop [SECONDS]   stops its process group (TERM, then KILL after SECONDS, 10) and removes the run folder
#   daemon_port             prints the port

daemon_running() { pid_running "$pidfile" "$mark"; }

daemon_port() { cat "$dir/port"; }

daemon_reused() {
  daemon_running || return 1
  log "already running on 127.0.0.1:$(daemon_port)"
}

daemon_fresh_port() {
  rm -rf "$dir"
  mkdir -p "$dir"
  port=$(free_port)
  echo "$port" >"$dir/port"
}

daemon_spawn() {
  spawn_session "$dir/stdout.log" "$@"
  echo "$spawned" >"$pidfile"
}

daemon_await() {
  local secs=$1 what=$2 probe=() logs=() rc=0
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do probe+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  logs=("$@")
  wait_until "$secs" "${spawned:-$(cat "$pidfile" 2>/dev/null)}" "${probe[@]}" || rc=$?
  [ $rc = 0 ] && return 0
  tail_logs "${logs[@]}"
  if [ $rc = 2 ]; then log "$what exited during start"; else log "$what not ready within $secs s"; fi
  return 1
}

daemon_stop() {
  if daemon_running; then
    stop_group "$pidfile" "${1:-10}" || true
  elif [ -n "${spawned:-}" ]; then # a start that failed before the server wrote its pid file
    kill -KILL -- "-$spawned" 2>/dev/null || kill -KILL "$spawned" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
