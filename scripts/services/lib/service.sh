#!/usr/bin/env bash
# Sourced first by every scripts/services/*.sh: the command line all of them share (start|stop|status|env, and
# whatever else one defines), their names and messages. Lives in lib/ because scripts/test-all.sh runs every
# scripts/services/*.sh.
#
#   service_init NAME [LIB...]
#                         svc=NAME (messages read "NAME.sh: …"), root=<the repository>, tmp=${ANVIL_TMP:-<repo>/.tmp};
#                         sources lib/LIB.sh for each LIB (process, daemon, apt-ensure, pyvenv)
#   log MSG...            "NAME.sh: MSG" on stderr
#   tail_logs FILE...     the last 20 lines of each FILE that exists, on stderr
#   service_main VERB     runs the script's function svc_VERB (svc_start, svc_stop, svc_status, svc_env, …); a verb
#                         it does not define prints the script's header comment (its usage) and exits 2.
#                         svc_stop defaults to nothing (tool-only scripts have nothing running).

service_init() {
  local here l
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  svc=$1
  shift
  root=$(cd "$here/../../.." && pwd)
  tmp="${ANVIL_TMP:-$root/.tmp}"
  for l in "$@"; do
    # shellcheck source=/dev/null
    . "$here/$l.sh"
  done
}

log() { echo "$svc.sh: $*" >&2; }

tail_logs() {
  local f
  for f in "$@"; do [ -f "$f" ] && { echo "== $f" >&2; tail -n 20 "$f" >&2; }; done
  return 0
}

svc_stop() { :; }

service_main() {
  if [ -n "${1:-}" ] && [ "$(type -t "svc_$1")" = function ]; then
    "svc_$1"
    return
  fi
  # the header comment after the shebang is the script's usage
  awk 'NR == 1 { next } /^#/ { print; next } { exit }' "$0" >&2
  exit 2
}
