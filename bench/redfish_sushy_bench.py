"""The baseline of bench/redfish-bench.ts: N power state reads with OpenStack's `sushy` (what Ironic's redfish
power interface calls: get_system(), then power_state), one connection kept, like Ironic's cached connector.

  python redfish_sushy_bench.py <base url> <system path> <reads>  ->  one JSON line {"seconds": ..., "on": ...}
"""
import json
import sys
import time

import sushy

base, system_path, reads = sys.argv[1], sys.argv[2], int(sys.argv[3])
conn = sushy.Sushy(base + '/redfish/v1', verify=False)
conn.get_system(system_path).power_state  # warm the connection, as Anvil's side does
t0 = time.perf_counter()
on = 0
for _ in range(reads):
    if conn.get_system(system_path).power_state == sushy.POWER_STATE_ON:
        on += 1
print(json.dumps({'seconds': time.perf_counter() - t0, 'on': on}))
