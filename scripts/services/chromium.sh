#!/usr/bin/env bash
# Debian's chromium, for the dashboard test (dashboard/src/dashboard.test.ts drives it headless with puppeteer-core).
#
# Usage: scripts/services/chromium.sh start|stop|status|env
#   start   apt-get install chromium when missing (root). Idempotent; runs nothing.
#   stop    nothing to stop (the test starts and ends its own browser).
#   env     ANVIL_CHROMIUM=<path of the chromium binary>.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init chromium apt-ensure

pick() {
  local c
  for c in /usr/bin/chromium "$(command -v chromium || true)"; do
    [ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return 0; }
  done
  return 1
}

svc_start() {
  pick >/dev/null || apt_install "$svc.sh" chromium fonts-dejavu-core
  pick >/dev/null || { log "chromium did not install"; exit 1; }
}
svc_status() { pick >/dev/null; }
svc_env() { if c=$(pick); then echo "ANVIL_CHROMIUM=$c"; fi; }

service_main "${1:-}"
