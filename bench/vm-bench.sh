#!/usr/bin/env bash
# The real-machine flow as a benchmark: runs test/vm/vm-deploy.test.ts (one qemu VM, BIOS, the real agent) with the
# images scripts/services/vm-lab.sh built, and prints its phase times, the accelerator, the image sizes and the load.
# Usage: bash bench/vm-bench.sh        (root; installs/builds through scripts/services/vm-lab.sh start)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/services/vm-lab.sh start
while IFS= read -r line; do [ -n "$line" ] && export "$line"; done < <(bash scripts/services/vm-lab.sh env)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
log=$(mktemp)
node --import tsx --test --test-reporter=spec test/vm/vm-deploy.test.ts 2>&1 | tee "$log" | grep -E '^vm-lab:|✔|✖' || true
load1=$(cut -d' ' -f1-3 /proc/loadavg)
json=$(sed -n 's/^vm-lab timings ([a-z]*): //p' "$log" | tail -1)
rm -f "$log"
echo
echo "accelerator: ${ANVIL_VM_ACCEL}   load average: ${load0} -> ${load1}"
echo "agent ramdisk: $(cat "$ANVIL_VM_IMAGES/$ANVIL_VM_AGENT/build.json")"
echo "instance image: $(cat "$ANVIL_VM_IMAGES/$ANVIL_VM_INSTANCE/build.json")"
printf '\n| phase | seconds |\n|---|---|\n'
node -e 'for (const [k, v] of Object.entries(JSON.parse(process.argv[1] || "{}"))) console.log(`| ${k} | ${v} |`)' "$json"
