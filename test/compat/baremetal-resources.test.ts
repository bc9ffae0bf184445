/** The real `baremetal` CLI against `anvil server`: chassis, port groups, ports, traits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bm, bmFails, bmJson, useAnvil } from './baremetal.ts';

useAnvil();

test('chassis, port groups, ports and traits', async () => {
  const ch = await bmJson(['chassis', 'create', '--description', 'rack 7', '--extra', 'room=a']);
  assert.equal(ch.description, 'rack 7');
  assert.deepEqual((await bmJson(['chassis', 'list'])).map((c: { UUID: string }) => c.UUID), [ch.uuid]);
  await bm(['chassis', 'set', ch.uuid, '--description', 'rack 8']);
  const node = await bmJson(['node', 'create', '--driver', 'fake-hardware', '--name', 'cli-node-1', '--chassis-uuid', ch.uuid]);
  assert.equal(node.chassis_uuid, ch.uuid);
  assert.equal((await bmJson(['chassis', 'show', ch.uuid])).description, 'rack 8');

  const pg = await bmJson(['port', 'group', 'create', '--node', node.uuid, '--name', 'bond0', '--address', '52:54:00:00:00:AA']);
  assert.equal(pg.address, '52:54:00:00:00:aa');
  assert.equal(pg.node_uuid, node.uuid);
  assert.equal(pg.mode, 'active-backup');
  // Ironic 21.4 wants the group's UUID here (a name is 400 "Expected UUID for portgroup_uuid", as the real one answers)
  const port = await bmJson(['port', 'create', '52:54:00:12:34:AB', '--node', node.uuid, '--port-group', pg.uuid, '--extra', 'k=v']);
  assert.equal(port.address, '52:54:00:12:34:ab');
  assert.equal(port.portgroup_uuid, pg.uuid);
  assert.equal(port.pxe_enabled, true);
  const ports = await bmJson(['port', 'list', '--node', node.uuid]);
  assert.deepEqual(ports.map((p: { Address: string }) => p.Address), ['52:54:00:12:34:ab']);
  assert.equal((await bmJson(['port', 'group', 'list'])).length, 1);
  assert.match(await bmFails(['port', 'create', '52:54:00:12:34:ab', '--node', node.uuid]), /HTTP 409/);
  await bm(['port', 'unset', port.uuid, '--port-group']);
  const changed = await bmJson(['port', 'show', port.uuid]);
  assert.equal(changed.node_uuid, node.uuid);
  assert.equal(changed.portgroup_uuid, null);

  await bm(['node', 'add', 'trait', 'cli-node-1', 'CUSTOM_GPU', 'HW_CPU_X86_AVX2']);
  const traits = (await bmJson(['node', 'trait', 'list', 'cli-node-1'])).map((t: { Traits: string }) => t.Traits).sort();
  assert.deepEqual(traits, ['CUSTOM_GPU', 'HW_CPU_X86_AVX2']);
  await bm(['node', 'remove', 'trait', 'cli-node-1', 'CUSTOM_GPU']);
  assert.match(await bmFails(['node', 'add', 'trait', 'cli-node-1', 'not_a_trait']), /HTTP 400/);

  assert.match(await bmFails(['chassis', 'delete', ch.uuid]), /contains nodes/);
  await bm(['port', 'delete', port.uuid]);
  await bm(['port', 'group', 'delete', 'bond0']);
  await bm(['node', 'delete', 'cli-node-1']);
  await bm(['chassis', 'delete', ch.uuid]);
  assert.deepEqual(await bmJson(['node', 'list']), []);
});
