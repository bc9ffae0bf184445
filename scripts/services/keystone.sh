#!/usr/bin/env bash
# Debian's REAL OpenStack Keystone (bookworm 22, Zed) for the tests that need an identity service (Ironic's tempest
# API suite; Anvil in `keystone` auth mode): SQLite in WAL mode, fernet tokens, one uwsgi worker on a free
# 127.0.0.1 port. Bootstrapped with an `admin` user (admin project, system scope) and a service user `ironic` with
# the admin and service roles in project `service` (what Anvil validates tokens with). No baremetal endpoint is
# registered: a test registers its own Anvil in the catalog.
#
# Usage: scripts/services/keystone.sh start|stop|status|env
#   start   apt-get install python3-keystone uwsgi-core uwsgi-plugin-python3 when missing (root), write a config
#           under ${ANVIL_TMP:-<repo>/.tmp}/keystone, db_sync, fernet/credential keys, bootstrap, serve. Idempotent.
#   stop    stop only the process group this script started, remove its folder.
#   env     ANVIL_TEST_KEYSTONE_URL=http://127.0.0.1:<port>/v3, ANVIL_TEST_KEYSTONE_ADMIN_PASSWORD, ANVIL_TEST_KEYSTONE_SERVICE_USER,
#           ANVIL_TEST_KEYSTONE_SERVICE_PASSWORD (nothing when stopped).
# Settings (environment): ANVIL_TEST_KEYSTONE_PROCESSES  uwsgi worker processes (default 1: with 2, concurrent writes to
#   the SQLite file fail with 'database is locked', a 500 and a dropped connection; bench/keystone-bench.ts, bench/README.md);
#   ANVIL_TEST_KEYSTONE_CACHE  1 (default): Keystone's cache on (dogpile.cache.memory), 0: off.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init keystone process daemon apt-ensure
dir="$tmp/keystone"
pidfile="$dir/uwsgi.pid"
mark="$dir/keystone.conf"
PY=/usr/bin/python3

ensure_installed() {
  local missing
  missing=$(apt_missing uwsgi:uwsgi-core keystone-manage:python3-keystone -- keystone:python3-keystone)
  [ -f /usr/lib/uwsgi/plugins/python3_plugin.so ] || missing="$missing uwsgi-plugin-python3"
  [ -x /usr/bin/keystone-wsgi-public ] || missing="$missing python3-keystone"
  # shellcheck disable=SC2086
  apt_install "$svc.sh" $(printf '%s\n' $missing | sort -u)
}

write_conf() {
  cat >"$dir/keystone.conf" <<CONF
[DEFAULT]
log_file = $dir/keystone.log
[database]
connection = sqlite:///$dir/keystone.sqlite
[identity]
# throw-away test users: cheap bcrypt (Keystone's default of 12 rounds makes every tempest class setup seconds long)
password_hash_rounds = 4
[token]
provider = fernet
[fernet_tokens]
key_repository = $dir/fernet-keys
[fernet_receipts]
key_repository = $dir/fernet-keys
[credential]
key_repository = $dir/credential-keys
[oslo_policy]
enforce_new_defaults = false
enforce_scope = false
CONF
  # Keystone's own cache in the worker's memory (one worker: nothing to keep coherent); 2× the credentials per second
  # tempest's classes need (bench/keystone-bench.ts), and Keystone is busy ~90% of tempest-latest's run
  if [ "${ANVIL_TEST_KEYSTONE_CACHE:-1}" = 1 ]; then printf '[cache]\nenabled = true\nbackend = dogpile.cache.memory\n' >>"$dir/keystone.conf"; fi
}

manage() { keystone-manage --config-file "$dir/keystone.conf" "$@" >>"$dir/manage.log" 2>&1; }

# project `service`, role `service` (Zed's bootstrap has none), user `ironic` with admin + service there
# (python-keystoneclient as the bootstrap admin, system scope)
service_user() {
  "$PY" - "http://127.0.0.1:$(daemon_port)/v3" "$dir/admin-password" "$dir/service-password" <<'PY'
import sys
from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client
url, admin_pw, svc_pw = sys.argv[1], open(sys.argv[2]).read().strip(), open(sys.argv[3]).read().strip()
auth = v3.Password(auth_url=url, username='admin', password=admin_pw, user_domain_id='default', system_scope='all')
ks = client.Client(session=session.Session(auth=auth))
project = ks.projects.create('service', 'default')
user = ks.users.create('ironic', domain='default', password=svc_pw)
roles = {r.name: r for r in ks.roles.list()}
if 'service' not in roles:
    roles['service'] = ks.roles.create('service')
for name in ('admin', 'service'):
    ks.roles.grant(roles[name], user=user, project=project)
PY
}

answers() { curl -sf "http://127.0.0.1:$port/v3" >/dev/null 2>&1; }

svc_start() {
  daemon_reused && return 0
  ensure_installed
  daemon_fresh_port
  mkdir -p "$dir/fernet-keys" "$dir/credential-keys"
  chmod 700 "$dir"
  local url
  url="http://127.0.0.1:$port/v3/"
  "$PY" -c 'import secrets; print(secrets.token_hex(12))' >"$dir/admin-password"
  "$PY" -c 'import secrets; print(secrets.token_hex(12))' >"$dir/service-password"
  write_conf
  manage db_sync || { cat "$dir/manage.log" >&2; log "db_sync failed"; svc_stop; exit 1; }
  # concurrent sessions lock each other on a rollback-journal sqlite file
  "$PY" -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=WAL")' "$dir/keystone.sqlite"
  manage fernet_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
  manage credential_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
  manage bootstrap --bootstrap-password "$(cat "$dir/admin-password")" --bootstrap-region-id RegionOne \
    --bootstrap-admin-url "$url" --bootstrap-internal-url "$url" --bootstrap-public-url "$url" ||
    { cat "$dir/manage.log" >&2; log "bootstrap failed"; svc_stop; exit 1; }
  daemon_spawn uwsgi --plugin python3 --http-socket "127.0.0.1:$port" --wsgi-file /usr/bin/keystone-wsgi-public \
    --master --lazy-apps --processes "${ANVIL_TEST_KEYSTONE_PROCESSES:-1}" --die-on-term --add-header "Connection: close" --pyargv "--config-file $dir/keystone.conf"
  daemon_await 60 keystone answers -- "$dir/stdout.log" "$dir/keystone.log" || { svc_stop; exit 1; }
  service_user >>"$dir/manage.log" 2>&1 || { tail_logs "$dir/manage.log" "$dir/stdout.log" "$dir/keystone.log"; log "creating the service user failed"; svc_stop; exit 1; }
  log "keystone on http://127.0.0.1:$port/v3"
}

svc_stop() { daemon_stop; }
svc_status() { daemon_running; }
svc_env() {
  daemon_running || return 0
  echo "ANVIL_TEST_KEYSTONE_URL=http://127.0.0.1:$(daemon_port)/v3"
  echo "ANVIL_TEST_KEYSTONE_ADMIN_PASSWORD=$(cat "$dir/admin-password")"
  echo "ANVIL_TEST_KEYSTONE_SERVICE_USER=ironic"
  echo "ANVIL_TEST_KEYSTONE_SERVICE_PASSWORD=$(cat "$dir/service-password")"
}

service_main "${1:-}"
