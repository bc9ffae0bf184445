#!/usr/bin/env bash
# Runs bench/api-bench.ts (Anvil API: create 1000 nodes, show, list 1000, detail) and prints its table.
# Needs wrk (apt-get install -y wrk when missing). Loopback only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
cd "$root"
exec node --import tsx bench/api-bench.ts "$@"
