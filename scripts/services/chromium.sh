#!/usr/bin/env bash
# Debian's chromium, for the dashboard test (dashboard/src/dashboard.test.ts drives it headless with puppeteer-core).
#
# Usage: scripts/services/chromium.sh start|stop|status|env
#   start   apt-get install chromium when missing (root). Idempotent; runs nothing.
#   stop    nothing to stop (the test starts and ends its own browser).
#   env     ANVIL_CHROMIUM=<path of the chromium binary>.
set -euo pipefail
# shellcheck source=lib/apt-ensure.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/apt-ensure.sh"

pick() {
  local c
  for c in /usr/bin/chromium "$(command -v chromium || true)"; do
    [ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return 0; }
  done
  return 1
}

case "${1:-}" in
  start)
    pick >/dev/null || apt_install chromium.sh chromium fonts-dejavu-core
    pick >/dev/null || { echo "chromium.sh: chromium did not install" >&2; exit 1; }
    ;;
  stop) : ;;
  status) pick >/dev/null ;;
  env) if c=$(pick); then echo "ANVIL_CHROMIUM=$c"; fi ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
