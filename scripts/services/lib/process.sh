#!/usr/bin/env bash
# Sourced by the service scripts that run a server of their own (scripts/services/*.sh). Lives in lib/ because
# scripts/test-all.sh runs every scripts/services/*.sh.
#
#   free_port             prints a TCP port free on 127.0.0.1 now
#   stop_group PIDFILE    TERM the process group whose leader PIDFILE names (or the process alone), wait up to 10 s,
#                         then KILL the group

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

stop_group() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 0
  [ -n "$pid" ] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}
