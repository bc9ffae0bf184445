#!/usr/bin/env bash
# The real ironic-inspector client (`openstack baremetal introspection …`) for test/inspection/inspector-client.test.ts.
# Debian bookworm's python3-ironic-inspector-client is an empty package, so the client itself comes from PyPI
# (python-ironic-inspector-client 4.8.0, the version Debian names) into a venv under .tmp that sees Debian's
# python-openstackclient and the client's dependencies (installed by apt): it runs under /usr/bin/python3.
#
# Usage: scripts/services/inspector-client.sh start|stop|status|env
#   start   apt-get install python3-openstackclient + the client's deps when missing, then the venv (once; idempotent)
#   stop    nothing to stop (the venv stays)
#   env     ANVIL_TEST_INSPECTOR_PYTHON=<venv>/bin/python (run `-m openstackclient.shell baremetal introspection …`)
set -euo pipefail
# shellcheck source=lib/apt-ensure.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/apt-ensure.sh"
# shellcheck source=lib/pyvenv.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/pyvenv.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp="${ANVIL_TMP:-$root/.tmp}"
venv="$tmp/inspector-client"
version=4.8.0

log() { echo "inspector-client.sh: $*" >&2; }
missing() { apt_missing openstack:python3-openstackclient -- osc_lib:python3-osc-lib keystoneauth1:python3-keystoneauth1 oslo_utils:python3-oslo.utils oslo_i18n:python3-oslo.i18n pbr:python3-pbr requests:python3-requests; }

installed() {
  [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import ironic_inspector_client.shell, openstackclient.shell' >/dev/null 2>&1
}

install() {
  mapfile -t pkgs < <(missing)
  apt_install inspector-client.sh "${pkgs[@]}"
  installed && return 0
  [ -x /usr/bin/python3 ] || { log "/usr/bin/python3 (Debian's) is missing"; exit 1; }
  # Debian's Python, so that the venv sees Debian's openstackclient and the client's dependencies
  PYVENV_OPTS=--system-site-packages pyvenv_create inspector-client.sh "$venv" /usr/bin/python3 "$tmp/inspector-client-pip.log" \
    --no-deps "python-ironic-inspector-client==$version" || exit 1
  installed || { log "the inspector client does not import"; exit 1; }
}

case "${1:-}" in
  start) install ;;
  stop) : ;;
  status) installed ;;
  env) installed && echo "ANVIL_TEST_INSPECTOR_PYTHON=$venv/bin/python" || true ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
