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

# CPython before 3.12.1 (and 3.11 before 3.11.8) can raise "SystemError: AST constructor recursion depth mismatch"
# (gh-106905) when hypothesis describes a lambda deep inside its recursive JSON strategies; CI saw it once with
# 3.11.7. So the venv is built on the first unaffected interpreter: python3.13/python3.12 on PATH or under pyenv.
unaffected() { "$1" -c 'import sys; v = sys.version_info[:3]; sys.exit(not (v >= (3, 12, 1) or (3, 11, 8) <= v < (3, 12)))' 2>/dev/null; }

pick_python() {
  local c
  for c in python3.13 python3.12 python3 /usr/bin/python3 \
    "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.1[2-9]*/bin/python3; do
    c=$(command -v "$c" 2>/dev/null) || continue
    unaffected "$c" && { echo "$c"; return 0; }
  done
  log "needs Python >= 3.12.1 or 3.11.8+ for schemathesis (older CPython crashes hypothesis: gh-106905); none found"
  return 1
}

installed() {
  [ -x "$venv/bin/schemathesis" ] && [ "$("$venv/bin/schemathesis" --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1)" = "$VERSION" ] &&
    unaffected "$venv/bin/python"
}

install() {
  installed && return 0
  local py
  py=$(pick_python) || exit 1
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
