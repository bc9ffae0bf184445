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
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init inspector-client apt-ensure pyvenv
venv="$tmp/inspector-client"
version=4.8.0

missing() { apt_missing openstack:python3-openstackclient -- osc_lib:python3-osc-lib keystoneauth1:python3-keystoneauth1 oslo_utils:python3-oslo.utils oslo_i18n:python3-oslo.i18n pbr:python3-pbr requests:python3-requests; }

installed() {
  [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import ironic_inspector_client.shell, openstackclient.shell' >/dev/null 2>&1
}

install() {
  mapfile -t pkgs < <(missing)
  apt_install "$svc.sh" "${pkgs[@]}"
  installed && return 0
  [ -x /usr/bin/python3 ] || { log "/usr/bin/python3 (Debian's) is missing"; exit 1; }
  # Debian's Python, so that the venv sees Debian's openstackclient and the client's dependencies
  PYVENV_OPTS=--system-site-packages pyvenv_create "$svc.sh" "$venv" /usr/bin/python3 "$tmp/inspector-client-pip.log" \
    --no-deps "python-ironic-inspector-client==$version" || exit 1
  installed || { log "the inspector client does not import"; exit 1; }
}

svc_start() { install; }
svc_status() { installed; }
svc_env() { installed && echo "ANVIL_TEST_INSPECTOR_PYTHON=$venv/bin/python" || true; }

service_main "${1:-}"
