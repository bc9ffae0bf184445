#!/usr/bin/env bash
# schemathesis (PyPI, pinned) in a venv under .tmp, for the OpenAPI fuzzing test (test/openapi/fuzz.test.ts):
# it reads Anvil's /v1/openapi.json and sends generated requests to a live Anvil.
#
# Usage: scripts/services/schemathesis.sh start|stop|status|env
#   start   create ${ANVIL_TMP:-<repo>/.tmp}/schemathesis with pip (once; idempotent). Runs nothing.
#   stop    nothing to stop (the venv stays).
#   env     ANVIL_SCHEMATHESIS=<venv>/bin/schemathesis.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp="${ANVIL_TMP:-$root/.tmp}"
venv="$tmp/schemathesis"
VERSION=4.32.5

log() { echo "schemathesis.sh: $*" >&2; }

installed() {
  [ -x "$venv/bin/schemathesis" ] && [ "$("$venv/bin/schemathesis" --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1)" = "$VERSION" ]
}

install() {
  installed && return 0
  local py
  py=$(command -v python3 || echo /usr/bin/python3)
  mkdir -p "$tmp"
  log "creating $venv with schemathesis==$VERSION (pip)"
  rm -rf "$venv"
  "$py" -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$VERSION" >"$tmp/schemathesis-pip.log" 2>&1 ||
    { tail -20 "$tmp/schemathesis-pip.log" >&2; log "pip install failed"; exit 1; }
  installed || { log "schemathesis $VERSION did not install"; exit 1; }
}

case "${1:-}" in
  start) install ;;
  stop) : ;;
  status) installed ;;
  env) installed && echo "ANVIL_SCHEMATHESIS=$venv/bin/schemathesis" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
