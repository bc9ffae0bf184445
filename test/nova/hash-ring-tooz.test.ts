/**
 * nova-bridge's compute hash ring against tooz's own (Debian python3-tooz, the library Nova's Ironic driver
 * builds its ring with: `HashRing(hosts, partitions=2**5)`, `get_nodes(uuid.encode())`): the same owner for 1000
 * node UUIDs over several host sets. tooz comes with python3-nova (scripts/services/nova.sh).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { ComputeHashRing } from '../../nova-bridge/src/driver/hash-ring.ts';

const TOOZ = `
import json, sys
from tooz import hashring
req = json.load(sys.stdin)
out = []
for hosts in req["sets"]:
    ring = hashring.HashRing(set(h.lower() for h in hosts), partitions=2 ** 5)
    out.append([sorted(ring.get_nodes(u.encode("utf-8")))[0] for u in req["uuids"]])
print(json.dumps(out))
`;

test('the compute ring picks exactly the hosts tooz (Nova) picks', () => {
  const uuids = Array.from({ length: 1000 }, () => randomUUID());
  const sets = [['compute-1'], ['compute-1', 'compute-2'], ['Compute-1', 'compute-2', 'ironic-compute-3'], ['a', 'b', 'c', 'd', 'e']];
  let out: string;
  try {
    out = execFileSync('/usr/bin/python3', ['-c', TOOZ], { input: JSON.stringify({ sets, uuids }), encoding: 'utf8' });
  } catch (e) {
    throw new Error(`Debian's python3-tooz is needed (bash scripts/services/nova.sh start installs python3-nova): ${e}`);
  }
  const tooz: string[][] = JSON.parse(out);
  sets.forEach((hosts, i) => {
    const ring = new ComputeHashRing(hosts);
    const ours = uuids.map((u) => ring.hostFor(u));
    const differ = ours.filter((h, j) => h !== tooz[i][j]).length;
    assert.equal(differ, 0, `${hosts.join(',')}: ${differ} of ${uuids.length} owners differ from tooz`);
  });
});
