#!/usr/bin/env bash
# Sourced by the service scripts that run a server of their own (scripts/services/*.sh): ports, processes, waiting.
# Lives in lib/ because scripts/test-all.sh runs every scripts/services/*.sh.
#
#   free_port                 prints a TCP port free on 127.0.0.1 now
#   port_free PORT            nothing accepts connections on 127.0.0.1:PORT
#   pid_running PIDFILE MARK  the process PIDFILE names is alive and MARK is part of its command line (a pid reused
#                             by another program does not count)
#   spawn_session LOG CMD...  runs CMD in the background in a session of its own (it outlives this shell; stop_group
#                             ends it and its children), stdin from /dev/null, stdout and stderr to LOG; its pid in
#                             $spawned
#   wait_until SECONDS PID CMD... runs CMD every 0.2 s until it succeeds (0); 1 when SECONDS pass, 2 at once when the
#                             process PID has ended (PID empty: not watched)
#   stop_group PIDFILE [SECONDS]
#                             TERM the process group whose leader PIDFILE names (or the process alone), wait up to
#                             SECONDS (10), then KILL the group; 0 when the leader ended on TERM, 1 when it was killed

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pid_running() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q -- "$2" "/proc/$pid/cmdline" 2>/dev/null
}

spawn_session() {
  local out=$1
  shift
  setsid "$@" >"$out" 2>&1 </dev/null &
  spawned=$!
}

wait_until() {
  local end=$((SECONDS + $1)) pid=$2
  shift 2
  until "$@"; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 2; fi
    [ "$SECONDS" -lt "$end" ] || return 1
    sleep 0.2
  done
}

stop_group() {
  local pid i
  pid=$(cat "$1" 2>/dev/null) || return 0
  [ -n "$pid" ] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 $((${2:-10} * 4))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    return 1
  fi
  kill -KILL -- "-$pid" 2>/dev/null || true # what is left of its group
  return 0
}
