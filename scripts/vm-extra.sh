#!/usr/bin/env bash
# The real-machine flows that `npm test` leaves out for time: rescue/unrescue then undeploy, UEFI, and the real agent
# inspecting a VM (test/vm/extra.flow.ts); the failure paths (test/vm/failures.flow.ts). One flow at a time (each VM
# is a core). Usage: bash scripts/vm-extra.sh [rescue|uefi|inspect|failures|rescue,uefi,...]   (root; builds/installs through
# scripts/services/vm-lab.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/services/vm-lab.sh start
while IFS= read -r line; do [ -n "$line" ] && export "$line"; done < <(bash scripts/services/vm-lab.sh env)
flows=${1:-rescue,uefi,inspect,failures}
run() { ANVIL_VM_FLOW=$flows ANVIL_TEST_DEPLOY_TOOLS=1 node --import tsx --test --test-reporter=spec "$1"; }
status=0
if [[ $flows == *rescue* || $flows == *uefi* || $flows == *inspect* ]]; then run test/vm/extra.flow.ts || status=1; fi
if [[ $flows == *failures* ]]; then run test/vm/failures.flow.ts || status=1; fi
exit $status
