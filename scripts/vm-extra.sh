#!/usr/bin/env bash
# The real-machine flows that `npm test` leaves out for time (test/vm/extra.flow.ts): rescue/unrescue and UEFI.
# Usage: bash scripts/vm-extra.sh [rescue|uefi|rescue,uefi]   (root; builds/installs through scripts/services/vm-lab.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/services/vm-lab.sh start
while IFS= read -r line; do [ -n "$line" ] && export "$line"; done < <(bash scripts/services/vm-lab.sh env)
ANVIL_VM_FLOW=${1:-rescue,uefi} ANVIL_TEST_DEPLOY_TOOLS=1 node --import tsx --test --test-reporter=spec test/vm/extra.flow.ts
