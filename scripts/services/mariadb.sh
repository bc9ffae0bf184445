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
# shellcheck source=lib/process.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/process.sh"
# shellcheck source=lib/apt-ensure.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/apt-ensure.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
dir="${ANVIL_TMP:-$root/.tmp}/mariadb"
pidfile="$dir/mysqld.pid"
portfile="$dir/port"
sock="$dir/mysqld.sock"

log() { echo "mariadb.sh: $*" >&2; }

server_bin() { command -v mariadbd || command -v mysqld || ls /usr/sbin/mariadbd /usr/sbin/mysqld 2>/dev/null | head -n1; }
client_bin() { command -v mariadb || command -v mysql; }

running() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile" 2>/dev/null)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q -- "--datadir=$dir/data" "/proc/$pid/cmdline" 2>/dev/null
}

ensure_installed() {
  [ -n "$(server_bin)" ] && [ -n "$(client_bin)" ] && return 0
  if [ "$(id -u)" != 0 ]; then log "mariadb-server is missing (apt-get install mariadb-server)"; exit 1; fi
  log "installing mariadb-server"
  apt_get_install mariadb-server mariadb-client
  # Debian starts the system service after install; we leave it alone and run our own instance.
}

sql() { "$(client_bin)" --no-defaults --protocol=socket -S "$sock" -u "$(id -un)" "$@"; }

start() {
  if running; then log "already running on 127.0.0.1:$(cat "$portfile")"; return 0; fi
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
  local port
  port=$(free_port)
  echo "$port" >"$portfile"
  rm -f "$sock" "$pidfile"
  # Tuned for throw-away test data: small buffers, no binlog, relaxed flushing.
  setsid "$(server_bin)" --no-defaults --datadir="$dir/data" "${user_opt[@]}" \
    --bind-address=127.0.0.1 --port="$port" --socket="$sock" --pid-file="$pidfile" --log-error="$dir/error.log" \
    --skip-name-resolve --skip-log-bin --innodb-buffer-pool-size=64M --innodb-log-file-size=32M \
    --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --sync-binlog=0 --max-connections=300 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_bin --innodb-lock-wait-timeout=10 \
    >"$dir/stdout.log" 2>&1 </dev/null &
  local i
  for i in $(seq 1 300); do # up to 30 s
    if [ -S "$sock" ] && sql -e 'SELECT 1' >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  if ! sql -e 'SELECT 1' >/dev/null 2>&1; then
    cat "$dir/error.log" >&2 2>/dev/null || true
    log "server did not start within 30 s"
    exit 1
  fi
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

stop() {
  if running; then
    local pid i
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running ;;
  env) if running; then echo "ANVIL_TEST_MYSQL_URL=mysql://anvil:anvil@127.0.0.1:$(cat "$portfile")/anvil_test"; fi ;;
  *) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
