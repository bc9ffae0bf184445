#!/usr/bin/env bash
# A throw-away MariaDB server for Anvil's tests: own datadir, socket and port on 127.0.0.1; never touches a
# system MariaDB that may be running.
#
# Usage: scripts/services/mariadb.sh start|stop|status|env
#   start   install mariadb-server with apt when missing (root), initialise a datadir under
#           ${ANVIL_TMP:-<repo>/.tmp}/mariadb, start mariadbd on a free port, create user anvil/anvil (all
#           privileges: tests create one database each) and database anvil_test. Idempotent.
#   stop    stop the server and remove its folder.
#   status  exit 0 when the server is running.
#   env     print ANVIL_TEST_MYSQL_URL=mysql://anvil:anvil@127.0.0.1:<port>/anvil_test (nothing when stopped).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init mariadb process daemon apt-ensure
dir="$tmp/mariadb"
pidfile="$dir/mysqld.pid" # written by mariadbd itself
mark="--datadir=$dir/data"
sock="$dir/mysqld.sock"

server_bin() { command -v mariadbd || command -v mysqld || ls /usr/sbin/mariadbd /usr/sbin/mysqld 2>/dev/null | head -n1; }
client_bin() { command -v mariadb || command -v mysql; }

ensure_installed() {
  [ -n "$(server_bin)" ] && [ -n "$(client_bin)" ] && return 0
  # Debian starts the system service after install; we leave it alone and run our own instance.
  apt_install --with-recommends "$svc.sh" mariadb-server mariadb-client
}

sql() { "$(client_bin)" --no-defaults --protocol=socket -S "$sock" -u "$(id -un)" "$@"; }
answers() { [ -S "$sock" ] && sql -e 'SELECT 1' >/dev/null 2>&1; }

svc_start() {
  daemon_reused && return 0
  ensure_installed
  mkdir -p "$dir"
  local user_opt=()
  [ "$(id -u)" = 0 ] && user_opt=(--user=root)
  if [ ! -d "$dir/data/mysql" ]; then
    rm -rf "$dir/data"
    local installer
    installer=$(command -v mariadb-install-db || command -v mysql_install_db)
    "$installer" --no-defaults --datadir="$dir/data" "${user_opt[@]}" --auth-root-authentication-method=socket \
      --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; log "datadir initialisation failed"; exit 1; }
  fi
  port=$(free_port)
  echo "$port" >"$dir/port"
  rm -f "$sock" "$pidfile"
  # Tuned for throw-away test data: small buffers, no binlog, relaxed flushing.
  spawn_session "$dir/stdout.log" "$(server_bin)" --no-defaults --datadir="$dir/data" "${user_opt[@]}" \
    --bind-address=127.0.0.1 --port="$port" --socket="$sock" --pid-file="$pidfile" --log-error="$dir/error.log" \
    --skip-name-resolve --skip-log-bin --innodb-buffer-pool-size=64M --innodb-log-file-size=32M \
    --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --sync-binlog=0 --max-connections=300 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_bin --innodb-lock-wait-timeout=10
  daemon_await 30 mariadbd answers -- "$dir/error.log" || { svc_stop; exit 1; }
  sql <<'SQL'
CREATE USER IF NOT EXISTS 'anvil'@'127.0.0.1' IDENTIFIED BY 'anvil';
CREATE USER IF NOT EXISTS 'anvil'@'localhost' IDENTIFIED BY 'anvil';
GRANT ALL PRIVILEGES ON *.* TO 'anvil'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'anvil'@'localhost' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS anvil_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
FLUSH PRIVILEGES;
SQL
  log "ready on 127.0.0.1:$port"
}

svc_stop() { daemon_stop 20; }
svc_status() { daemon_running; }
svc_env() { if daemon_running; then echo "ANVIL_TEST_MYSQL_URL=mysql://anvil:anvil@127.0.0.1:$(daemon_port)/anvil_test"; fi; }

service_main "${1:-}"
