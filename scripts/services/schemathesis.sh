#!/usr/bin/env bash
# schemathesis (PyPI, pinned) in a venv under .tmp, for the OpenAPI fuzzing test (test/openapi/fuzz.test.ts):
# it reads Anvil's /v1/openapi.json and sends generated requests to a live Anvil.
#
# Usage: scripts/services/schemathesis.sh start|stop|status|env
#   start   create ${ANVIL_TMP:-<repo>/.tmp}/schemathesis with pip (once; idempotent). Runs nothing.
#   stop    nothing to stop (the venv stays).
#   env     ANVIL_SCHEMATHESIS=<venv>/bin/schemathesis.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init schemathesis pyvenv
venv="$tmp/schemathesis"
VERSION=4.32.5

# CPython before 3.12.1 (and 3.11 before 3.11.8) can raise "SystemError: AST constructor recursion depth mismatch"
# (gh-106905) when hypothesis describes a lambda deep inside its recursive JSON strategies; CI saw it once with
# 3.11.7. So the venv is built on the first unaffected interpreter: python3.13/python3.12 on PATH or under pyenv.
UNAFFECTED='v >= (3, 12, 1) or (3, 11, 8) <= v < (3, 12)'
unaffected() { pyvenv_pick "$UNAFFECTED" "$1" >/dev/null; }

installed() {
  [ -x "$venv/bin/schemathesis" ] && [ "$("$venv/bin/schemathesis" --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1)" = "$VERSION" ] &&
    unaffected "$venv/bin/python"
}

install() {
  installed && return 0
  local py
  # shellcheck disable=SC2046
  py=$(pyvenv_pick "$UNAFFECTED" $(pyvenv_candidates)) ||
    { log "needs Python >= 3.12.1 or 3.11.8+ for schemathesis (older CPython crashes hypothesis: gh-106905); none found"; exit 1; }
  pyvenv_create "$svc.sh" "$venv" "$py" "$tmp/schemathesis-pip.log" "schemathesis==$VERSION" || exit 1
  installed || { log "schemathesis $VERSION did not install"; exit 1; }
}

svc_start() { install; }
svc_status() { installed; }
svc_env() { installed && echo "ANVIL_SCHEMATHESIS=$venv/bin/schemathesis"; }

service_main "${1:-}"
