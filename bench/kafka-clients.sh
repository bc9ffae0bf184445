#!/usr/bin/env bash
# Installs @platformatic/kafka into .tmp/kafka-clients (not a project dependency) and runs bench/kafka-clients-bench.ts.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/.tmp/kafka-clients"
if [ ! -f "$dir/node_modules/@platformatic/kafka/package.json" ]; then
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"kafka-clients","private":true}' >"$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --silent @platformatic/kafka@1.35.0 >/dev/null)
fi
cd "$root"
exec node --import tsx bench/kafka-clients-bench.ts "$@"
