#!/usr/bin/env bash
# The whole test suite: installs and starts what the tests need, runs lint + every test, stops the services.
#   scripts/services/*.sh each take start|stop|env and are idempotent; `env` prints KEY=VALUE lines for the tests
#   (their shared parts: scripts/services/lib/, see test/README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p .tmp
node scripts/ensure-deps.mjs

services=()
for s in scripts/services/*.sh; do [ -f "$s" ] && services+=("$s"); done
stop_all() { for s in "${services[@]}"; do bash "$s" stop >/dev/null 2>&1 || true; done; }
trap stop_all EXIT
for s in "${services[@]}"; do
  echo "== starting $(basename "$s" .sh)"
  bash "$s" start
  while IFS= read -r line; do [ -n "$line" ] && export "$line"; done < <(bash "$s" env)
done

echo "== lint"
npx biome lint --diagnostic-level=error .
npx tsc -p tsconfig.json --noEmit

echo "== tests"
node scripts/run-tests.mjs "$@"
